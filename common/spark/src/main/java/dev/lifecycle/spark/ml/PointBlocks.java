package dev.lifecycle.spark.ml;

import dev.lifecycle.core.cluster.PointBlock;
import dev.lifecycle.core.som.FeatureMoments;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Rows packed into {@link PointBlock}s per partition, and what a pass over them sums. */
public final class PointBlocks {
  private PointBlocks() {}

  /**
   * Column 0 of {@code rows} is the feature vector; column 1, if present, the amount (null: 0);
   * column 2, if present, the key. Blocks keep the partitioning of the rows; within a block the
   * points are in {@link PointBlock#curveOrder curve order}.
   */
  public static JavaRDD<PointBlock> of(Dataset<Row> rows) {
    int columns = rows.schema().size();
    return rows.toJavaRDD()
        .mapPartitions(
            (Iterator<Row> iterator) -> {
              PointBlock.Builder builder = null;
              while (iterator.hasNext()) {
                Row row = iterator.next();
                double[] point = ((Vector) row.get(0)).toArray();
                if (builder == null) {
                  builder = new PointBlock.Builder(point.length);
                }
                double amount = columns > 1 && !row.isNullAt(1) ? ((Number) row.get(1)).doubleValue() : 0;
                long key = columns > 2 ? row.getLong(2) : 0;
                builder.add(point, amount, key);
              }
              return builder == null ? List.<PointBlock>of().iterator() : builder.build();
            });
  }

  /**
   * The moments of all points, empty without any; the same whatever the partitioning (see {@link
   * FeatureMoments}).
   */
  public static Optional<FeatureMoments> moments(JavaRDD<PointBlock> blocks) {
    List<FeatureMoments> parts =
        blocks
            .mapPartitions(
                (Iterator<PointBlock> iterator) -> {
                  FeatureMoments part = null;
                  while (iterator.hasNext()) {
                    PointBlock block = iterator.next();
                    part = (part == null ? new FeatureMoments(block.dim()) : part).add(block);
                  }
                  return part == null ? List.<FeatureMoments>of().iterator() : List.of(part).iterator();
                })
            .collect();
    return parts.stream().reduce(FeatureMoments::merge);
  }
}
