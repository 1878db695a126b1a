package dev.lifecycle.spark.table;

import java.util.List;
import java.util.SortedMap;

/**
 * What a segmenting run records in its manifest: how the segments were made (fitted, or applied
 * from a saved model), the SOM's topology and the features, and for a fit how k was chosen and how
 * both methods converged. The report reads the silhouette curves from here.
 *
 * @param loadedFrom the saved model applied, or null when the segmentation was fitted
 * @param kmeans null when a saved model was applied
 * @param som null when a saved model was applied
 * @param skipped why segmentation was skipped (too few distinct customers), else null; then
 *     kmeans and som are null too
 */
public record SegmentMetrics(
    String loadedFrom, String somTopology, List<String> features, KMeans kmeans, Som som, String skipped) {
  /**
   * k-means on all customers, started from the best centers of the sample.
   *
   * @param silhouette the silhouette of each k tried on the sample; null when k was fixed
   */
  public record KMeans(int k, SortedMap<Integer, Double> silhouette, int iterations, double cost, double seconds) {
    /** Whether k was chosen at an end of the range tried: the best k may lie beyond it. */
    public boolean atRangeEnd() {
      return SegmentMetrics.atRangeEnd(k, silhouette);
    }
  }

  /**
   * The SOM and its second level (k-means on the prototypes).
   *
   * @param grid rows x cols, e.g. {@code 12x12}
   * @param silhouette the prototypes' silhouette of each k tried; null when k was fixed
   */
  public record Som(
      String grid,
      int iterations,
      double quantizationError,
      double topographicError,
      double seconds,
      int k,
      SortedMap<Integer, Double> silhouette) {
    /** Whether the second level's k was chosen at an end of the range tried. */
    public boolean atRangeEnd() {
      return SegmentMetrics.atRangeEnd(k, silhouette);
    }
  }

  private static boolean atRangeEnd(int k, SortedMap<Integer, Double> silhouette) {
    return silhouette != null && silhouette.size() > 1 && (k == silhouette.firstKey() || k == silhouette.lastKey());
  }

  public static SegmentMetrics fitted(String topology, List<String> features, KMeans kmeans, Som som) {
    return new SegmentMetrics(null, topology, features, kmeans, som, null);
  }

  public static SegmentMetrics loaded(String model, String topology, List<String> features) {
    return new SegmentMetrics(model, topology, features, null, null, null);
  }

  /** No segments for this snapshot, and why. */
  public static SegmentMetrics skipped(String reason, String topology, List<String> features) {
    return new SegmentMetrics(null, topology, features, null, null, reason);
  }
}
