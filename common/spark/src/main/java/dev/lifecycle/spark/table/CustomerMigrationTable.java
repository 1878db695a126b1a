package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_migration}: one row per customer of a snapshot, with how they moved since the
 * previous snapshot ({@code from_snapshot}): their status, their lifecycle stage, value quadrant,
 * RFM segment and segments at both snapshots (null at the previous one for a new customer), their
 * spend in the period that ends at each snapshot, and their CLV at both.
 */
public final class CustomerMigrationTable {
  public static final String FROM_SNAPSHOT = "from_snapshot";
  public static final String STATUS = "status";
  public static final String REVENUE_FROM = "revenue_from";
  public static final String REVENUE_TO = "revenue_to";
  public static final String CLV_FROM = "clv_from";
  public static final String CLV_TO = "clv_to";

  /** What a customer's status can be, in the order the report lists them. */
  public enum Status {
    NEW,
    REPEATING,
    REACTIVATED,
    LAPSED,
    LOST;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The columns compared between the two snapshots, each as {@code from_<name>} and {@code to_<name>}. */
  public static final String[] DIMENSIONS = {
    Columns.LIFECYCLE_STAGE, Columns.VALUE_QUADRANT, Columns.RFM_SEGMENT, Columns.KMEANS_SEGMENT, Columns.SOM_SEGMENT
  };

  public static final Table SPEC = new Table("customer_migration", "customer", schema());

  private CustomerMigrationTable() {}

  private static StructType schema() {
    StructType schema =
        new StructType()
            .add(Columns.CUSTOMER_ID, DataTypes.StringType)
            .add(FROM_SNAPSHOT, DataTypes.DateType)
            .add(STATUS, DataTypes.StringType);
    for (String dimension : DIMENSIONS) {
      boolean segment = dimension.equals(Columns.KMEANS_SEGMENT) || dimension.equals(Columns.SOM_SEGMENT);
      schema = schema.add("from_" + dimension, segment ? DataTypes.IntegerType : DataTypes.StringType);
      schema = schema.add("to_" + dimension, segment ? DataTypes.IntegerType : DataTypes.StringType);
    }
    return schema
        .add(REVENUE_FROM, DataTypes.DoubleType)
        .add(REVENUE_TO, DataTypes.DoubleType)
        .add(CLV_FROM, DataTypes.DoubleType)
        .add(CLV_TO, DataTypes.DoubleType);
  }
}
