package dev.lifecycle.spark.table;

import dev.lifecycle.spark.io.Warehouse;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code tuning_runs}: one row per run of a segmentation sweep ({@code lifecycle tune}): its
 * parameters, the k each seed chose, mean silhouettes at those k, the SOM's mean quantization and
 * topographic error, stability across seeds, and its time. Null where a measure does not apply (k
 * fixed: no silhouette; one seed: no stability).
 */
public final class TuningRunsTable {
  public static final Table SPEC =
      new Table(
          "tuning_runs",
          "tuning run",
          new StructType()
              .add("run", DataTypes.IntegerType, false)
              .add("k", DataTypes.StringType, false)
              .add("som_grid", DataTypes.StringType, false)
              .add("features", DataTypes.StringType, false)
              .add("seeds", DataTypes.StringType, false)
              .add("kmeans_k", DataTypes.StringType, false)
              .add("kmeans_silhouette", DataTypes.DoubleType, true)
              .add("som_grid_used", DataTypes.StringType, false)
              .add("som_k", DataTypes.StringType, false)
              .add("som_silhouette", DataTypes.DoubleType, true)
              .add("som_quantization_error", DataTypes.DoubleType, false)
              .add("som_topographic_error", DataTypes.DoubleType, false)
              .add("kmeans_stability", DataTypes.DoubleType, true)
              .add("som_stability", DataTypes.DoubleType, true)
              .add("seconds", DataTypes.DoubleType, false));

  /** One run of the sweep; lists of k are comma-separated, one per seed. */
  public record Run(
      int run,
      String k,
      String somGrid,
      String features,
      String seeds,
      String kmeansK,
      Double kmeansSilhouette,
      String somGridUsed,
      String somK,
      Double somSilhouette,
      double somQuantizationError,
      double somTopographicError,
      Double kmeansStability,
      Double somStability,
      double seconds) {
    Row toRow() {
      return RowFactory.create(
          run, k, somGrid, features, seeds, kmeansK, kmeansSilhouette, somGridUsed, somK, somSilhouette,
          somQuantizationError, somTopographicError, kmeansStability, somStability, seconds);
    }
  }

  private TuningRunsTable() {}

  public static Table.Written write(Warehouse warehouse, List<Run> runs, LocalDate snapshot) {
    return SPEC.replace(warehouse, runs.stream().map(Run::toRow).toList(), snapshot);
  }
}
