package dev.lifecycle.bench;

import dev.lifecycle.core.config.ConfigKey;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.jobs.features.FeaturesJob;
import dev.lifecycle.jobs.ingest.IngestJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.sample.SampleJob;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.StageContext;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The config the benchmarks run {@code lifecycle sample} data with (its columns and last day), and
 * the stages they set up with.
 */
final class SampleConfig {
  private SampleConfig() {}

  /** What a stage is given, as a run would give it. */
  static StageContext context(SparkSession spark, LifecycleConfig config) {
    return new StageContext(spark, config, Warehouse.of(spark, config.output(), config.requireWarehouse()), "bench", "bench");
  }

  /** Ingest and features, as {@code lifecycle features} runs them. */
  static void ingestAndFeatures(StageContext context) {
    try (IngestResult ingest = IngestJob.run(context, IngestJob.open(context, false), false)) {
      FeaturesJob.run(context, ingest);
    }
  }

  static LifecycleConfig of(String input, String warehouse) {
    return of(input, warehouse, Map.of());
  }

  /** With further settings, {@code key → value}. */
  static LifecycleConfig of(String input, String warehouse, Map<String, String> settings) {
    return LifecycleConfig.from(
        Settings.defaults()
            .with(
                Map.of(
                    "input.columns.order-id", "order_id",
                    "snapshot.as-of", SampleJob.END.toString(),
                    "quality.max-rejected-share", "1"),
                "bench")
            .with(settings, "bench")
            .withFlag(ConfigKey.INPUT_PATH, input, "bench")
            .withFlag(ConfigKey.WAREHOUSE, warehouse, "bench"));
  }
}
