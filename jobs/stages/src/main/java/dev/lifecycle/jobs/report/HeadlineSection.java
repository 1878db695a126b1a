package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.core.lifecycle.LifecycleStages;
import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.ClvValidationTable;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.RowOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The figures a reader wants first, in one table at the top: customers, the share not lost,
 * revenue over the trailing current-value days, the predicted CLV total with its P10–P90 interval,
 * the purchase and spend models that scored, with their status in clv_models unless plainly
 * fitted (on a bound, a flat likelihood, not fitted), and the purchase model's holdout error when
 * the snapshot was backtested. A figure whose stage has not run is left out.
 */
record HeadlineSection(
    Optional<Tallies> features,
    Optional<Tallies> scores,
    Optional<ClvModelsTable.Model> purchase,
    Optional<ClvModelsTable.Model> spendModel,
    Optional<Dataset<Row>> validation,
    int currentDays)
    implements ReportSection {
  private static final String CUSTOMERS = "headline-customers";
  private static final String CURRENT_SPEND = "headline-current-spend";
  private static final String ACTIVE_SHARE = "headline-active-share";
  private static final String CLV = "headline-clv";

  /** What it counts of customer_features. */
  static final Tallies.Spec FEATURES =
      Tallies.Spec.none().scalar(CUSTOMERS, count(lit(1))).scalar(CURRENT_SPEND, sum(Columns.CURRENT_SPEND));

  /** What it counts of customer_scores. */
  static final Tallies.Spec SCORES =
      Tallies.Spec.none()
          .scalar(ACTIVE_SHARE, avg(when(col(Columns.LIFECYCLE_STAGE).equalTo(LifecycleStages.LOST), 0).otherwise(1)))
          .scalar(CLV, sum(Columns.CLV));

  @Override
  public void draw(ReportPage page) {
    if (features.isEmpty()) {
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    Tallies f = features.get();
    rows.add(List.of("customers", String.format(Locale.ROOT, "%,d", (Long) f.scalar(CUSTOMERS))));
    Double spend = (Double) f.scalar(CURRENT_SPEND);
    rows.add(List.of("revenue in the last " + currentDays + " days (current_spend)", money(spend == null ? 0 : spend)));
    scores.ifPresent(
        s -> {
          if (s.scalar(ACTIVE_SHARE) instanceof Double share) {
            rows.add(List.of("active share (lifecycle stage not lost)", String.format(Locale.ROOT, "%.1f%%", 100 * share)));
          }
          if (s.scalar(CLV) instanceof Double clv) {
            rows.add(List.of("predicted CLV, total", money(clv)));
          }
        });
    purchase
        .map(ClvModelsTable.Model::clvTotal)
        .filter(total -> total.p10() != null)
        .ifPresent(
            total ->
                rows.add(
                    List.of(
                        "predicted CLV total, P10 to P90 (parameter uncertainty)",
                        money(total.p10()) + " to " + money(total.p90()))));
    Optional<String> purchaseModel = purchase.map(ClvModelsTable.Model::model);
    purchase.ifPresent(model -> rows.add(List.of("purchase model", withStatus(model))));
    spendModel.ifPresent(model -> rows.add(List.of("spend model", withStatus(model))));
    purchaseModel.ifPresent(
        model ->
            validation.ifPresent(
                v -> {
                  for (Row r :
                      RowOrder.sorted(
                          v.where(
                              col(Columns.MODEL).equalTo(model)
                                  .and(col(Columns.KIND).equalTo(ClvValidationTable.Kind.SUMMARY.label()))
                                  .and(col(Columns.KEY).isin("mae", "total_error_percent"))),
                          Columns.KEY)) {
                    Double value = r.getAs(Columns.VALUE);
                    rows.add(
                        List.of(
                            "holdout " + (r.getAs(Columns.KEY).equals("mae") ? "error per customer (MAE)" : "total error"),
                            value == null
                                ? "n/a"
                                : String.format(
                                    Locale.ROOT, r.getAs(Columns.KEY).equals("mae") ? "%.3f purchases" : "%+.1f%%", value)));
                  }
                }));
    page.table("headline", List.of("at a glance", ""), rows);
  }

  /** The model's name, and its status where it is not plainly {@code fitted}. */
  private static String withStatus(ClvModelsTable.Model model) {
    return model.status().equals(BoundedMle.FITTED) ? model.model() : model.model() + " (" + model.status() + ")";
  }

  private static String money(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }
}
