package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code win_back}: the snapshot's lost and declining customers, ranked by past value (their spend
 * net of every return) × P(alive): whom a win-back campaign should call first.
 */
public final class WinBackTable {
  public static final String RANK = "rank";
  public static final String WIN_BACK_SCORE = "win_back_score";
  public static final String LAST_PURCHASE_DATE = "last_purchase_date";

  public static final Table SPEC =
      new Table(
          "win_back",
          "customer",
          new StructType()
              .add(RANK, DataTypes.LongType)
              .add(Columns.CUSTOMER_ID, DataTypes.StringType)
              .add(Columns.LIFECYCLE_STAGE, DataTypes.StringType)
              .add(Columns.MIGRATION_STATUS, DataTypes.StringType)
              .add(LAST_PURCHASE_DATE, DataTypes.DateType)
              .add(Columns.MONETARY_TOTAL, DataTypes.DoubleType)
              .add(Columns.NET_SPEND, DataTypes.DoubleType)
              .add(Columns.P_ALIVE, DataTypes.DoubleType)
              .add(WIN_BACK_SCORE, DataTypes.DoubleType)
              .add(Columns.CLV, DataTypes.DoubleType)
              .add(Columns.ACTION, DataTypes.StringType));

  private WinBackTable() {}
}
