package dev.lifecycle.core.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every configuration key the product knows, with its built-in default and what it means: the
 * source of docs/config.md ({@link ConfigReference}). Keys under {@code spark.} are passed to the
 * Spark session as they are and are not listed here.
 */
public enum ConfigKey {
  INPUT_PATH(
      "input.path",
      null,
      "none; required by `run`, `ingest`, `features`, `retention`",
      "URI of a Parquet file, folder or glob on any Hadoop FS (`file:`, `hdfs:`, `s3a:`, "
          + "`abfs:`), or of a Delta table's folder with `input.format = delta`; relative paths "
          + "resolve against the working directory. Flag: `--input`"),
  INPUT_FORMAT(
      "input.format",
      "parquet",
      "`parquet` or `delta`: what `input.path` holds"),
  INPUT_TABLE(
      "input.table",
      null,
      "none; instead of `input.path`",
      "a table in a Spark catalog, `<catalog>.<namespace>.<table>` (or `<namespace>.<table>` in the "
          + "session catalog): Iceberg, Delta or Hive, configured with `spark.sql.catalog.<name>.*` "
          + "keys. An Iceberg or Delta table is read at one version, recorded in the manifest"),
  INPUT_VERSION(
      "input.version",
      null,
      "none: the newest",
      "a Delta input's version to read (`input.format = delta` or a Delta `input.table`), so a "
          + "re-run reads the same data"),
  INPUT_SNAPSHOT_ID(
      "input.snapshot-id",
      null,
      "none: the current one",
      "an Iceberg `input.table`'s snapshot id to read, so a re-run reads the same data"),
  INPUT_CUSTOMER_ID(
      "input.columns.customer-id",
      "customer_id",
      "input column holding the customer id: string, int, bigint, smallint, tinyint or decimal "
          + "with scale 0"),
  INPUT_TIMESTAMP(
      "input.columns.timestamp",
      "timestamp",
      "input column holding the time: timestamp, timestamp_ntz, date or string"),
  INPUT_AMOUNT(
      "input.columns.amount",
      "amount",
      "input column holding the amount: any numeric type or string"),
  INPUT_ORDER_ID(
      "input.columns.order-id",
      null,
      "optional order id column (same types as the customer id); unset: `frequency` counts "
          + "distinct timestamps"),
  INPUT_RETURNS(
      "input.returns",
      "exclude",
      "`exclude` (negative amounts are excluded, reason `return`) or `net` (they lower spend)"),
  INPUT_ZERO_AMOUNTS(
      "input.zero-amounts",
      "keep",
      "`keep` (counted as purchases, no spend) or `exclude` (reason `zero_amount`)"),
  INPUT_DUPLICATES(
      "input.duplicates",
      "reject",
      "`reject` (of identical rows of one customer one stays, the others are rejected as "
          + "`duplicate_row`) or `keep` (every copy is a transaction; for data without an order id "
          + "where a customer can buy the same thing twice at one time, as in CDNOW)"),
  INPUT_EARLIEST_DATE(
      "input.earliest-date",
      "1970-01-02",
      "`YYYY-MM-DD`: a transaction dated before it (session time zone) is rejected as "
          + "`before_earliest_date`. Placeholder dates such as 0001-01-01, 1900-01-01 or the Unix "
          + "epoch's 1970-01-01 (a null stored as 0) made cohorts decades or centuries long; set an "
          + "earlier date for real history before 1970"),
  WAREHOUSE(
      "warehouse",
      null,
      "none; required by every pipeline command",
      "URI of the warehouse root; a missing one fails before any input is read. Flag: "
          + "`--warehouse`"),
  OUTPUT_FORMAT(
      "output.format",
      "parquet",
      "`parquet` (folders, partition swapped in by renames), `iceberg` (tables in a catalog, "
          + "one commit per snapshot replaced; [tables.md](tables.md#iceberg-tables)) or `delta` "
          + "(Delta tables under `warehouse`, one commit per snapshot replaced; "
          + "[tables.md](tables.md#delta-tables))"),
  OUTPUT_ICEBERG_CATALOG(
      "output.iceberg.catalog",
      "lifecycle",
      "letters, digits, `_`, not starting with a digit: the Spark catalog the tables go in. Configure it with "
          + "`spark.sql.catalog.<name>.*` keys (REST, Hive, Glue...); left unset, an Iceberg Hadoop "
          + "catalog is embedded at `warehouse`"),
  OUTPUT_ICEBERG_NAMESPACE(
      "output.iceberg.namespace",
      "lifecycle",
      "letters, digits, `_`, not starting with a digit: created if missing"),
  OUTPUT_DELTA_NAMESPACE(
      "output.delta.namespace",
      null,
      "none: the tables are folders only",
      "with `output.format = delta`, a namespace of the session catalog (`schema` or "
          + "`catalog.schema`, created if missing) where each table folder is also registered by "
          + "name, `<namespace>.<table>`, for BI to query"),
  OUTPUT_PSEUDONYMIZE_IDS(
      "output.pseudonymize-ids",
      "false",
      "`true`: every customer id is replaced as it is read by HMAC-SHA256 under a secret key, "
          + "its first 128 bits as 32 hex digits. Every table holds only pseudonyms, rejects included; "
          + "the same id and key always give the same pseudonym, so snapshots still join"),
  OUTPUT_PSEUDONYMIZE_KEY_ENV(
      "output.pseudonymize-key-env",
      "LIFECYCLE_ID_KEY",
      "the environment variable of the driver that holds the key (at least 16 characters). The "
          + "key is never read from the config, so no config, manifest or log can show it; a missing "
          + "or short key is exit 2"),
  SNAPSHOT_AS_OF(
      "snapshot.as-of",
      null,
      "`YYYY-MM-DD`, a comma list of dates, or a range `A..B` stepped by `snapshot.every` (at most "
          + "120 snapshots). Unset: ingest uses the latest date among the input's parseable timestamps that "
          + "are not in the future; the other stages use the newest `customer_features` snapshot. Rows after "
          + "the (last) snapshot are excluded (`after_snapshot`), not rejected. Many dates: `run`, `ingest` "
          + "and `features` make every snapshot from one pass over the transactions, oldest first, each "
          + "published on its own; a range may not reach past the input's last transaction. Flag: `--as-of`"),
  SNAPSHOT_EVERY(
      "snapshot.every",
      null,
      "`week`, `month` or `quarter`: the step of a `snapshot.as-of` range. From a month's last day, "
          + "month and quarter steps keep to month ends. Flag: `--every`"),
  VALIDATION_HOLDOUT_UNTIL(
      "validation.holdout-until",
      null,
      "`YYYY-MM-DD` after `snapshot.as-of`, which it needs, and not after the input's last "
          + "transaction. Set: `run` also backtests (as the "
          + "`backtest` command does): every purchase model is fitted on the data to the snapshot and "
          + "its forecast compared with the purchases in (snapshot, holdout-until], to `clv_validation`. "
          + "Flag: `--holdout-until`"),
  LEASE_STALE_SECONDS(
      "lease.stale-seconds",
      "300",
      "seconds ≥ 10: a snapshot's lease whose holder has not renewed it for this long is stale and "
          + "may be taken over (the holder renews it every quarter of this)"),
  LEASE_WAIT_SECONDS(
      "lease.wait-seconds",
      "0",
      "seconds ≥ 0: how long a run waits for another run's lease on its snapshot; 0: exit 2 at once. Flag: "
          + "`--wait` (an hour)"),
  FEATURES_TIME_UNIT(
      "features.time-unit",
      "week",
      "`day` (1 day), `week` (7) or `month` (30.4375): the unit of `btyd_t_x` and `btyd_T`"),
  FEATURES_RFM_SEGMENTS(
      "features.rfm-segments",
      RfmSegmentMap.DEFAULT_RULES,
      "the 11-segment map in [tables.md](tables.md)",
      "`Name: r=A-B f=A-B m=A-B; Name: ...` with scores 1–5; a score left out matches 1–5; first "
          + "match wins; all 125 cells must be covered"),
  QUALITY_MAX_REJECTED_SHARE(
      "quality.max-rejected-share",
      "0.5",
      "number from 0 to 1; the run fails (exit 4) when rejected ÷ rows in is greater"),
  RETENTION_PERIOD(
      "retention.period",
      "month",
      "`month`, `quarter` or `year`: the period of acquisition cohorts and of the curves"),
  RETENTION_COHORT_ATTRIBUTE(
      "retention.cohort-attribute",
      null,
      "an input column (any non-nested type) whose value on a customer's first purchase splits "
          + "cohorts into segments, e.g. a channel or country; a missing column is exit 3"),
  RETENTION_CHURN_AFTER_DAYS(
      "retention.churn-after-days",
      "180",
      "whole number ≥ 1: a customer whose last purchase is more days than this before the "
          + "snapshot has churned; otherwise still alive (censored). Keep it well above the usual gap "
          + "between purchases (see models.md)"),
  RETENTION_HOLDOUT(
      "retention.holdout",
      "3",
      "whole number ≥ 0: periods held out at the end of each window to score the fits "
          + "(`holdout_mape`); 0 turns the holdout off"),
  RETENTION_HORIZON(
      "retention.horizon",
      "36",
      "whole number ≥ 1: periods since acquisition to which fitted curves are projected"),
  RETENTION_MIN_COHORT_SIZE(
      "retention.min-cohort-size",
      "100",
      "whole number ≥ 1: a cohort with fewer customers is fitted pooled with its neighbours"),
  CLV_PURCHASE_MODEL(
      "clv.purchase-model",
      "bg-nbd",
      "`bg-nbd`, `mbg-nbd`, `pareto-nbd`, or `auto`: the purchase model of `clv_models` and the"
          + " scores; `auto` fits all three on the calibration up to `clv.auto-holdout-days` before the"
          + " snapshot, keeps the one with the lowest error on the days after, and refits it on all"),
  CLV_AUTO_HOLDOUT_DAYS(
      "clv.auto-holdout-days",
      "90",
      "whole number ≥ 1: with `clv.purchase-model = auto`, the days before the snapshot each"
          + " candidate model is tested on after fitting it on the days before them"),
  CLV_HORIZON(
      "clv.horizon",
      "12",
      "whole number ≥ 1 of `clv.time-unit` steps for expected purchases and CLV"),
  CLV_TIME_UNIT(
      "clv.time-unit",
      "month",
      "`day`, `week` or `month` (30.4375 days): the step of the CLV horizon and its discounting"),
  CLV_MARGIN(
      "clv.margin",
      "1",
      "number ≥ 0: margin on revenue, for CLV, current value and the cohort tables"),
  CLV_DISCOUNT_RATE(
      "clv.discount-rate",
      "0.1",
      "number ≥ 0: yearly discount rate"),
  CLV_ACQUISITION_COST(
      "clv.acquisition-cost",
      "0",
      "number ≥ 0: cost per acquired customer, year 1 of `cohort_value`"),
  CLV_COST_PER_CUSTOMER(
      "clv.cost-per-customer",
      "0",
      "number ≥ 0: yearly cost per retained customer in `cohort_value`"),
  CLV_YEARS(
      "clv.years",
      "5",
      "whole number ≥ 1: years of `cohort_value` per cohort"),
  CLV_INTERVAL_DRAWS(
      "clv.interval-draws",
      "200",
      "whole number ≥ 0 (an odd one is rounded up): draws of the models' parameters for the P10–P90"
          + " intervals of CLV and expected purchases; 0 for no intervals"),
  CLV_INTERVAL_SEED(
      "clv.interval-seed",
      "1",
      "whole number ≥ 0: seed of the parameter draws; the same seed gives the same intervals"),
  LIFECYCLE_EXPLORATION_DAYS(
      "lifecycle.exploration-days",
      "90",
      "whole number ≥ 0: days after the first purchase in exploration"),
  LIFECYCLE_WINDOW_DAYS(
      "lifecycle.window-days",
      "91",
      "whole number ≥ 1: length of the comparable spend windows"),
  LIFECYCLE_HISTORY_WINDOWS(
      "lifecycle.history-windows",
      "8",
      "whole number ≥ 2: windows kept per customer for stages and patterns"),
  LIFECYCLE_GROWTH(
      "lifecycle.growth",
      "0.1",
      "number ≥ 0: spend growth above it is formation, from 0 to it stability, below 0 decline"),
  LIFECYCLE_LOST_BELOW(
      "lifecycle.lost-below",
      "0.2",
      "0 to 1: P(alive) below it is lost (as is quiet past `retention.churn-after-days`)"),
  LIFECYCLE_LONG_STABILITY_WINDOWS(
      "lifecycle.long-stability-windows",
      "4",
      "whole number ≥ 1: windows of stability that make pattern IV"),
  VALUE_CURRENT_DAYS(
      "value.current-days",
      "365",
      "whole number ≥ 1: trailing days of current value"),
  VALUE_CURRENT_SPLIT(
      "value.current-split",
      "0.5",
      "0 to 1: quantile of current value above which it is high"),
  VALUE_POTENTIAL_SPLIT(
      "value.potential-split",
      "0.5",
      "0 to 1: quantile of CLV above which it is high"),
  VALUE_LOYALTY_SPLIT(
      "value.loyalty-split",
      "0.5",
      "0 to 1: quantile of the loyalty index above which it is high, the third axis of `value_class`"),
  VALUE_CLASSIFIER(
      "value.classifier",
      "rule",
      "`rule` or `perceptron`: with `perceptron`, a multilayer perceptron also learns the value "
          + "classes of `value.reference-snapshot` from current value, CLV and loyalty, and classifies "
          + "this snapshot's customers (`value_class_perceptron`, `value_class_agreement`)"),
  VALUE_REFERENCE_SNAPSHOT(
      "value.reference-snapshot",
      null,
      "with `value.classifier = perceptron`: the snapshot (YYYY-MM-DD) whose `customer_scores` "
          + "classes the perceptron learns"),
  VALUE_HIDDEN_LAYERS(
      "value.hidden-layers",
      "8",
      "the value-class perceptron's hidden layers: units per layer (1 to 1000), comma-separated"),
  LOYALTY_CRITERIA(
      "loyalty.criteria",
      "recency:-,frequency:+,monetary:+,tenure:+,regularity:+,trend:+",
      "the AHP loyalty index's indicators, each `name:+` (higher is more loyal) or `name:-` (lower "
          + "is): two to 15 of `recency`, `frequency`, `monetary`, `tenure`, `aov`, `regularity`, `trend` "
          + "(see models.md)"),
  LOYALTY_COMPARISONS(
      "loyalty.comparisons",
      "1/2,2,3,1,3, 2,3,2,4, 2,1/2,2, 1/2,1, 3",
      "Saaty's pairwise comparisons of `loyalty.criteria` on the 1–9 scale (3: moderately more "
          + "important, 1/3: moderately less): the upper triangle row by row (a12, a13, …, a23, …), or "
          + "the whole matrix as rows separated by `;`. A consistency ratio of 0.1 or more, a value "
          + "outside 1/9..9 or a whole matrix that is not reciprocal is exit 2"),
  MIGRATION_ACTIVE_DAYS(
      "migration.active-days",
      null,
      "whole number ≥ 1: a customer is active at a snapshot when they bought in its last this many "
          + "days. Unset: in its period, the days since the snapshot before it. Being active at the "
          + "previous snapshot and at this one makes a customer's `customer_migration.status` (see "
          + "models.md)"),
  STRATEGY_ACTIONS(
      "strategy.actions",
      StrategyRules.DEFAULT_ACTIONS,
      "the five actions in models.md",
      "`code = text; code = text; …`: the actions `strategy.rules` may give, with the text "
          + "`customer_scores.action_reason` starts with. Codes are lower case, letters, digits and `_`"),
  STRATEGY_RULES(
      "strategy.rules",
      StrategyRules.DEFAULT_RULES,
      "the rules in models.md",
      "`action: stage=… value=… alive=… status=…; …`, first match wins; a dimension left out "
          + "matches all its values. stage: exploration, formation, stability, decline, lost; value "
          + "(quadrant, current × potential): ll, lh, hl, hh; alive (P(alive) band): low, mid, high; "
          + "status (since the previous snapshot): new, repeating, reactivated, lapsed, lost; each also "
          + "`none` (not known). Every combination must get an action (exit 2 names one that does not)"),
  STRATEGY_ALIVE_BANDS(
      "strategy.alive-bands",
      "0.3,0.7",
      "`L,H` with 0 < L < H < 1: P(alive) below L is the `low` band of `strategy.rules`, from H on `high`, "
          + "between them `mid`"),
  PROPENSITY_ENABLED(
      "propensity.enabled",
      "false",
      "`true`: `run` also scores churn propensity (stage `propensity`, after `clv`); `lifecycle "
          + "propensity` runs it alone"),
  PROPENSITY_HORIZON_DAYS(
      "propensity.horizon-days",
      "90",
      "whole number ≥ 1: a customer churned if they buy nothing in this many days; the models learn "
          + "at the cut this many days before the snapshot, and `churn_probability` is for the days "
          + "after the snapshot"),
  PROPENSITY_HIDDEN_LAYERS(
      "propensity.hidden-layers",
      "8",
      "the perceptron's hidden layers: units per layer (1 to 1000), comma-separated, e.g. `16,8`"),
  PROPENSITY_MAX_ITERATIONS(
      "propensity.max-iterations",
      "50",
      "whole number ≥ 1: iterations of the perceptron's and the logistic regression's L-BFGS"),
  PROPENSITY_HOLDOUT_SHARE(
      "propensity.holdout-share",
      "0.3",
      "between 0 and 1: the share of the cut's customers held out (seeded) to compare the models"),
  PROPENSITY_TRAINING_SAMPLE(
      "propensity.training-sample",
      "50000",
      "whole number ≥ 100: the most customers a model is trained or compared on (a seeded sample "
          + "when there are more); when the training part alone fills it, the chosen model is not "
          + "trained again on all the cut's customers"),
  PROPENSITY_SEED(
      "propensity.seed",
      "42",
      "whole number ≥ 0: seed of the holdout, the samples and the perceptron's initial weights"),
  PROPENSITY_MODEL_IN(
      "propensity.model-in",
      null,
      "a saved propensity model: score churn with it, no training. Flag: `--propensity-model-in`"),
  PROPENSITY_MODEL_OUT(
      "propensity.model-out",
      null,
      "where to save the chosen propensity model (a Spark ML PipelineModel). Flag: "
          + "`--propensity-model-out`"),
  SEGMENT_FEATURES(
      "segment.features",
      "recency,frequency,monetary",
      "two or more of `recency`, `frequency`, `monetary`, `tenure`, `aov`, `trend`; each "
          + "log1p-transformed (trend: log1p of the last window's spend minus the one before), then "
          + "standardized"),
  SEGMENT_K(
      "segment.k",
      "4..10",
      "segments of k-means and of the SOM's second level: a number ≥ 2, or a range `A..B` chosen "
          + "by silhouette"),
  SEGMENT_SAMPLE_SIZE(
      "segment.sample-size",
      "20000",
      "whole number ≥ 100: customers sampled (seeded) to choose k by silhouette; all of them when fewer"),
  SEGMENT_SEED(
      "segment.seed",
      "42",
      "whole number ≥ 0: seed of k-means, the sample and random SOM initialisation"),
  SEGMENT_SOM_GRID(
      "segment.som.grid",
      "auto",
      "`ROWSxCOLS` (at most 10,000 nodes, and no more nodes than customers unless "
          + "`segment.som.force-grid`), or `auto`: about 5·√N nodes, square, at most `segment.som.max-nodes`"),
  SEGMENT_SOM_FORCE_GRID(
      "segment.som.force-grid",
      "false",
      "`true`: fit a given `segment.som.grid` with more nodes than customers (otherwise exit 2)"),
  SEGMENT_SOM_MAX_NODES(
      "segment.som.max-nodes",
      "400",
      "largest automatic grid, 4 to 10,000 nodes"),
  SEGMENT_SOM_TOPOLOGY(
      "segment.som.topology",
      "hexagonal",
      "`hexagonal` or `rectangular`"),
  SEGMENT_SOM_NEIGHBOURHOOD(
      "segment.som.neighbourhood",
      "gaussian",
      "`gaussian` or `bubble`"),
  SEGMENT_SOM_ITERATIONS(
      "segment.som.iterations",
      "20",
      "whole number ≥ 1: batch iterations; the radius falls from half the longer side to 1"),
  SEGMENT_SOM_INIT(
      "segment.som.init",
      "pca",
      "`pca` (deterministic) or `random` (seeded)"),
  SEGMENT_STABLE_IDS(
      "segment.stable-ids",
      "true",
      "`true`: a refitted segmentation keeps the previous snapshot's segment ids: each new segment "
          + "takes the id of the previous segment with the nearest centroid (one to one, least total "
          + "distance, in this fit's standardized features, kept only where that previous centroid is "
          + "also the new one's nearest), others new ids; `segment_lineage` records it. "
          + "`false`: segments are numbered 1.. by falling mean revenue. A saved model's ids are its own"),
  SEGMENT_STABLE_IDS_MAX_DISTANCE(
      "segment.stable-ids.max-distance",
      null,
      "a number ≥ 0: with `segment.stable-ids`, a new segment whose centroid is further than this from "
          + "the previous one it matched (in standard deviations of the standardized features: "
          + "`segment_lineage.distance`) takes a new id, and the previous one is recorded as ended. "
          + "Unset: no limit"),
  SEGMENT_MODEL_IN(
      "segment.model-in",
      null,
      "a saved segment model: assign segments with it, no refit. Flag: `--model-in`"),
  SEGMENT_MODEL_OUT(
      "segment.model-out",
      null,
      "where to save the fitted segment model (a Spark ML PipelineModel). Flag: `--model-out`"),
  TUNE_K(
      "tune.k",
      null,
      "`segment.k`",
      "`tune` only: k values or ranges separated by `;`, e.g. `4..6;4..10;5`"),
  TUNE_SOM_GRID(
      "tune.som.grid",
      null,
      "`segment.som.grid`",
      "`tune` only: grids separated by `;`, e.g. `8x8;10x10;auto`"),
  TUNE_FEATURES(
      "tune.features",
      null,
      "`segment.features`",
      "`tune` only: feature sets separated by `;`, each as `segment.features`, e.g. "
          + "`recency,frequency,monetary;recency,frequency,monetary,tenure`"),
  TUNE_SEEDS(
      "tune.seeds",
      "1,2,3",
      "`tune` only: seeds separated by `,`; each run is fitted once per seed, and its stability "
          + "compares the seeds");

  public static final String SPARK_PREFIX = "spark.";

  private final String key;
  private final String defaultValue;
  private final String shownDefault;
  private final String meaning;

  ConfigKey(String key, String defaultValue, String meaning) {
    this(key, defaultValue, null, meaning);
  }

  /** {@code shownDefault}: what the reference says of a default that is not a plain value. */
  ConfigKey(String key, String defaultValue, String shownDefault, String meaning) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.shownDefault = shownDefault;
    this.meaning = meaning;
  }

  public String key() {
    return key;
  }

  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The default as the config reference shows it: the value in backquotes, or what stands for it. */
  public String shownDefault() {
    if (shownDefault != null) {
      return shownDefault;
    }
    return defaultValue == null ? "none" : "`" + defaultValue + "`";
  }

  /** The allowed values and what the key does, as the config reference shows them (Markdown). */
  public String meaning() {
    return meaning;
  }

  public static Optional<ConfigKey> of(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  public static boolean isKnown(String key) {
    return key.startsWith(SPARK_PREFIX) && key.length() > SPARK_PREFIX.length() || of(key).isPresent();
  }
}
