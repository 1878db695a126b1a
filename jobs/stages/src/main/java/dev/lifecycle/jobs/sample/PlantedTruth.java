package dev.lifecycle.jobs.sample;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.cluster.AdjustedRand;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** How well a segmentation of sample customers finds the segments the sample planted. */
public final class PlantedTruth {
  private PlantedTruth() {}

  /**
   * The adjusted Rand index of the integer column {@code segmentColumn} of {@code segments} (one row
   * per customer, string customer_id) against the planted segments in {@code truthUri}
   * ({@code OUT/truth} of {@code lifecycle sample}), over the customers in both.
   */
  public static double adjustedRand(Dataset<Row> segments, String truthUri, String segmentColumn) {
    Dataset<Row> truth =
        segments.sparkSession().read().parquet(truthUri)
            .select(col(Columns.CUSTOMER_ID).cast("string").as(Columns.CUSTOMER_ID), col("segment_id"));
    AdjustedRand ari = new AdjustedRand();
    for (Row cell :
        segments.join(truth, Columns.CUSTOMER_ID).groupBy(col("segment_id"), col(segmentColumn)).count().collectAsList()) {
      ari.add(cell.getInt(0), ((Number) cell.get(1)).longValue(), cell.getLong(2));
    }
    return ari.index();
  }
}
