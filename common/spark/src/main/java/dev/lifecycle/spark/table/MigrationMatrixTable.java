package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code migration_matrix}: for a snapshot and the one before it ({@code from_snapshot}), per
 * dimension of {@link CustomerMigrationTable#DIMENSIONS} and per status, the customers who went
 * from one value to another, with their spend in the period to the snapshot and their CLV at it.
 * A new customer comes from {@link #NEW}. Small, made for heatmaps.
 */
public final class MigrationMatrixTable {
  public static final String DIMENSION = "dimension";
  public static final String FROM_VALUE = "from_value";
  public static final String TO_VALUE = "to_value";
  /** The from value of customers who were not customers at the previous snapshot. */
  public static final String NEW = "(new)";
  /** The dimension whose values are the customers' migration status (from is always empty). */
  public static final String STATUS_DIMENSION = "status";

  public static final Table SPEC =
      new Table(
          "migration_matrix",
          "dimension x from x to",
          new StructType()
              .add(CustomerMigrationTable.FROM_SNAPSHOT, DataTypes.DateType)
              .add(DIMENSION, DataTypes.StringType)
              .add(FROM_VALUE, DataTypes.StringType)
              .add(TO_VALUE, DataTypes.StringType)
              .add(Columns.CUSTOMERS, DataTypes.LongType)
              .add(Columns.REVENUE, DataTypes.DoubleType)
              .add(Columns.CLV, DataTypes.DoubleType));

  private MigrationMatrixTable() {}
}
