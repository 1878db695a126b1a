package dev.lifecycle.spark.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code segment_lineage}: how a refitted snapshot's segments were matched to the previous
 * snapshot's, per method: each segment now with the previous segment whose id it took and the
 * distance between their centroids, a new segment without one, and a previous segment that no
 * segment took (segment null).
 */
public final class SegmentLineageTable {
  public static final String FROM_SNAPSHOT = "from_snapshot";
  public static final String FROM_SEGMENT = "from_segment";
  public static final String DISTANCE = "distance";
  public static final String VALUE_RANK = "value_rank";

  public static final Table SPEC =
      new Table(
          "segment_lineage",
          "method x segment",
          new StructType()
              .add(Columns.METHOD, DataTypes.StringType, false)
              .add(Columns.SEGMENT, DataTypes.IntegerType)
              .add(FROM_SNAPSHOT, DataTypes.DateType, false)
              .add(FROM_SEGMENT, DataTypes.IntegerType)
              .add(DISTANCE, DataTypes.DoubleType)
              .add(VALUE_RANK, DataTypes.IntegerType));

  private SegmentLineageTable() {}
}
