package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.cluster.WeightedKMeans;
import dev.lifecycle.core.config.SegmentConfig;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.spark.ml.SelfOrganizingMapModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * How many segments: k-means with k fixed, or with the k of the configured range whose silhouette
 * is best, on points held in memory (a seeded sample of customers, or the SOM's prototypes
 * weighted by their hits).
 */
final class KChoice {
  /** The passes of k-means on the sample or the prototypes at most. */
  private static final int MAX_ITERATIONS = 50;

  private KChoice() {}

  /** The chosen fit, and the silhouette of each k tried (null when k was fixed). */
  record Choice(WeightedKMeans.Result fit, SortedMap<Integer, Double> silhouette) {}

  /**
   * k-means with k in the configured range and the best silhouette (squared Euclidean), or with
   * the fixed k, on points held in memory: a seeded sample of customers or the SOM's prototypes.
   * k stays below the number of distinct points.
   */
  static Choice choose(double[][] points, double[] weights, SegmentConfig config) {
    int distinct = WeightedKMeans.distinct(points, config.kMax() + 1);
    int max = Math.min(config.kMax(), distinct - 1);
    if (config.kMin() == config.kMax() || max <= config.kMin()) {
      int k = Math.max(1, Math.min(config.kMin(), distinct));
      return new Choice(WeightedKMeans.fit(points, weights, k, config.seed(), MAX_ITERATIONS), null);
    }
    // Each k is independent of the others: fitted side by side, compared in order of k.
    List<WeightedKMeans.Result> fits =
        IntStream.rangeClosed(config.kMin(), max)
            .parallel()
            .mapToObj(k -> WeightedKMeans.fit(points, weights, k, config.seed(), MAX_ITERATIONS))
            .toList();
    SortedMap<Integer, Double> curve = new TreeMap<>();
    WeightedKMeans.Result best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (WeightedKMeans.Result fit : fits) {
      int k = fit.centers().length;
      double score = WeightedKMeans.silhouette(points, weights, fit.assignment(), k);
      curve.put(k, score);
      if (score > bestScore) {
        bestScore = score;
        best = fit;
      }
    }
    return new Choice(best, curve);
  }

  /** The second level: k-means on the prototypes weighted by their hits, k chosen as for the customers. */
  static Choice prototypes(SelfOrganizingMapModel som, SegmentConfig config) {
    Codebook codebook = som.codebook();
    long[] hits = som.summary().hits();
    List<double[]> used = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (int node = 0; node < codebook.grid().nodes(); node++) {
      if (hits[node] > 0) {
        used.add(codebook.node(node));
        weights.add((double) hits[node]);
      }
    }
    return choose(
        used.toArray(double[][]::new), weights.stream().mapToDouble(Double::doubleValue).toArray(), config);
  }

  /** The cluster of every node: the nearest center's, so a node without hits has one too. */
  static int[] nodeClusters(Codebook codebook, double[][] centers) {
    int[] clusters = new int[codebook.grid().nodes()];
    for (int node = 0; node < clusters.length; node++) {
      clusters[node] = WeightedKMeans.nearest(codebook.node(node), centers);
    }
    return clusters;
  }

  static double[] ones(int n) {
    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    return ones;
  }
}
