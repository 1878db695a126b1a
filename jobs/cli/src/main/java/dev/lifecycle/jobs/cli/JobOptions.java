package dev.lifecycle.jobs.cli;

import dev.lifecycle.core.config.ConfigKey;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options shared by the pipeline commands. Precedence: flag, then --set, then the config file,
 * then the built-in default.
 */
public final class JobOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Config file of key = value lines.")
  Path config;

  @Option(names = "--input", paramLabel = "URI", description = "Transactions: Parquet file, folder or glob (input.path).")
  String input;

  @Option(names = "--warehouse", paramLabel = "URI", description = "Where the tables go (warehouse).")
  String warehouse;

  @Option(
      names = "--as-of",
      paramLabel = "DATES",
      description =
          "Snapshot date YYYY-MM-DD, a comma list, or a range A..B with --every (snapshot.as-of; default: the last transaction date, or for commands that read customer_features, its newest snapshot).")
  String asOf;

  @Option(names = "--every", paramLabel = "STEP", description = "week, month or quarter: the step of an --as-of range (snapshot.every).")
  String every;

  @Option(
      names = "--holdout-until",
      paramLabel = "YYYY-MM-DD",
      description = "backtest, run: compare the purchase models' forecasts with (--as-of, this] (validation.holdout-until).")
  String holdoutUntil;

  @Option(names = "--model-in", paramLabel = "URI", description = "segment, run: assign segments with this saved model, no refit (segment.model-in).")
  String modelIn;

  @Option(names = "--model-out", paramLabel = "URI", description = "segment, run: save the fitted segment model here (segment.model-out).")
  String modelOut;

  @Option(names = "--propensity-model-in", paramLabel = "URI", description = "propensity, run: score churn with this saved model, no training (propensity.model-in).")
  String propensityModelIn;

  @Option(names = "--propensity-model-out", paramLabel = "URI", description = "propensity, run: save the chosen churn model here (propensity.model-out).")
  String propensityModelOut;

  @Option(names = "--wait", description = "Wait up to an hour for another run of the same snapshot to finish (lease.wait-seconds=3600).")
  boolean waitForLease;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any config key; repeatable.")
  Map<String, String> sets = new LinkedHashMap<>();

  @Mixin SparkOptions spark;

  LifecycleConfig load() {
    Settings settings = Settings.defaults();
    if (config != null) {
      settings.withFile(config);
    }
    settings
        .with(sets, "--set")
        .withFlag(ConfigKey.INPUT_PATH, input, "--input")
        .withFlag(ConfigKey.WAREHOUSE, warehouse, "--warehouse")
        .withFlag(ConfigKey.SNAPSHOT_AS_OF, asOf, "--as-of")
        .withFlag(ConfigKey.SNAPSHOT_EVERY, every, "--every")
        .withFlag(ConfigKey.VALIDATION_HOLDOUT_UNTIL, holdoutUntil, "--holdout-until")
        .withFlag(ConfigKey.SEGMENT_MODEL_IN, modelIn, "--model-in")
        .withFlag(ConfigKey.SEGMENT_MODEL_OUT, modelOut, "--model-out")
        .withFlag(ConfigKey.PROPENSITY_MODEL_IN, propensityModelIn, "--propensity-model-in")
        .withFlag(ConfigKey.PROPENSITY_MODEL_OUT, propensityModelOut, "--propensity-model-out")
        .withFlag(ConfigKey.LEASE_WAIT_SECONDS, waitForLease ? "3600" : null, "--wait");
    // Spark's own checks of spark.sql.* values, before any session starts, naming where each came from
    SparkProvider.checkSqlSettings(settings);
    return LifecycleConfig.from(settings);
  }
}
