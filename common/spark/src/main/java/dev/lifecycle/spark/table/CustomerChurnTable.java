package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_churn}: each customer's probability of buying nothing in the {@code
 * propensity.horizon-days} after the snapshot, and the model that gave it ({@code customer_scores}
 * carries both); and whether they lapsed over the horizon before the snapshot, the outcome the
 * models learnt from (null for a customer acquired since the cut, or when a saved model scored).
 */
public final class CustomerChurnTable {
  public static final Table SPEC =
      new Table(
          "customer_churn",
          "customer",
          new StructType()
              .add(Columns.CUSTOMER_ID, DataTypes.StringType)
              .add(Columns.CHURN_PROBABILITY, DataTypes.DoubleType)
              .add(Columns.CHURN_MODEL, DataTypes.StringType)
              .add(Columns.CHURNED_SINCE_CUT, DataTypes.BooleanType));

  private CustomerChurnTable() {}
}
