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
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Count-only data, every amount 1.0, through ingest, features, clv and score: Gamma-Gamma has no
 * spread to model, so it is not fitted and says why, and CLV is expected purchases × the
 * customer's mean spend × margin, discounted, finite for everyone.
 */
class CountOnlyClvTest {
  private static final LocalDate SNAPSHOT = LocalDate.of(2024, 12, 31);

  @TempDir Path dir;

  @Test
  void spendModelIsNotFittedAndClvUsesTheCustomersMeanSpend() {
    StructType schema =
        new StructType()
            .add("cust", DataTypes.LongType)
            .add("day", DataTypes.DateType)
            .add("amt", DataTypes.DoubleType);
    Random random = new Random(7);
    List<Object[]> rows = new ArrayList<>();
    for (long c = 0; c < 300; c++) {
      LocalDate day = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(300));
      int gap = 5 + random.nextInt(60);
      for (int n = 0; n < 1 + random.nextInt(8) && !day.isAfter(SNAPSHOT); n++, day = day.plusDays(gap)) {
        rows.add(new Object[] {c, java.sql.Date.valueOf(day), 1.0});
      }
    }
    String input = Fixtures.parquet(dir, "count-only", schema, rows.toArray(Object[][]::new));
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

    ClvJob.run(context, SNAPSHOT);
    ScoreJob.run(context, SNAPSHOT);

    ParquetWarehouse warehouse = new ParquetWarehouse(TestSpark.session(), config.requireWarehouse());
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
      clv *= config.clv().margin() * mean;
      assertThat(row.getDouble(4)).isEqualTo(mean);
      assertThat(row.getDouble(5)).as("CLV at x = %s", x).isFinite().isCloseTo(clv, within(1e-9 * clv + 1e-15));
    }
  }
}
