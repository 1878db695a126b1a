package dev.lifecycle.jobs.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.clv.BgNbd;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.jobs.features.FeaturesJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.score.ScoreJob;
import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.test.TestSpark;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Row;
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
   * Customers who buy more often spend more per purchase: Gamma-Gamma's independence does not
   * hold, which clv_models records and the run log warns of.
   */
  @Test
  void frequencyAndSpendThatCorrelateAreRecordedWithAWarning() {
    StageContext context = ingestAndFeatures("correlated", (purchases, n) -> 10.0 * purchases * (1 + 0.2 * (n % 3)));
    StringWriter log = new StringWriter();
    LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    WriterAppender capture =
        WriterAppender.newBuilder()
            .setName("clv-test")
            .setTarget(log)
            .setLayout(PatternLayout.newBuilder().withPattern("%p %m%n").build())
            .build();
    capture.start();
    LoggerConfig root = logging.getConfiguration().getRootLogger();
    root.addAppender(capture, Level.WARN, null);
    logging.updateLoggers();
    try {
      ClvJob.run(context, SNAPSHOT);
    } finally {
      root.removeAppender("clv-test");
      logging.updateLoggers();
      capture.stop();
    }

    ParquetWarehouse warehouse = new ParquetWarehouse(TestSpark.session(), context.config().requireWarehouse());
    double correlation = ClvModelsTable.read(warehouse, SNAPSHOT).get(ClvModelsTable.GAMMA_GAMMA).frequencySpendCorrelation();
    assertThat(correlation).isGreaterThan(0.3);
    assertThat(log.toString())
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "WARN clv: frequency and spend per purchase correlate at %.2f across", correlation),
            "Gamma-Gamma assumes them independent, so expected spend is biased");
  }

  /** A customer's purchase amount from their number of purchases and the purchase's place among them. */
  private interface Amount {
    double of(int purchases, int n);
  }

  /**
   * 300 customers with 1 to 8 purchases each at a steady gap, as Parquet, through ingest and
   * features to {@link #SNAPSHOT}, in weeks.
   */
  private StageContext ingestAndFeatures(String name, Amount amount) {
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
    try (IngestResult ingest = Fixtures.ingest(context, false)) {
      FeaturesJob.run(context, ingest);
    }
    return context;
  }
}
