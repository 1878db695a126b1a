package dev.lifecycle.jobs.backtest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.core.clv.GammaGamma;
import dev.lifecycle.core.clv.HoldoutCheck;
import dev.lifecycle.core.clv.PurchaseProcess;
import dev.lifecycle.core.clv.RepeatPatterns;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.ClvValidationTable;
import dev.lifecycle.spark.table.ClvValidationTable.Kind;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.KeyOrder;
import dev.lifecycle.spark.table.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code clv_validation}: each purchase model fitted on the customers' histories to the
 * snapshot (their {@code customer_features}) and its forecast set against what they did in the
 * holdout, the days after the snapshot up to {@code validation.holdout-until}, which ingest's one
 * pass tallied per customer and per day. Purchases are counted as the summary counts them,
 * purchase days, so actual and predicted measure the same thing.
 */
public final class BacktestJob {
  /** One purchase model's holdout error: mean absolute error per customer, total error in percent. */
  public record ModelCheck(String model, String status, double mae, double totalErrorPercent) {}

  /** The customers checked, their holdout purchase days, each model's check, and the table written. */
  public record Result(long customers, double holdoutPurchases, List<ModelCheck> models, Table.Written table)
      implements StageResult.OfCustomers {
    @Override
    public List<Table.Written> tables() {
      return List.of(table);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");
  private static final String HOLDOUT_BUYERS = "holdout_buyers";

  private BacktestJob() {}

  public static Result run(StageContext context, IngestOutput ingest) {
    LifecycleConfig config = context.config();
    LocalDate asOf = ingest.asOf();
    LocalDate until =
        config.holdoutUntil().orElseThrow(() -> new IllegalStateException("backtest without validation.holdout-until"));
    double unitDays = config.timeUnit().days();
    double holdoutLength = (until.toEpochDay() - asOf.toEpochDay()) / unitDays;
    Dataset<Row> customers =
        CustomerFeaturesTable.SPEC.read(context.warehouse(), asOf)
            .select(Columns.CUSTOMER_ID, Columns.BTYD_X, Columns.BTYD_T_X, Columns.BTYD_T, Columns.REPEAT_VALUE_AVG)
            .join(
                ingest.customerSummaries()
                    .select(Columns.CUSTOMER_ID, IngestOutput.HOLDOUT_PURCHASE_DAYS, IngestOutput.HOLDOUT_SPEND),
                Columns.CUSTOMER_ID)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<HoldoutCheck.Group> groups = new ArrayList<>();
      RepeatPatterns patterns = new RepeatPatterns();
      double[][] sorted =
          KeyOrder.sorted(
              customers.groupBy(Columns.BTYD_X, Columns.BTYD_T_X, Columns.BTYD_T, IngestOutput.HOLDOUT_PURCHASE_DAYS)
                  .count());
      double[] x = sorted[0];
      double[] tx = sorted[1];
      double[] bigT = sorted[2];
      long shared = 0;
      for (int i = 0; i < x.length; i++) {
        groups.add(new HoldoutCheck.Group((long) x[i], tx[i], bigT[i], (long) sorted[3][i], (long) sorted[4][i]));
        shared += (long) sorted[4][i];
        // In key order, the groups of one history are neighbours: one pattern each for the fits
        boolean last = i + 1 == x.length || x[i + 1] != x[i] || tx[i + 1] != tx[i] || bigT[i + 1] != bigT[i];
        if (last) {
          patterns.add(x[i], tx[i], bigT[i], shared);
          shared = 0;
        }
      }
      Tracking tracking = Tracking.of(ingest.repeatPurchases(), groups, asOf, until, unitDays);
      List<Row> rows = new ArrayList<>();
      List<ModelCheck> checks = new ArrayList<>();
      double holdoutPurchases = 0;
      for (LifecycleConfig.PurchaseModel model : LifecycleConfig.PurchaseModel.CANDIDATES) {
        PurchaseProcess process = PurchaseProcess.of(model);
        long started = System.nanoTime();
        BoundedMle.Estimate fit = process.fit(patterns);
        LOG.info(
            "backtest: {} fitted on {} patterns in {} s", model.label(), patterns.size(),
            String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
        if (!fit.found()) {
          LOG.warn("backtest: {} not fitted: {}", model.label(), fit.failure());
          checks.add(new ModelCheck(model.label(), "not fitted: " + fit.failure(), Double.NaN, Double.NaN));
          continue;
        }
        HoldoutCheck.Result check = HoldoutCheck.of(process, fit.parameters(), holdoutLength, groups);
        holdoutPurchases = check.metrics().actualTotal();
        String status = fit.fittedStatus();
        checks.add(new ModelCheck(model.label(), status, check.metrics().mae(), check.metrics().totalErrorPercent()));
        rows.add(ClvValidationTable.status(model.label(), status));
        rows.addAll(rows(model.label(), check, fit, process, holdoutLength));
        rows.addAll(tracking.rows(model.label(), process, fit.parameters()));
      }
      if (holdoutPurchases == 0 && !checks.isEmpty()) {
        // Every error then measures forecasts against nothing: a small MAE is no good forecast.
        LOG.warn(
            "backtest: no customer made a repeat purchase between {} and {}: the errors compare each forecast with 0",
            asOf, until);
      }
      rows.addAll(spend(customers));
      Table.Written table = ClvValidationTable.SPEC.replace(context.warehouse(), rows, asOf);
      return new Result(patterns.customers(), holdoutPurchases, checks, table);
    } finally {
      customers.unpersist();
    }
  }

  private static List<Row> rows(
      String model, HoldoutCheck.Result check, BoundedMle.Estimate fit, PurchaseProcess process, double holdoutLength) {
    List<Row> rows = new ArrayList<>();
    for (HoldoutCheck.Bucket b : check.byFrequency()) {
      rows.add(ClvValidationTable.bucket(model, Kind.BY_FREQUENCY, b.key(), b.customers(), b.actual(), b.predicted()));
    }
    for (HoldoutCheck.Bucket b : check.aliveDeciles()) {
      rows.add(ClvValidationTable.bucket(model, Kind.P_ALIVE_DECILE, b.key(), b.customers(), b.actual(), b.predicted()));
    }
    HoldoutCheck.Metrics m = check.metrics();
    rows.add(ClvValidationTable.metric(model, "customers", m.customers()));
    rows.add(ClvValidationTable.metric(model, "holdout_length", holdoutLength));
    rows.add(ClvValidationTable.metric(model, "actual_total", m.actualTotal()));
    rows.add(ClvValidationTable.metric(model, "predicted_total", m.predictedTotal()));
    rows.add(ClvValidationTable.metric(model, "mae", m.mae()));
    rows.add(ClvValidationTable.metric(model, "rmse", m.rmse()));
    rows.add(ClvValidationTable.metric(model, "total_error_percent", m.totalErrorPercent()));
    rows.add(ClvValidationTable.metric(model, "bias", m.bias()));
    rows.add(ClvValidationTable.metric(model, "log_likelihood", fit.logLikelihood()));
    for (int i = 0; i < fit.parameters().length; i++) {
      rows.add(ClvValidationTable.metric(model, "parameter_" + process.parameters().get(i).name(), fit.parameters()[i]));
    }
    return rows;
  }

  /**
   * Gamma-Gamma, fitted on the calibration's repeat buyers, against the holdout: for customers
   * who bought in the holdout, the mean of their expected spend per purchase day (E[M | x, z̄], the
   * population mean without a repeat purchase) and the mean of what they actually spent per
   * holdout purchase day. Without a usable fit, one metric row says so with no value.
   */
  private static List<Row> spend(Dataset<Row> customers) {
    CustomerFeaturesTable.RepeatSpend pairs = CustomerFeaturesTable.RepeatSpend.of(customers);
    GammaGamma.SpendFit fit = GammaGamma.fitForClv(pairs.x(), pairs.meanValue(), pairs.customers());
    String model = ClvModelsTable.GAMMA_GAMMA;
    if (!fit.usable()) {
      LOG.warn("backtest: {} not fitted: {}", model, fit.notFitted());
      return List.of(ClvValidationTable.metric(model, "spend_error_percent", Double.NaN));
    }
    double[] p = fit.estimate().parameters();
    double[][] buyers =
        KeyOrder.sorted(
            customers
                .where(col(IngestOutput.HOLDOUT_PURCHASE_DAYS).gt(0))
                .groupBy(
                    col(Columns.BTYD_X),
                    when(col(Columns.BTYD_X).gt(0).and(col(Columns.REPEAT_VALUE_AVG).gt(0)), col(Columns.REPEAT_VALUE_AVG))
                        .as(Columns.REPEAT_VALUE_AVG))
                .agg(
                    count(lit(1)),
                    sum(col(IngestOutput.HOLDOUT_SPEND).divide(col(IngestOutput.HOLDOUT_PURCHASE_DAYS)))));
    long n = 0;
    double predicted = 0;
    double actual = 0;
    for (int i = 0; i < buyers[0].length; i++) {
      long customersInPair = (long) buyers[2][i];
      double repeatValue = buyers[1][i]; // NaN: null, no repeat purchase worth a mean
      double expected =
          Double.isNaN(repeatValue)
              ? GammaGamma.expectedValue(p, 0, 0)
              : GammaGamma.expectedValue(p, (long) buyers[0][i], repeatValue);
      n += customersInPair;
      predicted += customersInPair * expected;
      actual += buyers[3][i];
    }
    List<Row> rows = new ArrayList<>();
    if (n > 0) {
      rows.add(ClvValidationTable.bucket(model, Kind.SPEND, HOLDOUT_BUYERS, n, actual / n, predicted / n));
    } else {
      LOG.warn("backtest: {} not checked: no customer bought in the holdout, so there is no spend to compare", model);
    }
    rows.add(
        ClvValidationTable.metric(model, "spend_error_percent", n > 0 ? 100 * (predicted - actual) / actual : Double.NaN));
    return rows;
  }

  /**
   * The tracking chart of Fader, Hardie &amp; Lee (2005), figure 3: repeat purchase days per period
   * of the time unit over calibration and holdout, actual (from ingest's tally by day) and
   * expected (each customer a new one from their first purchase).
   */
  static final class Tracking {
    private final LocalDate origin;
    private final double unitDays;
    private final double[] actual;
    private final double[] ends;
    private final double[] firstPurchase;
    private final long[] customers;

    private Tracking(LocalDate origin, double unitDays, double[] actual, double[] ends, double[] firstPurchase, long[] customers) {
      this.origin = origin;
      this.unitDays = unitDays;
      this.actual = actual;
      this.ends = ends;
      this.firstPurchase = firstPurchase;
      this.customers = customers;
    }

    /**
     * Periods of the time unit from the first customer's first purchase to the holdout's end; a
     * day's offset o from it falls in period floor(o / unit) + 1. Each customer's first purchase
     * day is the snapshot less T.
     */
    static Tracking of(Dataset<Row> repeats, List<HoldoutCheck.Group> groups, LocalDate asOf, LocalDate until, double unitDays) {
      TreeMap<Long, Long> byFirstDay = new TreeMap<>();
      for (HoldoutCheck.Group g : groups) {
        byFirstDay.merge(asOf.toEpochDay() - Math.round(g.bigT() * unitDays), g.customers(), Long::sum);
      }
      long origin = byFirstDay.firstKey();
      long last = until.toEpochDay() - origin;
      int periods = (int) Math.floor(last / unitDays) + 1;
      double[] actual = new double[periods];
      for (Row row : repeats.collectAsList()) {
        long offset = row.getInt(0) - origin;
        if (offset >= 0 && offset <= last) {
          actual[(int) Math.floor(offset / unitDays)] += row.getLong(1);
        }
      }
      double[] ends = new double[periods];
      for (int k = 0; k < periods; k++) {
        ends[k] = Math.min(Math.ceil((k + 1) * unitDays) - 1, last) / unitDays;
      }
      double[] first = new double[byFirstDay.size()];
      long[] counts = new long[byFirstDay.size()];
      int i = 0;
      for (var entry : byFirstDay.entrySet()) {
        first[i] = (entry.getKey() - origin) / unitDays;
        counts[i++] = entry.getValue();
      }
      return new Tracking(LocalDate.ofEpochDay(origin), unitDays, actual, ends, first, counts);
    }

    /**
     * One row per period: actual and expected repeat purchases, each in the period and to its end;
     * then the tracking error, the mean absolute difference of the two per period, and the error
     * of the cumulative expectation at the holdout's end in percent.
     */
    List<Row> rows(String model, PurchaseProcess process, double[] p) {
      double[] expected = HoldoutCheck.expectedCumulative(process, p, firstPurchase, customers, ends);
      List<Row> rows = new ArrayList<>();
      double actualCumulative = 0;
      double absolute = 0;
      for (int k = 0; k < actual.length; k++) {
        actualCumulative += actual[k];
        absolute += Math.abs(actual[k] - (expected[k] - (k == 0 ? 0 : expected[k - 1])));
        LocalDate start = origin.plusDays((long) Math.ceil(k * unitDays));
        rows.add(
            ClvValidationTable.tracking(
                model, k + 1, start, actual[k], expected[k] - (k == 0 ? 0 : expected[k - 1]), actualCumulative,
                expected[k]));
      }
      double last = expected[expected.length - 1];
      rows.add(ClvValidationTable.metric(model, "tracking_mae", absolute / actual.length));
      rows.add(
          ClvValidationTable.metric(
              model, "tracking_cumulative_error_percent", 100 * (last - actualCumulative) / actualCumulative));
      return rows;
    }
  }
}
