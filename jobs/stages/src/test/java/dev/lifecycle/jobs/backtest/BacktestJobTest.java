package dev.lifecycle.jobs.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.jobs.features.FeaturesJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.test.TestLog;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest stage on a small fixture, after ingest and features as a run gives them to it. */
class BacktestJobTest {
  private static final StructType SCHEMA =
      new StructType().add("cust", DataTypes.LongType).add("day", DataTypes.DateType).add("amt", DataTypes.DoubleType);

  @TempDir Path dir;

  /**
   * A holdout in which nobody bought again (only a new customer did): every error compares the
   * forecasts with 0, so a small MAE would read as a good forecast; the log says so, and that no
   * spend could be compared.
   */
  @Test
  void aHoldoutWithoutRepeatPurchasesIsWarnedOf() {
    Random random = new Random(3);
    List<Object[]> rows = new ArrayList<>();
    for (long c = 0; c < 200; c++) {
      LocalDate day = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(200));
      double usual = 5 + random.nextInt(95); // spend per purchase varies by customer
      for (int n = 0; n < 1 + random.nextInt(5) && day.isBefore(LocalDate.of(2024, 10, 1)); n++, day = day.plusDays(20)) {
        rows.add(new Object[] {c, java.sql.Date.valueOf(day), usual * (0.7 + 0.6 * random.nextDouble())});
      }
    }
    rows.add(new Object[] {999L, java.sql.Date.valueOf("2024-12-31"), 15.0}); // new after the cut
    String input = Fixtures.parquet(dir, "quiet", SCHEMA, rows.toArray(Object[][]::new));
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .with(
                    Map.of(
                        "input.path", input, "warehouse", dir.resolve("warehouse").toString(),
                        "input.columns.customer-id", "cust", "input.columns.timestamp", "day",
                        "input.columns.amount", "amt", "snapshot.as-of", "2024-10-31",
                        "validation.holdout-until", "2024-12-31", "features.time-unit", "week"),
                    "test"));
    StageContext context = Fixtures.context(config, "backtest");
    StringWriter log = new StringWriter();
    try (IngestResult ingest = Fixtures.ingest(context, false)) {
      FeaturesJob.run(context, ingest);
      BacktestJob.Result result = TestLog.capturing(log, () -> BacktestJob.run(context, ingest));
      assertThat(result.holdoutPurchases()).isZero();
    }

    assertThat(log.toString())
        .contains(
            "WARN lifecycle: backtest: no customer made a repeat purchase between 2024-10-31 and 2024-12-31: the"
                + " errors compare each forecast with 0",
            "WARN lifecycle: backtest: gamma_gamma not checked: no customer bought in the holdout, so there is no"
                + " spend to compare");
  }
}
