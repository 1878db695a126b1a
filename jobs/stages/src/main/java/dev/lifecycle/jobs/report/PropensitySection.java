package dev.lifecycle.jobs.report;

import dev.lifecycle.spark.table.Columns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * Churn propensity from propensity_models: the ROC curves of the perceptron, logistic regression
 * and the baseline 1 − P(alive) on the customers held out at the cut, their AUC, log loss, lift
 * and capture in the top decile, and their calibration by decile. Nothing when the stage has not
 * run for the snapshot: it runs only when enabled.
 */
record PropensitySection(Optional<List<Row>> models) implements ReportSection {
  @Override
  public void draw(ReportPage page) {
    if (models.isEmpty()) {
      return; // an optional stage, as the backtest is
    }
    page.section("Churn propensity");
    List<Row> rows = new ArrayList<>(models.get());
    rows.sort(Comparator.comparing(r -> r.<String>getAs(Columns.MODEL)));
    List<List<String>> table = new ArrayList<>();
    List<Svg.Series> roc = new ArrayList<>();
    List<Svg.Series> calibration = new ArrayList<>();
    roc.add(new Svg.Series("chance", new double[] {0, 1}, new double[] {0, 1}, "#999", true, 1));
    calibration.add(new Svg.Series("calibrated", new double[] {0, 1}, new double[] {0, 1}, "#999", true, 1));
    int color = 1;
    Row chosen = null;
    for (Row r : rows) {
      String model = r.getAs(Columns.MODEL);
      boolean selected = r.getAs(Columns.SELECTED);
      chosen = selected ? r : chosen;
      if (r.isNullAt(r.fieldIndex("auc"))) {
        continue; // loaded, not compared
      }
      table.add(
          List.of(
              model + (selected ? " (scores customers)" : ""), format("%.4f", r.getAs("auc")), format("%.4f", r.getAs("log_loss")),
              format("%.2f", r.getAs("top_decile_lift")), format("%.1f%%", 100 * r.<Double>getAs("top_decile_capture")),
              r.getAs("settings")));
      String colour = Svg.PALETTE[color++ % Svg.PALETTE.length];
      roc.add(new Svg.Series(model, doubles(r, "roc_false_positive_rate"), doubles(r, "roc_true_positive_rate"), colour, false, selected ? 2.5 : 1.5));
      calibration.add(new Svg.Series(model, doubles(r, "decile_mean_probability"), doubles(r, "decile_churn_rate"), colour, false, selected ? 2.5 : 1.5));
    }
    if (table.isEmpty()) {
      page.note(
          "Churn scored with the saved model " + (chosen == null ? "" : chosen.<String>getAs(Columns.MODEL) + ", ")
              + (chosen == null ? "" : chosen.<String>getAs(Columns.STATUS)) + "; no models were compared in this run.");
      return;
    }
    Row first = rows.get(0);
    String held =
        String.format(
            Locale.ROOT, "%,d customers held out at the cut %s (%,d trained on); %.1f%% of them bought nothing in the %d days after it.",
            first.<Long>getAs("test_customers"), first.getAs("cut_date"), first.<Long>getAs("train_customers"),
            100 * first.<Double>getAs("test_churn_rate"), first.<Integer>getAs("horizon_days"));
    page.table("propensity-models", List.of("model", "AUC", "log loss", "top-decile lift", "top-decile capture", "settings"), table);
    page.chart(
        "propensity-roc", "ROC curves on the held-out customers",
        Svg.lines(roc, "false positive rate", "true positive rate", 1, 560, 280),
        held + " The model with the highest AUC was trained again on all of them and scored every customer at the snapshot.");
    page.chart(
        "propensity-calibration", "Calibration by decile of the churn probability",
        Svg.lines(calibration, "mean churn probability", "share who churned", 1, 560, 280),
        "The held-out customers in ten groups of rising probability: a calibrated model lies on the diagonal.");
  }

  private static double[] doubles(Row row, String column) {
    List<Double> values = row.getList(row.fieldIndex(column));
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String format(String pattern, Object value) {
    return value == null ? "" : String.format(Locale.ROOT, pattern, value);
  }
}
