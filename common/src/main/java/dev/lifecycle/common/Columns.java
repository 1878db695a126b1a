package dev.lifecycle.common;

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

  private Columns() {}

  /** A column reference that survives any name (dots, spaces, backticks) in user data. */
  public static org.apache.spark.sql.Column quoted(String name) {
    return org.apache.spark.sql.functions.col("`" + name.replace("`", "``") + "`");
  }
}
