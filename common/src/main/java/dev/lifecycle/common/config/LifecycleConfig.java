package dev.lifecycle.common.config;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * The typed, validated configuration of one run. Built only through {@link #from(Settings)}, which
 * names the offending key and its source for any bad value.
 */
public record LifecycleConfig(
    Optional<String> inputPath,
    InputColumns columns,
    ReturnsPolicy returns,
    ZeroAmountPolicy zeroAmounts,
    Optional<String> warehouse,
    OutputFormat outputFormat,
    Optional<LocalDate> asOf,
    PeriodUnit timeUnit,
    RfmSegmentMap rfmSegments,
    double maxRejectedShare,
    Retention retention,
    Map<String, String> sparkConf,
    Map<String, String> redacted) {

  /** The input column mapping; the order id is optional. */
  public record InputColumns(
      String customerId, String timestamp, String amount, Optional<String> orderId) {}

  /**
   * How cohorts and their curves are built: the cohort period, an optional input column that splits
   * cohorts into segments, when a quiet customer counts as churned, the periods held out to score
   * the fits, how far curves are projected, and the size below which cohorts are pooled.
   */
  public record Retention(
      RetentionPeriod period,
      Optional<String> cohortAttribute,
      int churnAfterDays,
      int holdout,
      int horizon,
      int minCohortSize) {}

  public static LifecycleConfig from(Settings settings) {
    OutputFormat format = settings.choice(ConfigKey.OUTPUT_FORMAT, OutputFormat.class);
    if (format == OutputFormat.ICEBERG) {
      throw settings.invalid(ConfigKey.OUTPUT_FORMAT, "iceberg is not available yet; use parquet");
    }
    return new LifecycleConfig(
        settings.optional(ConfigKey.INPUT_PATH),
        new InputColumns(
            settings.required(ConfigKey.INPUT_CUSTOMER_ID),
            settings.required(ConfigKey.INPUT_TIMESTAMP),
            settings.required(ConfigKey.INPUT_AMOUNT),
            settings.optional(ConfigKey.INPUT_ORDER_ID)),
        settings.choice(ConfigKey.INPUT_RETURNS, ReturnsPolicy.class),
        settings.choice(ConfigKey.INPUT_ZERO_AMOUNTS, ZeroAmountPolicy.class),
        settings.optional(ConfigKey.WAREHOUSE),
        format,
        settings.date(ConfigKey.SNAPSHOT_AS_OF),
        settings.choice(ConfigKey.FEATURES_TIME_UNIT, PeriodUnit.class),
        RfmSegmentMap.parse(
            settings.required(ConfigKey.FEATURES_RFM_SEGMENTS),
            reason -> settings.invalid(ConfigKey.FEATURES_RFM_SEGMENTS, reason)),
        settings.fraction(ConfigKey.QUALITY_MAX_REJECTED_SHARE),
        new Retention(
            settings.choice(ConfigKey.RETENTION_PERIOD, RetentionPeriod.class),
            settings.optional(ConfigKey.RETENTION_COHORT_ATTRIBUTE),
            settings.integer(ConfigKey.RETENTION_CHURN_AFTER_DAYS, 1),
            settings.integer(ConfigKey.RETENTION_HOLDOUT, 0),
            settings.integer(ConfigKey.RETENTION_HORIZON, 1),
            settings.integer(ConfigKey.RETENTION_MIN_COHORT_SIZE, 1)),
        settings.sparkConf(),
        settings.redacted());
  }

  public String requireInputPath() {
    return inputPath.orElseThrow(() -> Settings.missing(ConfigKey.INPUT_PATH));
  }

  public String requireWarehouse() {
    return warehouse.orElseThrow(() -> Settings.missing(ConfigKey.WAREHOUSE));
  }
}
