package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.RetentionCurvesTable;
import dev.lifecycle.spark.table.RowOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Retention curves of the largest fitted cohorts, observed (Kaplan-Meier) against every model, the
 * selected one drawn solid. Nothing without retention_curves.
 */
record RetentionSection(Optional<Dataset<Row>> curves, boolean models) implements ReportSection {
  /** Cohorts drawn in the small multiples, the largest first. */
  private static final int COHORTS = 6;
  private static final String[] KEY = {Columns.COHORT, Columns.COHORT_SEGMENT};

  @Override
  public void draw(ReportPage page) {
    if (curves.isEmpty()) {
      return;
    }
    Dataset<Row> all = curves.get();
    // The largest cohorts with a selected (fitted) model, at least 4 periods observed.
    Dataset<Row> fitted =
        all.where(col(Columns.SELECTED).and(col(Columns.OBSERVED_SURVIVAL).isNotNull()).and(col(Columns.PERIOD).geq(3)))
            .select(Columns.COHORT, Columns.COHORT_SEGMENT);
    Dataset<Row> drawn =
        all.where(col(Columns.MODEL).equalTo(RetentionCurvesTable.KAPLAN_MEIER).and(col(Columns.PERIOD).equalTo(0)))
            .select(Columns.COHORT, Columns.COHORT_SEGMENT, Columns.CUSTOMERS_AT_RISK)
            .join(fitted, KEY, "left_semi")
            .orderBy(col(Columns.CUSTOMERS_AT_RISK).desc(), col(Columns.COHORT), col(Columns.COHORT_SEGMENT))
            .limit(COHORTS);
    // Every point of the chosen cohorts in one query, split by cohort here; their sizes are their
    // Kaplan-Meier points at period 0.
    List<Row> points =
        RowOrder.sorted(
            all.join(drawn.select(Columns.COHORT, Columns.COHORT_SEGMENT), KEY)
                .select(Columns.COHORT, Columns.COHORT_SEGMENT, Columns.MODEL, Columns.PERIOD, Columns.OBSERVED_SURVIVAL,
                    Columns.FITTED_SURVIVAL, Columns.SELECTED, Columns.CUSTOMERS_AT_RISK),
            Columns.COHORT, Columns.COHORT_SEGMENT, Columns.MODEL, Columns.PERIOD);
    Map<List<Object>, List<Row>> byCohort = new LinkedHashMap<>();
    for (Row p : points) {
      byCohort.computeIfAbsent(List.of(p.getAs(Columns.COHORT), p.getAs(Columns.COHORT_SEGMENT)), key -> new ArrayList<>()).add(p);
    }
    List<Row> largest =
        points.stream()
            .filter(p -> p.getAs(Columns.MODEL).equals(RetentionCurvesTable.KAPLAN_MEIER) && p.<Integer>getAs(Columns.PERIOD) == 0)
            .sorted(
                Comparator.comparing((Row p) -> p.<Long>getAs(Columns.CUSTOMERS_AT_RISK), Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(RowOrder.by(Columns.COHORT, Columns.COHORT_SEGMENT)))
            .toList();
    List<String> panels = new ArrayList<>();
    for (Row group : largest) {
      Object cohort = group.getAs(Columns.COHORT);
      String segment = group.getAs(Columns.COHORT_SEGMENT);
      panels.add(
          "<div class=\"panel\"><div class=\"panel-title\">"
              + Svg.escape(cohort + " " + segment + ", " + group.getAs(Columns.CUSTOMERS_AT_RISK) + " customers") + "</div>"
              + Svg.lines(series(byCohort.getOrDefault(List.of(cohort, segment), List.of())), "period", "survival", 1, 460, 240)
              + "</div>");
    }
    if (largest.isEmpty()) {
      page.text(
          "Retention: no cohort has a fitted model and at least 4 observed periods to draw (retention_models says"
              + " why each was not fitted).");
      return;
    }
    page.chart(
        "retention-curves", "Retention: observed against fitted, the " + largest.size() + " largest cohorts",
        String.join("", panels),
        "Fitted models dashed; the selected model (lowest AIC) drawn solid" + (models ? ", as in retention_models." : "."));
  }

  /** One line per model of a cohort: the observed curve black, the selected model solid. */
  private static List<Svg.Series> series(List<Row> points) {
    Map<String, List<double[]>> byModel = new LinkedHashMap<>();
    Map<String, Boolean> selected = new LinkedHashMap<>();
    for (Row p : points) {
      String model = p.getAs(Columns.MODEL);
      String value = model.equals(RetentionCurvesTable.KAPLAN_MEIER) ? Columns.OBSERVED_SURVIVAL : Columns.FITTED_SURVIVAL;
      Double survival = p.getAs(value);
      byModel.computeIfAbsent(model, m -> new ArrayList<>())
          .add(new double[] {p.<Integer>getAs(Columns.PERIOD), survival == null ? Double.NaN : survival});
      Boolean chosen = p.getAs(Columns.SELECTED);
      selected.merge(model, chosen != null && chosen, Boolean::logicalOr);
    }
    List<Svg.Series> series = new ArrayList<>();
    int color = 1;
    for (Map.Entry<String, List<double[]>> e : byModel.entrySet()) {
      boolean observed = e.getKey().equals(RetentionCurvesTable.KAPLAN_MEIER);
      boolean chosen = selected.get(e.getKey());
      String name = observed ? "observed (KM)" : e.getKey() + (chosen ? " (selected)" : "");
      series.add(
          new Svg.Series(
              name, e.getValue().stream().mapToDouble(v -> v[0]).toArray(), e.getValue().stream().mapToDouble(v -> v[1]).toArray(),
              observed ? "#222" : Svg.PALETTE[color++ % Svg.PALETTE.length], !observed && !chosen, observed || chosen ? 2.5 : 1.2));
    }
    return series;
  }
}
