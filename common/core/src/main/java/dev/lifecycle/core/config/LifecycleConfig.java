package dev.lifecycle.core.config;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The typed, validated configuration of one run. Built only through {@link #from(Settings)}, which
 * names the offending key and its source for any bad value.
 */
public record LifecycleConfig(
    Input input,
    InputColumns columns,
    ReturnsPolicy returns,
    ZeroAmountPolicy zeroAmounts,
    DuplicatePolicy duplicates,
    LocalDate earliestDate,
    Optional<String> warehouse,
    Output output,
    List<LocalDate> snapshots,
    Optional<LocalDate> holdoutUntil,
    Lease lease,
    PeriodUnit timeUnit,
    RfmSegmentMap rfmSegments,
    double maxRejectedShare,
    Retention retention,
    Clv clv,
    Lifecycle lifecycle,
    Value value,
    LoyaltyConfig loyalty,
    PropensityConfig propensity,
    Migration migration,
    Strategy strategy,
    SegmentConfig segment,
    TuneConfig tune,
    Map<String, String> sparkConf,
    Map<String, String> redacted) {

  /**
   * One writer per snapshot: a run holds the snapshot's lease while it writes; another run of the
   * same snapshot fails at once, or waits up to {@code waitSeconds}.
   */
  public record Lease(int staleSeconds, int waitSeconds) {}

  /**
   * How the tables are written: Parquet folders, Iceberg tables in a catalog (by the name Spark
   * knows it under) and a namespace, or Delta folders, optionally registered by name in a
   * namespace of the session catalog; and, when customer ids are pseudonymized, the environment
   * variable that holds the key (never the key itself, so no config dump can show it).
   */
  public record Output(
      OutputFormat format,
      String catalog,
      String namespace,
      Optional<String> deltaNamespace,
      Optional<String> pseudonymKeyVariable) {
    public Output(OutputFormat format, String catalog, String namespace) {
      this(format, catalog, namespace, Optional.empty(), Optional.empty());
    }
  }

  /**
   * Where the transactions are read: files at {@code path} (Parquet, or a Delta table's folder),
   * or a catalog {@code table}; at most one is set. A Delta input may be pinned to a {@code
   * version}, an Iceberg table to a {@code snapshotId}.
   */
  public record Input(
      Optional<String> path, Optional<String> table, InputFormat format, Optional<Long> version, Optional<Long> snapshotId) {
    /** Files at a path, read as Parquet. */
    public static Input parquet(String path) {
      return new Input(Optional.of(path), Optional.empty(), InputFormat.PARQUET, Optional.empty(), Optional.empty());
    }

    /** The path or table, as messages name the input. */
    public String name() {
      return path.or(() -> table).orElseThrow(() -> Settings.missing(ConfigKey.INPUT_PATH));
    }
  }

  /** Whether a session for this config must start with Delta's extension and catalog. */
  public boolean usesDelta() {
    return output.format() == OutputFormat.DELTA || input.format() == InputFormat.DELTA || input.table().isPresent();
  }

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

  /**
   * Customer value: the purchase model (with Gamma-Gamma for spend), the horizon of the per-customer
   * CLV in an explicit time unit, the margin on revenue, the yearly discount rate, the costs of the
   * Dwyer cohort table and how many years it runs.
   */
  public record Clv(
      PurchaseModel purchaseModel,
      int horizon,
      PeriodUnit timeUnit,
      double margin,
      double discountRate,
      double acquisitionCost,
      double costPerCustomer,
      int years,
      int intervalDraws,
      long intervalSeed,
      int autoHoldoutDays) {
    /**
     * The day {@code auto} splits the calibration at: {@link #autoHoldoutDays} before the
     * snapshot; empty unless the purchase model is {@code auto}.
     */
    public Optional<LocalDate> autoSplit(LocalDate snapshot) {
      return purchaseModel == PurchaseModel.AUTO ? Optional.of(snapshot.minusDays(autoHoldoutDays)) : Optional.empty();
    }
  }

  /** The purchase model of the per-customer CLV. */
  public enum PurchaseModel {
    BG_NBD,
    MBG_NBD,
    PARETO_NBD,
    /** Not a model: the clv stage chooses one of the others on a split of the calibration. */
    AUTO;

    /** The models {@code auto} chooses from, and the backtest compares. */
    public static final List<PurchaseModel> CANDIDATES = List.of(BG_NBD, MBG_NBD, PARETO_NBD);

    /** The model's name in the tables: bg_nbd, mbg_nbd or pareto_nbd. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The model of a label in the tables. */
    public static PurchaseModel ofLabel(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * Lifecycle stages: the exploration window after the first purchase, the length and number of
   * the comparable spend windows, the growth rate between formation and stability, the P(alive)
   * below which a customer is lost, and the windows of stability that make a long one.
   */
  public record Lifecycle(
      int explorationDays,
      int windowDays,
      int historyWindows,
      double growth,
      double lostBelow,
      int longStabilityWindows)
      implements java.io.Serializable {}

  /**
   * The value matrix: the days of current value, and the quantiles that split each axis (current
   * value, potential value, and for the value classes loyalty); and, with a perceptron, the
   * snapshot whose classes it learns and its hidden layers.
   */
  public record Value(
      int currentDays,
      double currentSplit,
      double potentialSplit,
      double loyaltySplit,
      ValueClassifier classifier,
      Optional<LocalDate> referenceSnapshot,
      int[] hiddenLayers) {
    /** The rule alone, no perceptron. */
    public Value(int currentDays, double currentSplit, double potentialSplit, double loyaltySplit) {
      this(currentDays, currentSplit, potentialSplit, loyaltySplit, ValueClassifier.RULE, Optional.empty(), new int[] {8});
    }
  }

  /**
   * How customers' moves between snapshots are told: the days that make a customer active at a
   * snapshot; empty for the period since the snapshot before it.
   */
  public record Migration(OptionalInt activeDays) {}

  /**
   * Each customer's action: the rules, and the P(alive) below which the band is {@code low} and
   * from which it is {@code high}.
   */
  public record Strategy(StrategyRules rules, double lowAliveBelow, double highAliveFrom) {}

  private static Strategy strategy(Settings settings) {
    StrategyRules rules =
        StrategyRules.parse(
            settings.required(ConfigKey.STRATEGY_RULES),
            settings.required(ConfigKey.STRATEGY_ACTIONS),
            reason -> settings.invalid(ConfigKey.STRATEGY_RULES, reason),
            reason -> settings.invalid(ConfigKey.STRATEGY_ACTIONS, reason));
    String[] bands = settings.required(ConfigKey.STRATEGY_ALIVE_BANDS).split(",");
    double low;
    double high;
    try {
      low = bands.length == 2 ? Double.parseDouble(bands[0].trim()) : Double.NaN;
      high = bands.length == 2 ? Double.parseDouble(bands[1].trim()) : Double.NaN;
    } catch (NumberFormatException e) {
      low = Double.NaN;
      high = Double.NaN;
    }
    if (!(low > 0 && low < high && high < 1)) {
      throw settings.invalid(ConfigKey.STRATEGY_ALIVE_BANDS, "expected L,H with 0 < L < H < 1");
    }
    return new Strategy(rules, low, high);
  }

  /** How customers get their value class: the rule alone, or also a perceptron that learnt the rule. */
  public enum ValueClassifier {
    RULE,
    PERCEPTRON
  }

  private static Value value(Settings settings) {
    ValueClassifier classifier = settings.choice(ConfigKey.VALUE_CLASSIFIER, ValueClassifier.class);
    Optional<LocalDate> reference = settings.date(ConfigKey.VALUE_REFERENCE_SNAPSHOT);
    if (classifier == ValueClassifier.PERCEPTRON && reference.isEmpty()) {
      throw settings.invalid(
          ConfigKey.VALUE_CLASSIFIER,
          "a perceptron learns the classes of an earlier snapshot: set " + ConfigKey.VALUE_REFERENCE_SNAPSHOT.key());
    }
    return new Value(
        settings.integer(ConfigKey.VALUE_CURRENT_DAYS, 1),
        settings.fraction(ConfigKey.VALUE_CURRENT_SPLIT),
        settings.fraction(ConfigKey.VALUE_POTENTIAL_SPLIT),
        settings.fraction(ConfigKey.VALUE_LOYALTY_SPLIT),
        classifier,
        reference,
        PropensityConfig.hiddenLayers(settings, ConfigKey.VALUE_HIDDEN_LAYERS));
  }

  /**
   * The snapshot (the last one of many), if set; unset, ingest takes the input's last transaction
   * date and the other stages the newest snapshot of {@code customer_features}.
   */
  public Optional<LocalDate> asOf() {
    return snapshots.isEmpty() ? Optional.empty() : Optional.of(snapshots.get(snapshots.size() - 1));
  }

  private static List<LocalDate> snapshots(Settings settings) {
    return SnapshotDates.parse(
        settings.optional(ConfigKey.SNAPSHOT_AS_OF),
        settings.optional(ConfigKey.SNAPSHOT_EVERY).map(v -> settings.choice(ConfigKey.SNAPSHOT_EVERY, SnapshotDates.Every.class)),
        settings::invalid);
  }

  /** The end of the backtest's holdout: after the snapshot, which must be set, and only one. */
  private static Optional<LocalDate> holdoutUntil(Settings settings, List<LocalDate> snapshots) {
    Optional<LocalDate> until = settings.date(ConfigKey.VALIDATION_HOLDOUT_UNTIL);
    if (until.isPresent() && snapshots.isEmpty()) {
      throw settings.invalid(
          ConfigKey.VALIDATION_HOLDOUT_UNTIL,
          "a holdout needs the end of calibration: set " + ConfigKey.SNAPSHOT_AS_OF.key() + " (--as-of)");
    }
    if (until.isPresent() && snapshots.size() > 1) {
      throw settings.invalid(
          ConfigKey.VALIDATION_HOLDOUT_UNTIL,
          "a backtest calibrates to one snapshot, but " + ConfigKey.SNAPSHOT_AS_OF.key() + " makes " + snapshots.size());
    }
    Optional<LocalDate> asOf = snapshots.stream().findFirst();
    if (until.isPresent() && !until.get().isAfter(asOf.get())) {
      throw settings.invalid(
          ConfigKey.VALIDATION_HOLDOUT_UNTIL, "must be after " + ConfigKey.SNAPSHOT_AS_OF.key() + " " + asOf.get());
    }
    return until;
  }

  public static LifecycleConfig from(Settings settings) {
    List<LocalDate> snapshots = snapshots(settings);
    return new LifecycleConfig(
        input(settings),
        inputColumns(settings),
        settings.choice(ConfigKey.INPUT_RETURNS, ReturnsPolicy.class),
        settings.choice(ConfigKey.INPUT_ZERO_AMOUNTS, ZeroAmountPolicy.class),
        settings.choice(ConfigKey.INPUT_DUPLICATES, DuplicatePolicy.class),
        settings.date(ConfigKey.INPUT_EARLIEST_DATE).orElseThrow(() -> Settings.missing(ConfigKey.INPUT_EARLIEST_DATE)),
        settings.optional(ConfigKey.WAREHOUSE),
        new Output(
            settings.choice(ConfigKey.OUTPUT_FORMAT, OutputFormat.class),
            identifier(settings, ConfigKey.OUTPUT_ICEBERG_CATALOG),
            identifier(settings, ConfigKey.OUTPUT_ICEBERG_NAMESPACE),
            deltaNamespace(settings),
            settings.bool(ConfigKey.OUTPUT_PSEUDONYMIZE_IDS)
                ? Optional.of(settings.required(ConfigKey.OUTPUT_PSEUDONYMIZE_KEY_ENV))
                : Optional.empty()),
        snapshots,
        holdoutUntil(settings, snapshots),
        new Lease(settings.integer(ConfigKey.LEASE_STALE_SECONDS, 10), settings.integer(ConfigKey.LEASE_WAIT_SECONDS, 0)),
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
        new Clv(
            settings.choice(ConfigKey.CLV_PURCHASE_MODEL, PurchaseModel.class),
            settings.integer(ConfigKey.CLV_HORIZON, 1),
            settings.choice(ConfigKey.CLV_TIME_UNIT, PeriodUnit.class),
            settings.nonNegative(ConfigKey.CLV_MARGIN),
            settings.nonNegative(ConfigKey.CLV_DISCOUNT_RATE),
            settings.nonNegative(ConfigKey.CLV_ACQUISITION_COST),
            settings.nonNegative(ConfigKey.CLV_COST_PER_CUSTOMER),
            settings.integer(ConfigKey.CLV_YEARS, 1),
            settings.integer(ConfigKey.CLV_INTERVAL_DRAWS, 0),
            settings.integer(ConfigKey.CLV_INTERVAL_SEED, 0),
            settings.integer(ConfigKey.CLV_AUTO_HOLDOUT_DAYS, 1)),
        new Lifecycle(
            settings.integer(ConfigKey.LIFECYCLE_EXPLORATION_DAYS, 0),
            settings.integer(ConfigKey.LIFECYCLE_WINDOW_DAYS, 1),
            settings.integer(ConfigKey.LIFECYCLE_HISTORY_WINDOWS, 2),
            settings.nonNegative(ConfigKey.LIFECYCLE_GROWTH),
            settings.fraction(ConfigKey.LIFECYCLE_LOST_BELOW),
            settings.integer(ConfigKey.LIFECYCLE_LONG_STABILITY_WINDOWS, 1)),
        value(settings),
        LoyaltyConfig.from(settings),
        PropensityConfig.from(settings),
        new Migration(
            settings.optional(ConfigKey.MIGRATION_ACTIVE_DAYS).isPresent()
                ? OptionalInt.of(settings.integer(ConfigKey.MIGRATION_ACTIVE_DAYS, 1))
                : OptionalInt.empty()),
        strategy(settings),
        SegmentConfig.from(settings),
        TuneConfig.from(settings),
        settings.sparkConf(),
        settings.redacted());
  }

  /** The input, which must be set: {@code input.path} or {@code input.table}. */
  public Input requireInput() {
    input.name();
    return input;
  }

  private static Input input(Settings settings) {
    Optional<String> path = settings.optional(ConfigKey.INPUT_PATH);
    Optional<String> table = settings.optional(ConfigKey.INPUT_TABLE);
    InputFormat format = settings.choice(ConfigKey.INPUT_FORMAT, InputFormat.class);
    Optional<Long> version = settings.optional(ConfigKey.INPUT_VERSION).map(v -> settings.whole(ConfigKey.INPUT_VERSION, 0));
    Optional<Long> snapshotId =
        settings.optional(ConfigKey.INPUT_SNAPSHOT_ID).map(v -> settings.whole(ConfigKey.INPUT_SNAPSHOT_ID, Long.MIN_VALUE));
    if (path.isPresent() && table.isPresent()) {
      throw settings.invalid(ConfigKey.INPUT_TABLE, "set input.path (--input) or input.table, not both");
    }
    if (table.isPresent() && !table.get().matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){1,2}")) {
      throw settings.invalid(ConfigKey.INPUT_TABLE, "expected <catalog>.<namespace>.<table> or <namespace>.<table>");
    }
    if (table.isPresent() && format != InputFormat.PARQUET) {
      throw settings.invalid(ConfigKey.INPUT_FORMAT, "is for input.path; a table's format is its catalog's");
    }
    if (version.isPresent() && snapshotId.isPresent()) {
      throw settings.invalid(ConfigKey.INPUT_SNAPSHOT_ID, "pins an Iceberg table, input.version a Delta one: set one");
    }
    if (version.isPresent() && table.isEmpty() && format != InputFormat.DELTA) {
      throw settings.invalid(ConfigKey.INPUT_VERSION, "pins a Delta input: set input.format = delta or input.table");
    }
    if (snapshotId.isPresent() && table.isEmpty()) {
      throw settings.invalid(ConfigKey.INPUT_SNAPSHOT_ID, "pins an Iceberg input.table");
    }
    return new Input(path, table, format, version, snapshotId);
  }

  /** The namespace Delta tables are registered in, if any: one or two names. */
  private static Optional<String> deltaNamespace(Settings settings) {
    Optional<String> namespace = settings.optional(ConfigKey.OUTPUT_DELTA_NAMESPACE);
    if (namespace.isPresent() && !namespace.get().matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
      throw settings.invalid(ConfigKey.OUTPUT_DELTA_NAMESPACE, "expected <schema> or <catalog>.<schema>: letters, digits and underscores");
    }
    return namespace;
  }

  /**
   * The input's columns by role; two roles on one column (Spark's names are case-insensitive) are
   * refused, naming the later key: the customer id read as the amount is no run.
   */
  private static InputColumns inputColumns(Settings settings) {
    InputColumns columns =
        new InputColumns(
            settings.required(ConfigKey.INPUT_CUSTOMER_ID),
            settings.required(ConfigKey.INPUT_TIMESTAMP),
            settings.required(ConfigKey.INPUT_AMOUNT),
            settings.optional(ConfigKey.INPUT_ORDER_ID));
    List<ConfigKey> keys =
        List.of(ConfigKey.INPUT_CUSTOMER_ID, ConfigKey.INPUT_TIMESTAMP, ConfigKey.INPUT_AMOUNT, ConfigKey.INPUT_ORDER_ID);
    List<Optional<String>> names =
        List.of(Optional.of(columns.customerId()), Optional.of(columns.timestamp()), Optional.of(columns.amount()), columns.orderId());
    for (int later = 1; later < keys.size(); later++) {
      for (int earlier = 0; earlier < later; earlier++) {
        if (names.get(later).isPresent() && names.get(later).get().equalsIgnoreCase(names.get(earlier).get())) {
          throw settings.invalid(
              keys.get(later), "it is also " + keys.get(earlier).key() + "'s column; each role needs a column of its own");
        }
      }
    }
    return columns;
  }

  /** A catalog or namespace name: letters, digits and underscores, not starting with a digit. */
  private static String identifier(Settings settings, ConfigKey key) {
    String name = settings.required(key);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw settings.invalid(key, "use letters, digits and underscores, not starting with a digit");
    }
    return name;
  }

  public String requireWarehouse() {
    return warehouse.orElseThrow(() -> Settings.missing(ConfigKey.WAREHOUSE));
  }
}
