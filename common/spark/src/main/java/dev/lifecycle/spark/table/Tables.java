package dev.lifecycle.spark.table;

/** Names of the tables under the warehouse. */
public final class Tables {
  public static final String TRANSACTIONS_REJECTED = "transactions_rejected";
  public static final String CUSTOMER_FEATURES = "customer_features";
  public static final String CUSTOMER_SCORES = "customer_scores";
  public static final String COHORT_ACTIVITY = "cohort_activity";
  public static final String RETENTION_CURVES = "retention_curves";
  public static final String RETENTION_MODELS = "retention_models";
  public static final String CLV_MODELS = "clv_models";
  public static final String COHORT_VALUE = "cohort_value";
  public static final String CUSTOMER_SEGMENTS = "customer_segments";
  public static final String SEGMENT_PROFILES = "segment_profiles";
  public static final String SOM_CODEBOOK = "som_codebook";
  public static final String RUN_MANIFEST = "run_manifest";
  public static final String TUNING_RUNS = "tuning_runs";
  /** Not a table: the folder of the run manifests as JSON files, one per run. */
  public static final String MANIFEST_FILES = "_manifests";

  private Tables() {}
}
