package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code cohort_value}: the Dwyer table per cohort and year, and the Berger-Nasr CLV, from each
 * cohort's selected retention curve.
 */
public final class CohortValueTable {
  public static final Table SPEC =
      new Table(
          "cohort_value",
          "cohort x year",
          new StructType()
              .add(Columns.COHORT, DataTypes.DateType, false)
              .add(Columns.COHORT_SEGMENT, DataTypes.StringType, false)
              .add(Columns.MODEL, DataTypes.StringType, false)
              .add(Columns.YEAR, DataTypes.IntegerType, false)
              .add(Columns.COHORT_CUSTOMERS, DataTypes.LongType, false)
              .add(Columns.RETAINED_CUSTOMERS, DataTypes.DoubleType, false)
              .add(Columns.REVENUE, DataTypes.DoubleType, false)
              .add(Columns.COSTS, DataTypes.DoubleType, false)
              .add(Columns.PROFIT, DataTypes.DoubleType, false)
              .add(Columns.DISCOUNT_FACTOR, DataTypes.DoubleType, false)
              .add(Columns.NPV, DataTypes.DoubleType, false)
              .add(Columns.CUMULATIVE_NPV, DataTypes.DoubleType, false)
              .add(Columns.CUMULATIVE_NPV_P10, DataTypes.DoubleType)
              .add(Columns.CUMULATIVE_NPV_P90, DataTypes.DoubleType)
              .add(Columns.CLV_PER_CUSTOMER, DataTypes.DoubleType, false)
              .add(Columns.BERGER_NASR_CLV, DataTypes.DoubleType, false));

  private CohortValueTable() {}
}
