package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code customer_segments}: each customer's k-means segment, SOM node and SOM segment. */
public final class CustomerSegmentsTable {
  public static final Table SPEC =
      new Table(
          "customer_segments",
          "customer",
          new StructType()
              .add(Columns.CUSTOMER_ID, DataTypes.StringType)
              .add(Columns.KMEANS_SEGMENT, DataTypes.IntegerType)
              .add(Columns.SOM_NODE, DataTypes.IntegerType)
              .add(Columns.SOM_SEGMENT, DataTypes.IntegerType));

  private CustomerSegmentsTable() {}
}
