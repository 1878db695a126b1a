package dev.lifecycle.jobs.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.clv.BgNbd;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.jobs.features.FeaturesJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.retention.RetentionJob;
import dev.lifecycle.jobs.score.ScoreJob;
import dev.lifecycle.jobs.segment.SegmentJob;
import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.test.TestLog;
import dev.lifecycle.spark.test.TestSpark;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clv stage on small fixtures, after ingest and features as a run gives them to it. */
class ClvJobTest {
  private static final LocalDate SNAPSHOT = LocalDate.of(2024, 12, 31);
  private static final StructType SCHEMA =
      new StructType().add("cust", DataTypes.LongType).add("day", DataTypes.DateType).add("amt", DataTypes.DoubleType);

  @TempDir Path dir;

  /**
   * Count-only data, every amount 1.0: Gamma-Gamma has no spread to model, so it is not fitted and
   * says why, and CLV is expected purchases × the customer's mean spend × margin, discounted,
   * finite for everyone.
   */
  @Test
  void countOnlySpendIsNotFittedAndClvUsesTheCustomersMeanSpend() {
    StageContext context = ingestAndFeatures("count-only", (purchases, n) -> 1.0);

    ClvJob.run(context, SNAPSHOT);
    ScoreJob.run(context, SNAPSHOT);

    ParquetWarehouse warehouse = new ParquetWarehouse(TestSpark.session(), context.config().requireWarehouse());
    Map<String, ClvModelsTable.Model> models = ClvModelsTable.read(warehouse, SNAPSHOT);
    ClvModelsTable.Model spend = models.get(ClvModelsTable.GAMMA_GAMMA);
    assertThat(spend.status())
        .isEqualTo(
            "not fitted: spend does not vary: every amount is equal (1.0 per purchase);"
                + " CLV uses each customer's mean spend");
    assertThat(spend.fitted()).isFalse();
    assertThat(spend.frequencySpendCorrelation()).isNull();
    ClvModelsTable.Model purchase = models.get("bg_nbd");
    assertThat(purchase.fitted()).as(purchase.status()).isTrue();
    double[] p = purchase.values(BgNbd.PARAMETERS);

    List<Row> scores =
        warehouse.readPartition("customer_features", SNAPSHOT)
            .select("customer_id", "btyd_x", "btyd_t_x", "btyd_T", "monetary_total")
            .join(warehouse.readPartition("customer_scores", SNAPSHOT).select("customer_id", "expected_spend", "clv"), "customer_id")
            .select("btyd_x", "btyd_t_x", "btyd_T", "monetary_total", "expected_spend", "clv")
            .collectAsList();
    assertThat(scores).hasSize(300);
    double weekDiscount = Math.pow(1.1, -7 / 365.25);
    for (Row row : scores) {
      long x = row.getLong(0);
      double mean = row.getDouble(3) / (x + 1);
      double clv = 0;
      double before = 0;
      for (int k = 1; k <= 4; k++) {
        double cumulative = BgNbd.conditionalExpectedPurchases(p, k, x, row.getDouble(1), row.getDouble(2));
        clv += (cumulative - before) * Math.pow(weekDiscount, k);
        before = cumulative;
      }
      clv *= context.config().clv().margin() * mean;
      assertThat(row.getDouble(4)).isEqualTo(mean);
      assertThat(row.getDouble(5)).as("CLV at x = %s", x).isFinite().isCloseTo(clv, within(1e-9 * clv + 1e-15));
    }
  }

  /**
   * The intervals from the parameter draws: clv_models keeps each estimate's covariance and the
   * total CLV with its interval, which the customers' scores and the segments' totals add up to;
   * every customer's CLV and expected purchases lie inside their intervals, as every cohort's
   * cumulative NPV inside its retention curve's; and scoring again with the same seed gives the
   * same table.
   */
  @Test
  void intervalsHoldThePointsAndTotalsAddUp() {
    StageContext context = simulatedIngestAndFeatures("intervals");

    ClvJob.run(context, SNAPSHOT);
    SegmentJob.run(context, SNAPSHOT);
    ScoreJob.run(context, SNAPSHOT);

    ParquetWarehouse warehouse = new ParquetWarehouse(TestSpark.session(), context.config().requireWarehouse());
    Map<String, ClvModelsTable.Model> models = ClvModelsTable.read(warehouse, SNAPSHOT);
    ClvModelsTable.Model purchase = models.get("bg_nbd");
    assertThat(models.get(ClvModelsTable.GAMMA_GAMMA).fitted()).as(models.get(ClvModelsTable.GAMMA_GAMMA).status()).isTrue();
    assertThat(purchase.covariance()).hasSize(10);
    assertThat(purchase.covariance().get("r,r")).isCloseTo(Math.pow(purchase.standardErrors().get("r"), 2), within(1e-12));
    assertThat(models.get(ClvModelsTable.GAMMA_GAMMA).clvTotal()).isNull();

    Dataset<Row> scores = warehouse.readPartition("customer_scores", SNAPSHOT);
    double sum = scores.agg(functions.sum("clv")).first().getDouble(0);
    ClvModelsTable.Total total = purchase.clvTotal();
    // The totals are exact sums of each CLV in units of 2^-20, so the same on any partitioning
    assertThat(total.value()).isCloseTo(sum, within(600 * 0x1.0p-20));
    assertThat(total.p10()).isLessThan(total.value());
    assertThat(total.p90()).isGreaterThan(total.value());
    assertThat(
            scores
                .where(
                    "clv_p10 is null or clv_p90 is null or expected_purchases_p10 is null"
                        + " or not (clv_p10 <= clv and clv <= clv_p90 and clv_p10 < clv_p90)"
                        + " or not (expected_purchases_p10 <= expected_purchases"
                        + " and expected_purchases <= expected_purchases_p90)")
                .count())
        .isZero();

    double segments = 0;
    for (Row row :
        warehouse.readPartition("segment_profiles", SNAPSHOT).where("method = 'kmeans'").collectAsList()) {
      double value = row.getAs("clv_total");
      assertThat(row.<Double>getAs("clv_total_p10")).isLessThan(value);
      assertThat(row.<Double>getAs("clv_total_p90")).isGreaterThan(value);
      segments += value;
    }
    assertThat(segments).isCloseTo(sum, within(600 * 0x1.0p-20));

    List<Row> cohorts = warehouse.readPartition("cohort_value", SNAPSHOT).collectAsList();
    assertThat(cohorts).isNotEmpty();
    for (Row row : cohorts) {
      assertThat(row.<Double>getAs("cumulative_npv_p10")).as("%s", row).isLessThan(row.<Double>getAs("cumulative_npv"));
      assertThat(row.<Double>getAs("cumulative_npv_p90")).as("%s", row).isGreaterThan(row.<Double>getAs("cumulative_npv"));
    }

    List<Row> first = scores.collectAsList();
    ScoreJob.run(context, SNAPSHOT);
    Dataset<Row> again = warehouse.readPartition("customer_scores", SNAPSHOT);
    assertThat(again.collectAsList()).containsExactlyInAnyOrderElementsOf(first);
  }

  /** auto on features made without it has no summaries at the split: one line says so. */
  @Test
  void autoWithoutSummariesAtTheSplitSaysWhy() {
    StageContext made = ingestAndFeatures("no-split", (purchases, n) -> 10.0 + n);
    LifecycleConfig auto =
        LifecycleConfig.from(
            Settings.defaults()
                .with(
                    Map.of(
                        "warehouse", made.config().requireWarehouse(), "snapshot.as-of", SNAPSHOT.toString(),
                        "clv.purchase-model", "auto"),
                    "test"));

    assertThatThrownBy(() -> ClvJob.run(Fixtures.context(auto, "clv"), SNAPSHOT))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "Cannot choose a purchase model (clv.purchase-model = auto): customer_features of 2024-12-31 has no"
                + " customer summarised at the split; features ran without auto, or nobody had bought by 2024-10-02");
  }

  /**
   * Customers who buy more often spend more per purchase: Gamma-Gamma's independence does not
   * hold, which clv_models records and the run log warns of.
   */
  @Test
  void frequencyAndSpendThatCorrelateAreRecordedWithAWarning() {
    StageContext context = ingestAndFeatures("correlated", (purchases, n) -> 10.0 * purchases * (1 + 0.2 * (n % 3)));
    StringWriter log = new StringWriter();
    TestLog.capturing(log, () -> ClvJob.run(context, SNAPSHOT));

    ParquetWarehouse warehouse = new ParquetWarehouse(TestSpark.session(), context.config().requireWarehouse());
    double correlation = ClvModelsTable.read(warehouse, SNAPSHOT).get(ClvModelsTable.GAMMA_GAMMA).frequencySpendCorrelation();
    assertThat(correlation).isGreaterThan(0.3);
    assertThat(log.toString())
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "WARN lifecycle: clv: frequency and spend per purchase correlate at %.2f across", correlation),
            "Gamma-Gamma assumes them independent, so expected spend is biased");
  }

  /**
   * cohort_value projects each cohort's revenue per customer-period alive: year 1's revenue over
   * the customers the selected curve keeps alive through its twelve months equals the cohort's
   * revenue over its customers' months from acquisition through their last purchase, counted here
   * from the rows themselves (not per month with a purchase: these customers skip months).
   */
  @Test
  void cohortValueProjectsRevenuePerCustomerMonthAlive() {
    List<Object[]> rows = steadyBuyers((purchases, n) -> 10.0 + n % 3);
    Map<LocalDate, double[]> truth = new java.util.TreeMap<>(); // cohort month: revenue, customer-months
    Map<Object, List<LocalDate>> days = new java.util.HashMap<>();
    for (Object[] row : rows) {
      days.computeIfAbsent(row[0], c -> new ArrayList<>()).add(((java.sql.Date) row[1]).toLocalDate());
    }
    for (Object[] row : rows) {
      List<LocalDate> own = days.get(row[0]);
      LocalDate cohort = java.util.Collections.min(own).withDayOfMonth(1);
      truth.computeIfAbsent(cohort, c -> new double[2])[0] += (double) row[2];
    }
    for (List<LocalDate> own : days.values()) {
      LocalDate cohort = java.util.Collections.min(own).withDayOfMonth(1);
      LocalDate last = java.util.Collections.max(own).withDayOfMonth(1);
      truth.get(cohort)[1] += java.time.temporal.ChronoUnit.MONTHS.between(cohort, last) + 1;
    }
    StageContext context = ingestAndFeatures("cohort-value", rows);

    ClvJob.run(context, SNAPSHOT);

    ParquetWarehouse warehouse = new ParquetWarehouse(TestSpark.session(), context.config().requireWarehouse());
    List<Row> years =
        warehouse.readPartition("cohort_value", SNAPSHOT).where("year = 1").select("cohort", "model", "cohort_customers", "revenue").collectAsList();
    assertThat(years).hasSizeGreaterThan(5);
    for (Row year : years) {
      LocalDate cohort = year.getDate(0).toLocalDate();
      double alive =
          warehouse.readPartition("retention_curves", SNAPSHOT)
              .where(functions.col("cohort").equalTo(year.getDate(0)).and(functions.col("model").equalTo(year.getString(1))).and(functions.col("period").lt(12)))
              .agg(functions.sum("fitted_survival"))
              .first()
              .getDouble(0);
      double perMonth = year.getDouble(3) / (year.getLong(2) * alive);
      assertThat(perMonth).as("cohort %s", cohort).isCloseTo(truth.get(cohort)[0] / truth.get(cohort)[1], within(1e-9));
    }
  }

  /**
   * retention_models written before customer_periods existed: clv writes no cohort_value (it
   * would need that count) and says to run retention again, instead of failing.
   */
  @Test
  void retentionModelsWithoutCustomerPeriodsGiveNoCohortValueAndSaySo() throws java.io.IOException {
    StageContext context = ingestAndFeatures("old-retention", (purchases, n) -> 10.0 + n % 3);
    Path partition = dir.resolve("warehouse/retention_models/snapshot_date=" + SNAPSHOT);
    Path old = dir.resolve("old-retention-models");
    TestSpark.session().read().parquet(partition.toString()).drop("customer_periods").write().parquet(old.toString());
    org.apache.commons.io.FileUtils.deleteDirectory(partition.toFile());
    java.nio.file.Files.move(old, partition);
    StringWriter log = new StringWriter();

    TestLog.capturing(log, () -> ClvJob.run(context, SNAPSHOT));

    ParquetWarehouse warehouse = new ParquetWarehouse(TestSpark.session(), context.config().requireWarehouse());
    assertThat(warehouse.hasPartition("cohort_value", SNAPSHOT)).isFalse();
    assertThat(log.toString())
        .contains(
            "WARN lifecycle: clv: retention_models of " + SNAPSHOT + " has no customer_periods (written by an earlier"
                + " version): no cohort_value; run retention for the snapshot again");
  }

  /** A customer's purchase amount from their number of purchases and the purchase's place among them. */
  private interface Amount {
    double of(int purchases, int n);
  }

  /**
   * 300 customers with 1 to 8 purchases each at a steady gap, as Parquet, through ingest,
   * features and retention to {@link #SNAPSHOT}, in weeks.
   */
  private StageContext ingestAndFeatures(String name, Amount amount) {
    return ingestAndFeatures(name, steadyBuyers(amount));
  }

  /** The rows of {@link #ingestAndFeatures(String, Amount)}: customer, day, amount. */
  private static List<Object[]> steadyBuyers(Amount amount) {
    Random random = new Random(7);
    List<Object[]> rows = new ArrayList<>();
    for (long c = 0; c < 300; c++) {
      LocalDate day = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(300));
      int gap = 5 + random.nextInt(60);
      int purchases = 1 + random.nextInt(8);
      for (int n = 0; n < purchases && !day.isAfter(SNAPSHOT); n++, day = day.plusDays(gap)) {
        rows.add(new Object[] {c, java.sql.Date.valueOf(day), amount.of(purchases, n)});
      }
    }
    return rows;
  }

  /**
   * 600 customers as BG/NBD and Gamma-Gamma would have them: gaps exponential at a rate of their
   * own, dropping out after a repeat purchase with a probability of their own, and amounts
   * Gamma(4, their own scale).
   */
  private StageContext simulatedIngestAndFeatures(String name) {
    RandomGenerator random = new MersenneTwister(11);
    GammaDistribution rates = new GammaDistribution(random, 0.8, 1 / 25.0);
    BetaDistribution dropout = new BetaDistribution(random, 1, 4);
    GammaDistribution scales = new GammaDistribution(random, 3, 1 / 20.0);
    List<Object[]> rows = new ArrayList<>();
    for (long c = 0; c < 600; c++) {
      double rate = rates.sample();
      double p = dropout.sample();
      GammaDistribution amounts = new GammaDistribution(random, 4, 1 / scales.sample());
      double t = random.nextInt(600);
      do {
        rows.add(new Object[] {c, java.sql.Date.valueOf(LocalDate.of(2023, 1, 1).plusDays((long) t)), amounts.sample()});
        t += -Math.log(random.nextDouble()) / rate;
      } while (t < 730 && random.nextDouble() >= p);
    }
    return ingestAndFeatures(name, rows);
  }

  private StageContext ingestAndFeatures(String name, List<Object[]> rows) {
    String input = Fixtures.parquet(dir, name, SCHEMA, rows.toArray(Object[][]::new));
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .with(
                    Map.of(
                        "input.path", input,
                        "warehouse", dir.resolve("warehouse").toString(),
                        "input.columns.customer-id", "cust",
                        "input.columns.timestamp", "day",
                        "input.columns.amount", "amt",
                        "snapshot.as-of", SNAPSHOT.toString(),
                        "features.time-unit", "week",
                        "clv.time-unit", "week",
                        "clv.horizon", "4"),
                    "test"));
    StageContext context = Fixtures.context(config, "run");
    try (IngestResult ingest = Fixtures.ingest(context, true)) {
      FeaturesJob.run(context, ingest);
      RetentionJob.run(context, ingest);
    }
    return context;
  }
}
