package dev.lifecycle.spark.table;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.core.clv.RepeatPatterns;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_features}: each customer's RFM and BTYD summary as of the snapshot, scores,
 * segment and ABC class, and the spend history behind lifecycle stages.
 */
public final class CustomerFeaturesTable {
  public static final Table SPEC =
      new Table(
          "customer_features",
          "customer",
          new StructType()
              .add(Columns.CUSTOMER_ID, DataTypes.StringType)
              .add(Columns.FIRST_PURCHASE, DataTypes.TimestampType)
              .add(Columns.LAST_PURCHASE, DataTypes.TimestampType)
              .add(Columns.RECENCY_DAYS, DataTypes.IntegerType)
              .add(Columns.FREQUENCY, DataTypes.LongType)
              .add(Columns.MONETARY_TOTAL, DataTypes.DoubleType)
              .add(Columns.MONETARY_AVG, DataTypes.DoubleType)
              .add(Columns.RETURNS_TOTAL, DataTypes.DoubleType)
              .add(Columns.NET_SPEND, DataTypes.DoubleType)
              .add(Columns.TENURE_DAYS, DataTypes.IntegerType)
              .add(Columns.BTYD_X, DataTypes.LongType)
              .add(Columns.BTYD_T_X, DataTypes.DoubleType)
              .add(Columns.BTYD_T, DataTypes.DoubleType)
              .add(Columns.REPEAT_VALUE_AVG, DataTypes.DoubleType)
              .add(Columns.CURRENT_SPEND, DataTypes.DoubleType)
              .add(Columns.WINDOW_SPEND, DataTypes.createArrayType(DataTypes.DoubleType, false))
              .add(Columns.WINDOW_PURCHASE_DAYS, DataTypes.createArrayType(DataTypes.IntegerType, false))
              .add(Columns.SPLIT_BTYD_X, DataTypes.LongType)
              .add(Columns.SPLIT_BTYD_T_X, DataTypes.DoubleType)
              .add(Columns.SPLIT_BTYD_T, DataTypes.DoubleType)
              .add(Columns.SPLIT_HOLDOUT_PURCHASES, DataTypes.LongType)
              .add(Columns.R_SCORE, DataTypes.IntegerType)
              .add(Columns.F_SCORE, DataTypes.IntegerType)
              .add(Columns.M_SCORE, DataTypes.IntegerType)
              .add(Columns.RFM_CELL, DataTypes.StringType)
              .add(Columns.RFM_SEGMENT, DataTypes.StringType)
              .add(Columns.ABC_CLASS, DataTypes.StringType));

  private CustomerFeaturesTable() {}

  /**
   * The purchase models' data: the distinct (x, t_x, T) of {@code features} with how many
   * customers share each, in key order, so a fit is the same however Spark partitioned them.
   */
  public static RepeatPatterns patterns(Dataset<Row> features) {
    RepeatPatterns patterns = new RepeatPatterns();
    double[][] sorted = KeyOrder.sorted(features.groupBy(Columns.BTYD_X, Columns.BTYD_T_X, Columns.BTYD_T).count());
    for (int i = 0; i < sorted[0].length; i++) {
      patterns.add(sorted[0][i], sorted[1][i], sorted[2][i], (long) sorted[3][i]);
    }
    return patterns;
  }

  /**
   * The repeat buyers Gamma-Gamma is fitted on, as Spark compresses them: distinct (x, z̄) pairs
   * with x = {@code btyd_x} &gt; 0 and z̄ = {@code repeat_value_avg} &gt; 0, and how many customers
   * share each, in key order.
   */
  public record RepeatSpend(double[] x, double[] meanValue, double[] customers) {
    public static RepeatSpend of(Dataset<Row> features) {
      double[][] pairs =
          KeyOrder.sorted(
              features
                  .where(col(Columns.BTYD_X).gt(0).and(col(Columns.REPEAT_VALUE_AVG).gt(0)))
                  .groupBy(Columns.BTYD_X, Columns.REPEAT_VALUE_AVG)
                  .count());
      return new RepeatSpend(pairs[0], pairs[1], pairs[2]);
    }
  }
}
