package dev.lifecycle.core.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every configuration key the product knows, with its built-in default. Keys under {@code spark.}
 * are passed to the Spark session as they are and are not listed here.
 */
public enum ConfigKey {
  INPUT_PATH("input.path", null),
  INPUT_CUSTOMER_ID("input.columns.customer-id", "customer_id"),
  INPUT_TIMESTAMP("input.columns.timestamp", "timestamp"),
  INPUT_AMOUNT("input.columns.amount", "amount"),
  INPUT_ORDER_ID("input.columns.order-id", null),
  INPUT_RETURNS("input.returns", "exclude"),
  INPUT_ZERO_AMOUNTS("input.zero-amounts", "keep"),
  INPUT_DUPLICATES("input.duplicates", "reject"),
  WAREHOUSE("warehouse", null),
  OUTPUT_FORMAT("output.format", "parquet"),
  OUTPUT_ICEBERG_CATALOG("output.iceberg.catalog", "lifecycle"),
  OUTPUT_ICEBERG_NAMESPACE("output.iceberg.namespace", "lifecycle"),
  OUTPUT_PSEUDONYMIZE_IDS("output.pseudonymize-ids", "false"),
  OUTPUT_PSEUDONYMIZE_KEY_ENV("output.pseudonymize-key-env", "LIFECYCLE_ID_KEY"),
  SNAPSHOT_AS_OF("snapshot.as-of", null),
  FEATURES_TIME_UNIT("features.time-unit", "week"),
  FEATURES_RFM_SEGMENTS("features.rfm-segments", RfmSegmentMap.DEFAULT_RULES),
  QUALITY_MAX_REJECTED_SHARE("quality.max-rejected-share", "0.5"),
  RETENTION_PERIOD("retention.period", "month"),
  RETENTION_COHORT_ATTRIBUTE("retention.cohort-attribute", null),
  RETENTION_CHURN_AFTER_DAYS("retention.churn-after-days", "180"),
  RETENTION_HOLDOUT("retention.holdout", "3"),
  RETENTION_HORIZON("retention.horizon", "36"),
  RETENTION_MIN_COHORT_SIZE("retention.min-cohort-size", "100"),
  CLV_PURCHASE_MODEL("clv.purchase-model", "bg-nbd"),
  CLV_HORIZON("clv.horizon", "12"),
  CLV_TIME_UNIT("clv.time-unit", "month"),
  CLV_MARGIN("clv.margin", "1"),
  CLV_DISCOUNT_RATE("clv.discount-rate", "0.1"),
  CLV_ACQUISITION_COST("clv.acquisition-cost", "0"),
  CLV_COST_PER_CUSTOMER("clv.cost-per-customer", "0"),
  CLV_YEARS("clv.years", "5"),
  LIFECYCLE_EXPLORATION_DAYS("lifecycle.exploration-days", "90"),
  LIFECYCLE_WINDOW_DAYS("lifecycle.window-days", "91"),
  LIFECYCLE_HISTORY_WINDOWS("lifecycle.history-windows", "8"),
  LIFECYCLE_GROWTH("lifecycle.growth", "0.1"),
  LIFECYCLE_LOST_BELOW("lifecycle.lost-below", "0.2"),
  LIFECYCLE_LONG_STABILITY_WINDOWS("lifecycle.long-stability-windows", "4"),
  VALUE_CURRENT_DAYS("value.current-days", "365"),
  VALUE_CURRENT_SPLIT("value.current-split", "0.5"),
  VALUE_POTENTIAL_SPLIT("value.potential-split", "0.5"),
  SEGMENT_FEATURES("segment.features", "recency,frequency,monetary"),
  SEGMENT_K("segment.k", "4..10"),
  SEGMENT_SAMPLE_SIZE("segment.sample-size", "20000"),
  SEGMENT_SEED("segment.seed", "42"),
  SEGMENT_SOM_GRID("segment.som.grid", "auto"),
  SEGMENT_SOM_MAX_NODES("segment.som.max-nodes", "400"),
  SEGMENT_SOM_TOPOLOGY("segment.som.topology", "hexagonal"),
  SEGMENT_SOM_NEIGHBOURHOOD("segment.som.neighbourhood", "gaussian"),
  SEGMENT_SOM_ITERATIONS("segment.som.iterations", "20"),
  SEGMENT_SOM_INIT("segment.som.init", "pca"),
  SEGMENT_MODEL_IN("segment.model-in", null),
  SEGMENT_MODEL_OUT("segment.model-out", null),
  TUNE_K("tune.k", null),
  TUNE_SOM_GRID("tune.som.grid", null),
  TUNE_FEATURES("tune.features", null),
  TUNE_SEEDS("tune.seeds", "1,2,3");

  public static final String SPARK_PREFIX = "spark.";

  private final String key;
  private final String defaultValue;

  ConfigKey(String key, String defaultValue) {
    this.key = key;
    this.defaultValue = defaultValue;
  }

  public String key() {
    return key;
  }

  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public static Optional<ConfigKey> of(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  public static boolean isKnown(String key) {
    return key.startsWith(SPARK_PREFIX) && key.length() > SPARK_PREFIX.length() || of(key).isPresent();
  }
}
