package dev.lifecycle.bench;

import dev.lifecycle.core.config.ConfigKey;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.jobs.sample.SampleJob;
import java.util.Map;

/** The config the benchmarks run {@code lifecycle sample} data with: its columns and last day. */
final class SampleConfig {
  private SampleConfig() {}

  static LifecycleConfig of(String input, String warehouse) {
    return of(input, warehouse, Map.of());
  }

  /** With further settings, {@code key → value}. */
  static LifecycleConfig of(String input, String warehouse, Map<String, String> settings) {
    return LifecycleConfig.from(
        Settings.defaults()
            .with(
                Map.of(
                    "input.columns.timestamp", "order_ts",
                    "input.columns.order-id", "order_id",
                    "snapshot.as-of", SampleJob.END.toString(),
                    "quality.max-rejected-share", "1"),
                "bench")
            .with(settings, "bench")
            .withFlag(ConfigKey.INPUT_PATH, input, "bench")
            .withFlag(ConfigKey.WAREHOUSE, warehouse, "bench"));
  }
}
