package dev.lifecycle.core.cluster;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Lloyd's k-means on weighted points held in memory, seeded by k-means++ (Arthur and Vassilvitskii
 * 2007) with each point's chance scaled by its weight, and the silhouette of the result. It is for
 * the small sets a segmentation chooses k on: a seeded sample of customers and the SOM's
 * prototypes weighted by their hits. commons-math3's KMeansPlusPlusClusterer has no weights, and a
 * Spark job per iteration costs far more than the arithmetic on a few thousand points.
 *
 * <p>Everything runs in the order of the input, so the same points, weights and seed give the
 * same clusters.
 */
public final class WeightedKMeans {
  /** Runs from different seeds, as scikit-learn's n_init. */
  public static final int RESTARTS = 10;

  private WeightedKMeans() {}

  /** Centers, the cluster of each point, the weighted sum of squared distances, and the passes run. */
  public record Result(double[][] centers, int[] assignment, double cost, int iterations) {}

  /**
   * Clusters the points into {@code k}: the cheapest of {@value #RESTARTS} runs from seeds drawn
   * from {@code seed} (a single run of Lloyd's method stops at whichever local optimum its seeds
   * lead to). Each run stops when no point changes cluster or after {@code maxIterations} passes;
   * a cluster left empty keeps its center.
   *
   * @throws IllegalArgumentException when k is not between 1 and the number of points, or a
   *     weight is not positive and finite
   */
  public static Result fit(double[][] points, double[] weights, int k, long seed, int maxIterations) {
    if (k < 1 || k > points.length) {
      throw new IllegalArgumentException("Cannot cluster " + points.length + " points into k=" + k);
    }
    for (double w : weights) {
      if (!(w > 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("Cannot cluster with weight " + w + ": needs a positive, finite weight");
      }
    }
    SplittableRandom seeds = new SplittableRandom(seed);
    Result best = null;
    for (int run = 0; run < RESTARTS; run++) {
      Result result = run(points, weights, k, seeds.nextLong(), maxIterations);
      if (best == null || result.cost() < best.cost()) {
        best = result;
      }
    }
    return best;
  }

  /**
   * Lloyd's method from k-means++ seeds (until no point changes cluster, or {@code maxIterations}
   * passes), accelerated as Hamerly (2010): each point keeps an upper
   * bound on the distance to its center and a lower bound on the distance to any other, moved by
   * how far the centers move, and is compared with every center only when the bounds no longer
   * prove its center nearest. The bounds carry a margin for rounding, so the clusters are those of
   * comparing every point with every center on every pass.
   */
  private static Result run(double[][] points, double[] weights, int k, long seed, int maxIterations) {
    return lloyd(points, weights, seeds(points, weights, k, seed), maxIterations);
  }

  /** Lloyd's passes from the given centers; see {@link #run}. */
  static Result lloyd(double[][] points, double[] weights, double[][] start, int maxIterations) {
    double[][] centers = start;
    int k = centers.length;
    int n = points.length;
    int[] assignment = new int[n];
    double[] upper = new double[n];
    double[] lower = new double[n];
    double[] half = new double[k];
    int iteration = 0;
    boolean changed = true;
    while (changed && iteration < maxIterations) {
      iteration++;
      changed = iteration == 1;
      for (int i = 0; i < n; i++) {
        if (iteration > 1) {
          double bound = Math.max(lower[i], half[assignment[i]]);
          if (proven(upper[i], bound)) {
            continue;
          }
          upper[i] = Math.sqrt(squaredDistance(points[i], centers[assignment[i]]));
          if (proven(upper[i], bound)) {
            continue;
          }
        }
        int before = assignment[i];
        scan(points[i], centers, i, assignment, upper, lower);
        changed |= iteration > 1 && assignment[i] != before;
      }
      if (changed) {
        double[][] next = means(points, weights, assignment, centers);
        double[] moved = new double[k];
        int farthest = 0;
        for (int c = 0; c < k; c++) {
          moved[c] = Math.sqrt(squaredDistance(next[c], centers[c]));
          farthest = moved[c] > moved[farthest] ? c : farthest;
        }
        double secondFarthest = 0;
        for (int c = 0; c < k; c++) {
          secondFarthest = c != farthest ? Math.max(secondFarthest, moved[c]) : secondFarthest;
        }
        for (int i = 0; i < n; i++) {
          upper[i] += moved[assignment[i]];
          lower[i] -= assignment[i] == farthest ? secondFarthest : moved[farthest];
        }
        centers = next;
        for (int c = 0; c < k; c++) {
          double nearest = Double.POSITIVE_INFINITY;
          for (int other = 0; other < k; other++) {
            if (other != c) {
              nearest = Math.min(nearest, Math.sqrt(squaredDistance(centers[c], centers[other])));
            }
          }
          half[c] = nearest / 2;
        }
      }
    }
    double cost = 0;
    for (int i = 0; i < n; i++) {
      cost += weights[i] * squaredDistance(points[i], centers[assignment[i]]);
    }
    return new Result(centers, assignment, cost, iteration);
  }

  /** Whether an upper bound on the distance to a point's center is clearly below {@code bound}. */
  private static boolean proven(double upper, double bound) {
    return upper * (1 + 1e-9) + 1e-12 < bound * (1 - 1e-9);
  }

  /**
   * Compares point i with every center: its center is the nearest (the first of equally near
   * ones, as {@link #nearest}), with the exact distance to it and to the next nearest as bounds.
   */
  private static void scan(double[] point, double[][] centers, int i, int[] assignment, double[] upper, double[] lower) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    double secondDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centers.length; c++) {
      double d = squaredDistance(point, centers[c]);
      if (d < bestDistance) {
        secondDistance = bestDistance;
        bestDistance = d;
        best = c;
      } else if (d < secondDistance) {
        secondDistance = d;
      }
    }
    assignment[i] = best;
    upper[i] = Math.sqrt(bestDistance);
    lower[i] = Math.sqrt(secondDistance);
  }

  /**
   * The weighted mean silhouette with squared Euclidean distances, as Spark's ClusteringEvaluator
   * computes it: for a point, a is its mean distance to the rest of its cluster and b the least
   * mean distance to another cluster, and it scores (b − a) / max(a, b), 0 when it is alone in
   * its cluster. Mean distances come from each cluster's weight, sum and sum of squared norms.
   */
  public static double silhouette(double[][] points, double[] weights, int[] assignment, int k) {
    int d = points[0].length;
    double[] clusterWeight = new double[k];
    double[][] sum = new double[k][d];
    double[] squares = new double[k];
    for (int i = 0; i < points.length; i++) {
      int c = assignment[i];
      clusterWeight[c] += weights[i];
      for (int j = 0; j < d; j++) {
        sum[c][j] += weights[i] * points[i][j];
      }
      squares[c] += weights[i] * dot(points[i], points[i]);
    }
    double total = 0;
    double totalWeight = 0;
    for (int i = 0; i < points.length; i++) {
      int own = assignment[i];
      double norm = dot(points[i], points[i]);
      double a = Double.NaN;
      double b = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (clusterWeight[c] == 0) {
          continue;
        }
        // Σ w_y ||x − y||² over the cluster, the point itself adding nothing
        double spread = clusterWeight[c] * norm - 2 * dot(points[i], sum[c]) + squares[c];
        if (c == own) {
          double others = clusterWeight[c] - weights[i];
          a = others > 0 ? Math.max(0, spread) / others : Double.NaN;
        } else {
          b = Math.min(b, Math.max(0, spread) / clusterWeight[c]);
        }
      }
      double score = Double.isNaN(a) || Double.isInfinite(b) ? 0 : a == b ? 0 : (b - a) / Math.max(a, b);
      total += weights[i] * score;
      totalWeight += weights[i];
    }
    return total / totalWeight;
  }

  /** How many distinct points there are, counting no further than {@code limit}. */
  public static int distinct(double[][] points, int limit) {
    Set<List<Double>> seen = new HashSet<>();
    for (double[] point : points) {
      seen.add(Arrays.stream(point).boxed().toList());
      if (seen.size() >= limit) {
        return limit;
      }
    }
    return seen.size();
  }

  /** k-means++: the first center drawn by weight, each next one by weight × squared distance. */
  private static double[][] seeds(double[][] points, double[] weights, int k, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] centers = new double[k][];
    double[] distance = new double[points.length];
    Arrays.fill(distance, 1);
    for (int c = 0; c < k; c++) {
      double total = 0;
      for (int i = 0; i < points.length; i++) {
        total += weights[i] * distance[i];
      }
      int chosen = -1;
      if (total > 0) {
        double target = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < points.length && chosen < 0; i++) {
          cumulative += weights[i] * distance[i];
          if (cumulative > target && distance[i] > 0) {
            chosen = i;
          }
        }
      }
      if (chosen < 0) { // every point sits on a center already (or rounding): take the farthest
        chosen = 0;
        for (int i = 1; i < points.length; i++) {
          if (distance[i] > distance[chosen]) {
            chosen = i;
          }
        }
      }
      centers[c] = points[chosen].clone();
      for (int i = 0; i < points.length; i++) {
        double squared = squaredDistance(points[i], centers[c]);
        distance[i] = c == 0 ? squared : Math.min(distance[i], squared);
      }
    }
    return centers;
  }

  private static double[][] means(double[][] points, double[] weights, int[] assignment, double[][] previous) {
    int d = points[0].length;
    double[][] sum = new double[previous.length][d];
    double[] weight = new double[previous.length];
    for (int i = 0; i < points.length; i++) {
      int c = assignment[i];
      weight[c] += weights[i];
      for (int j = 0; j < d; j++) {
        sum[c][j] += weights[i] * points[i][j];
      }
    }
    double[][] centers = new double[previous.length][];
    for (int c = 0; c < centers.length; c++) {
      if (weight[c] == 0) {
        centers[c] = previous[c];
        continue;
      }
      centers[c] = new double[d];
      for (int j = 0; j < d; j++) {
        centers[c][j] = sum[c][j] / weight[c];
      }
    }
    return centers;
  }

  /** The index of the nearest center (squared Euclidean); the first of equally near ones. */
  public static int nearest(double[] point, double[][] centers) {
    return nearest(point, 0, centers);
  }

  /** As {@link #nearest(double[], double[][])} for the point at {@code values[offset..)}. */
  public static int nearest(double[] values, int offset, double[][] centers) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centers.length; c++) {
      double[] center = centers[c];
      double distance = 0;
      for (int j = 0; j < center.length; j++) {
        double diff = values[offset + j] - center[j];
        distance += diff * diff;
      }
      if (distance < bestDistance) {
        best = c;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double sum = 0;
    for (int j = 0; j < a.length; j++) {
      double diff = a[j] - b[j];
      sum += diff * diff;
    }
    return sum;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += a[j] * b[j];
    }
    return sum;
  }
}
