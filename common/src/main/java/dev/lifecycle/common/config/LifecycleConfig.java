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
    Map<String, String> sparkConf,
    Map<String, String> redacted) {

  /** The input column mapping; the order id is optional. */
  public record InputColumns(
      String customerId, String timestamp, String amount, Optional<String> orderId) {}

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
