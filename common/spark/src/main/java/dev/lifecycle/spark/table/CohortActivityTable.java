package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code cohort_activity}: per acquisition cohort and period since acquisition, the customers
 * active and the revenue.
 */
public final class CohortActivityTable {
  public static final Table SPEC =
      new Table(
          "cohort_activity",
          "cohort x period",
          new StructType()
              .add(Columns.COHORT, DataTypes.DateType, false)
              .add(Columns.COHORT_SEGMENT, DataTypes.StringType, false)
              .add(Columns.PERIOD, DataTypes.IntegerType, false)
              .add(Columns.PERIOD_START, DataTypes.DateType, false)
              .add(Columns.COHORT_CUSTOMERS, DataTypes.LongType, false)
              .add(Columns.CUSTOMERS_ACTIVE, DataTypes.LongType, false)
              .add(Columns.ACTIVE_SHARE, DataTypes.DoubleType, false)
              .add(Columns.REVENUE, DataTypes.DoubleType, false));

  private CohortActivityTable() {}
}
