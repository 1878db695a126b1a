package dev.lifecycle.spark.table;

/** Column names of the output tables (the BI contract in docs/tables.md). */
public final class Columns {
  public static final String SNAPSHOT_DATE = "snapshot_date";
  public static final String CUSTOMER_ID = "customer_id";

  public static final String REJECT_REASON = "reject_reason";
  public static final String SOURCE_FILE = "source_file";

  public static final String FIRST_PURCHASE = "first_purchase";
  public static final String LAST_PURCHASE = "last_purchase";
  public static final String RECENCY_DAYS = "recency_days";
  public static final String FREQUENCY = "frequency";
  public static final String MONETARY_TOTAL = "monetary_total";
  public static final String MONETARY_AVG = "monetary_avg";
  public static final String RETURNS_TOTAL = "returns_total";
  public static final String NET_SPEND = "net_spend";
  public static final String TENURE_DAYS = "tenure_days";
  public static final String BTYD_X = "btyd_x";
  public static final String BTYD_T_X = "btyd_t_x";
  public static final String BTYD_T = "btyd_T";
  public static final String R_SCORE = "r_score";
  public static final String F_SCORE = "f_score";
  public static final String M_SCORE = "m_score";
  public static final String RFM_CELL = "rfm_cell";
  public static final String RFM_SEGMENT = "rfm_segment";
  public static final String ABC_CLASS = "abc_class";
  public static final String TIME_UNIT = "time_unit";
  public static final String YEAR = "year";
  public static final String RETAINED_CUSTOMERS = "retained_customers";
  public static final String COSTS = "costs";
  public static final String PROFIT = "profit";
  public static final String DISCOUNT_FACTOR = "discount_factor";
  public static final String NPV = "npv";
  public static final String CUMULATIVE_NPV = "cumulative_npv";
  public static final String CLV_PER_CUSTOMER = "clv_per_customer";
  public static final String BERGER_NASR_CLV = "berger_nasr_clv";
  public static final String P_ALIVE = "p_alive";
  public static final String EXPECTED_PURCHASES = "expected_purchases";
  public static final String EXPECTED_SPEND = "expected_spend";
  public static final String CLV = "clv";
  public static final String CLV_P10 = "clv_p10";
  public static final String CLV_P90 = "clv_p90";
  public static final String EXPECTED_PURCHASES_P10 = "expected_purchases_p10";
  public static final String EXPECTED_PURCHASES_P90 = "expected_purchases_p90";
  public static final String CLV_TOTAL = "clv_total";
  public static final String CLV_TOTAL_P10 = "clv_total_p10";
  public static final String CLV_TOTAL_P90 = "clv_total_p90";
  public static final String CUMULATIVE_NPV_P10 = "cumulative_npv_p10";
  public static final String CUMULATIVE_NPV_P90 = "cumulative_npv_p90";
  public static final String COVARIANCE = "covariance";
  public static final String SELECTION = "selection";
  public static final String HOLDOUT_ERRORS = "holdout_errors";
  public static final String SPLIT_BTYD_X = "split_btyd_x";
  public static final String SPLIT_BTYD_T_X = "split_btyd_t_x";
  public static final String SPLIT_BTYD_T = "split_btyd_T";
  public static final String SPLIT_HOLDOUT_PURCHASES = "split_holdout_purchases";
  public static final String CURRENT_VALUE = "current_value";
  public static final String LIFECYCLE_STAGE = "lifecycle_stage";
  public static final String LIFECYCLE_PATTERN = "lifecycle_pattern";
  public static final String VALUE_QUADRANT = "value_quadrant";
  public static final String STRATEGY = "strategy";
  public static final String MIGRATION_STATUS = "migration_status";
  public static final String ACTION = "action";
  public static final String ACTION_REASON = "action_reason";
  public static final String LOYALTY_INDEX = "loyalty_index";
  public static final String VALUE_CLASS = "value_class";
  public static final String VALUE_CLASS_STRATEGY = "value_class_strategy";
  public static final String VALUE_CLASS_PERCEPTRON = "value_class_perceptron";
  public static final String CHURN_PROBABILITY = "churn_probability";
  public static final String CHURN_MODEL = "churn_model";
  public static final String CHURNED_SINCE_CUT = "churned_since_cut";
  public static final String REPEAT_VALUE_AVG = "repeat_value_avg";
  public static final String KMEANS_SEGMENT = "kmeans_segment";
  public static final String SOM_NODE = "som_node";
  public static final String SOM_SEGMENT = "som_segment";
  public static final String METHOD = "method";
  public static final String SEGMENT = "segment";
  public static final String LABEL = "label";
  public static final String CURRENT_SPEND = "current_spend";
  public static final String WINDOW_SPEND = "window_spend";
  public static final String WINDOW_PURCHASE_DAYS = "window_purchase_days";

  public static final String COHORT = "cohort";
  public static final String COHORT_SEGMENT = "cohort_segment";
  public static final String PERIOD = "period";
  public static final String PERIOD_START = "period_start";
  public static final String COHORT_CUSTOMERS = "cohort_customers";
  public static final String CUSTOMERS_ACTIVE = "customers_active";
  public static final String ACTIVE_SHARE = "active_share";
  public static final String REVENUE = "revenue";
  public static final String MODEL = "model";
  public static final String STATUS = "status";
  public static final String PARAMETERS = "parameters";
  public static final String STANDARD_ERRORS = "standard_errors";
  public static final String LOG_LIKELIHOOD = "log_likelihood";
  public static final String FREQUENCY_SPEND_CORRELATION = "frequency_spend_correlation";
  public static final String KIND = "kind";
  public static final String KEY = "key";
  public static final String ACTUAL = "actual";
  public static final String PREDICTED = "predicted";
  public static final String ACTUAL_CUMULATIVE = "actual_cumulative";
  public static final String PREDICTED_CUMULATIVE = "predicted_cumulative";
  public static final String VALUE = "value";
  public static final String AIC = "aic";
  public static final String HOLDOUT_MAPE = "holdout_mape";
  public static final String SELECTED = "selected";
  public static final String CUSTOMERS = "customers";
  public static final String OBSERVED_PERIODS = "observed_periods";
  public static final String FIT_BASIS = "fit_basis";
  public static final String FIT_CUSTOMERS = "fit_customers";
  public static final String CUSTOMER_PERIODS = "customer_periods";
  public static final String OBSERVED_SURVIVAL = "observed_survival";
  public static final String CUSTOMERS_AT_RISK = "customers_at_risk";
  public static final String FITTED_SURVIVAL = "fitted_survival";
  public static final String RETENTION_RATE = "retention_rate";

  private Columns() {}

  /** A column reference that survives any name (dots, spaces, backticks) in user data. */
  public static org.apache.spark.sql.Column quoted(String name) {
    return org.apache.spark.sql.functions.col("`" + name.replace("`", "``") + "`");
  }
}
