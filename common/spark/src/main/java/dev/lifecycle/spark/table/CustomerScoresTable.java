package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_scores}, the one table BI reads per customer: RFM columns, segments, the model
 * scores, current value, lifecycle stage and pattern, the value quadrant with its strategy, the
 * AHP loyalty index, and the value class (current value × potential value × loyalty) with its
 * strategy; and, when the propensity stage has run, the churn probability and its model.
 */
public final class CustomerScoresTable {
  public static final Table SPEC =
      new Table(
          "customer_scores",
          "customer",
          new StructType()
              .add(Columns.CUSTOMER_ID, DataTypes.StringType)
              .add(Columns.RECENCY_DAYS, DataTypes.IntegerType)
              .add(Columns.FREQUENCY, DataTypes.LongType)
              .add(Columns.MONETARY_TOTAL, DataTypes.DoubleType)
              .add(Columns.MONETARY_AVG, DataTypes.DoubleType)
              .add(Columns.RETURNS_TOTAL, DataTypes.DoubleType)
              .add(Columns.NET_SPEND, DataTypes.DoubleType)
              .add(Columns.R_SCORE, DataTypes.IntegerType)
              .add(Columns.F_SCORE, DataTypes.IntegerType)
              .add(Columns.M_SCORE, DataTypes.IntegerType)
              .add(Columns.RFM_CELL, DataTypes.StringType)
              .add(Columns.RFM_SEGMENT, DataTypes.StringType)
              .add(Columns.ABC_CLASS, DataTypes.StringType)
              .add(Columns.KMEANS_SEGMENT, DataTypes.IntegerType)
              .add(Columns.SOM_NODE, DataTypes.IntegerType)
              .add(Columns.SOM_SEGMENT, DataTypes.IntegerType)
              .add(Columns.P_ALIVE, DataTypes.DoubleType)
              .add(Columns.EXPECTED_PURCHASES, DataTypes.DoubleType)
              .add(Columns.EXPECTED_PURCHASES_P10, DataTypes.DoubleType)
              .add(Columns.EXPECTED_PURCHASES_P90, DataTypes.DoubleType)
              .add(Columns.EXPECTED_SPEND, DataTypes.DoubleType)
              .add(Columns.CLV, DataTypes.DoubleType)
              .add(Columns.CLV_P10, DataTypes.DoubleType)
              .add(Columns.CLV_P90, DataTypes.DoubleType)
              .add(Columns.CURRENT_VALUE, DataTypes.DoubleType)
              .add(Columns.LIFECYCLE_STAGE, DataTypes.StringType)
              .add(Columns.LIFECYCLE_PATTERN, DataTypes.StringType)
              .add(Columns.VALUE_QUADRANT, DataTypes.StringType)
              .add(Columns.STRATEGY, DataTypes.StringType)
              .add(Columns.LOYALTY_INDEX, DataTypes.DoubleType)
              .add(Columns.VALUE_CLASS, DataTypes.StringType)
              .add(Columns.VALUE_CLASS_STRATEGY, DataTypes.StringType)
              .add(Columns.VALUE_CLASS_PERCEPTRON, DataTypes.StringType)
              .add(Columns.CHURN_PROBABILITY, DataTypes.DoubleType)
              .add(Columns.CHURN_MODEL, DataTypes.StringType)
              .add(Columns.MIGRATION_STATUS, DataTypes.StringType)
              .add(Columns.ACTION, DataTypes.StringType)
              .add(Columns.ACTION_REASON, DataTypes.StringType));

  private CustomerScoresTable() {}
}
