package dev.lifecycle.jobs.report;

import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.ClvValidationTable.Kind;
import dev.lifecycle.spark.table.Columns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Forecast accuracy from clv_validation, when the snapshot was backtested: calibration against
 * holdout by frequency, the tracking chart of Fader, Hardie &amp; Lee (2005), P(alive) against the
 * share who bought again, and the summary metrics of every purchase model. Nothing without it.
 */
record ForecastSection(Optional<Dataset<Row>> validation) implements ReportSection {
  private static final String[] METRICS = {
    "mae", "rmse", "total_error_percent", "bias", "tracking_mae", "log_likelihood"
  };

  @Override
  public void draw(ReportPage page) {
    if (validation.isEmpty()) {
      return;
    }
    // One small table: everything in one query, split by kind and model here.
    Map<String, Map<String, List<Row>>> byKind = new TreeMap<>();
    for (Row row : validation.get().collectAsList()) {
      byKind.computeIfAbsent(row.getAs(Columns.KIND), k -> new TreeMap<>())
          .computeIfAbsent(row.getAs(Columns.MODEL), m -> new ArrayList<>())
          .add(row);
    }
    Map<String, List<Row>> summary = byKind.getOrDefault(Kind.SUMMARY.label(), Map.of());
    page.section("Forecast accuracy");
    byFrequency(page, byKind.getOrDefault(Kind.BY_FREQUENCY.label(), Map.of()), summary);
    tracking(page, byKind.getOrDefault(Kind.TRACKING.label(), Map.of()));
    aliveCalibration(page, byKind.getOrDefault(Kind.P_ALIVE_DECILE.label(), Map.of()));
    metrics(page, summary);
    spend(page, byKind.getOrDefault(Kind.SPEND.label(), Map.of()), summary);
  }

  private static void byFrequency(ReportPage page, Map<String, List<Row>> byModel, Map<String, List<Row>> summary) {
    List<Svg.Series> series = actualAndPredicted(byModel, Columns.ACTUAL, Columns.PREDICTED);
    double length = metric(summary, "holdout_length");
    page.chart(
        "forecast-by-frequency", "Holdout purchases by calibration frequency: actual and predicted",
        Svg.lines(series, "repeat purchases in calibration (7 = 7 or more)", "mean holdout purchases", top(series), 560, 280),
        String.format(
            Locale.ROOT,
            "Mean purchase days per customer in the holdout (%s time units after the snapshot), by repeat purchases"
                + " to the snapshot, as Fader, Hardie & Lee (2005) check calibration against holdout.",
            Svg.number(length)));
  }

  private static void tracking(ReportPage page, Map<String, List<Row>> byModel) {
    List<Svg.Series> series = actualAndPredicted(byModel, Columns.ACTUAL_CUMULATIVE, Columns.PREDICTED_CUMULATIVE);
    page.chart(
        "forecast-tracking", "Tracking: cumulative repeat purchases, actual and expected",
        Svg.lines(series, "period (features.time-unit) from the first purchase", "cumulative repeat purchases", top(series), 560, 280),
        "Repeat purchase days of the snapshot's customers over calibration and holdout, against the expected count"
            + " with each customer new from their first purchase (Fader, Hardie & Lee 2005, figure 3).");
  }

  /**
   * The actual line, black (the same in every model's rows, so taken from the first), and each
   * model's predicted line, dashed, over the rows' numeric keys (7+ is 7).
   */
  private static List<Svg.Series> actualAndPredicted(Map<String, List<Row>> byModel, String actual, String predicted) {
    List<Svg.Series> series = new ArrayList<>();
    int color = 1;
    for (Map.Entry<String, List<Row>> e : byModel.entrySet()) {
      List<Row> rows = new ArrayList<>(e.getValue());
      rows.sort(Comparator.comparingInt(ForecastSection::key));
      double[] x = rows.stream().mapToDouble(ForecastSection::key).toArray();
      if (series.isEmpty()) {
        series.add(new Svg.Series("actual", x, rows.stream().mapToDouble(r -> r.<Double>getAs(actual)).toArray(), "#222", false, 2.5));
      }
      series.add(
          new Svg.Series(
              e.getKey(), x, rows.stream().mapToDouble(r -> r.<Double>getAs(predicted)).toArray(),
              Svg.PALETTE[color++ % Svg.PALETTE.length], true, 1.5));
    }
    return series;
  }

  private static int key(Row row) {
    return Integer.parseInt(row.<String>getAs(Columns.KEY).replace("+", ""));
  }

  /** A little above the highest point of the lines. */
  private static double top(List<Svg.Series> series) {
    double max = 0;
    for (Svg.Series s : series) {
      for (double v : s.y()) {
        max = Double.isNaN(v) ? max : Math.max(max, v);
      }
    }
    return max * 1.05;
  }

  private static void aliveCalibration(ReportPage page, Map<String, List<Row>> byModel) {
    List<Svg.Series> series = new ArrayList<>();
    series.add(new Svg.Series("bought = P(alive)", new double[] {0, 1}, new double[] {0, 1}, "#999", true, 1));
    int color = 1;
    for (Map.Entry<String, List<Row>> e : byModel.entrySet()) {
      List<Row> rows = new ArrayList<>(e.getValue());
      rows.sort(Comparator.comparingDouble(r -> r.<Double>getAs(Columns.PREDICTED)));
      series.add(
          new Svg.Series(
              e.getKey(), rows.stream().mapToDouble(r -> r.<Double>getAs(Columns.PREDICTED)).toArray(),
              rows.stream().mapToDouble(r -> r.<Double>getAs(Columns.ACTUAL)).toArray(),
              Svg.PALETTE[color++ % Svg.PALETTE.length], false, 2));
    }
    page.chart(
        "forecast-p-alive", "P(alive) against the share who bought in the holdout, by decile",
        Svg.lines(series, "mean P(alive) at the snapshot", "share who bought in the holdout", 1, 560, 280),
        "Customers in ten groups of rising P(alive). Being alive is not buying: a well calibrated model's"
            + " points lie below the diagonal by the chance of an alive customer not buying in the holdout.");
  }

  private static void metrics(ReportPage page, Map<String, List<Row>> summary) {
    List<String> headers = new ArrayList<>(List.of("model"));
    headers.addAll(List.of(METRICS));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, List<Row>> e : summary.entrySet()) {
      if (e.getKey().equals(ClvModelsTable.GAMMA_GAMMA)) {
        continue;
      }
      List<String> cells = new ArrayList<>(List.of(e.getKey()));
      for (String name : METRICS) {
        cells.add(format(metric(summary, e.getKey(), name)));
      }
      rows.add(cells);
    }
    page.table("forecast-metrics", headers, rows);
  }

  /** Gamma-Gamma's expected spend per purchase against what the holdout's buyers spent. */
  private static void spend(ReportPage page, Map<String, List<Row>> byModel, Map<String, List<Row>> summary) {
    List<List<String>> rows = new ArrayList<>();
    for (Row row : byModel.getOrDefault(ClvModelsTable.GAMMA_GAMMA, List.of())) {
      rows.add(
          List.of(
              ClvModelsTable.GAMMA_GAMMA, String.format(Locale.ROOT, "%,d", row.<Long>getAs(Columns.CUSTOMERS)),
              format(row.<Double>getAs(Columns.ACTUAL)), format(row.<Double>getAs(Columns.PREDICTED)),
              format(metric(summary, ClvModelsTable.GAMMA_GAMMA, "spend_error_percent"))));
    }
    if (rows.isEmpty()) {
      return;
    }
    page.table(
        "forecast-spend",
        List.of("spend model", "holdout buyers", "actual spend per purchase", "predicted", "error %"), rows);
  }

  /** The first model's value of a metric that is the same for every model, such as the holdout's length. */
  private static double metric(Map<String, List<Row>> summary, String name) {
    return summary.keySet().stream().mapToDouble(model -> metric(summary, model, name)).filter(Double::isFinite).findFirst()
        .orElse(Double.NaN);
  }

  private static double metric(Map<String, List<Row>> summary, String model, String name) {
    for (Row row : summary.getOrDefault(model, List.of())) {
      if (row.getAs(Columns.KEY).equals(name)) {
        Double value = row.getAs(Columns.VALUE);
        return value == null ? Double.NaN : value;
      }
    }
    return Double.NaN;
  }

  private static String format(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%,.3f", value) : "n/a";
  }
}
