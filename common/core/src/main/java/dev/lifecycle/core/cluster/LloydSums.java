package dev.lifecycle.core.cluster;

import java.io.Serializable;

/**
 * One pass of Lloyd's k-means over blocks of points: per center, how many points are nearest to
 * it and their sum, and the total squared distance. Sums are in {@link FixedPoint}, so a pass
 * gives the same centers whatever the partitioning and merge order.
 */
public final class LloydSums implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final int dim;
  private final long[] sums;
  private final long[] counts;
  private long cost;

  public LloydSums(int k, int dim) {
    this.k = k;
    this.dim = dim;
    this.sums = new long[k * dim];
    this.counts = new long[k];
  }

  /** Adds every point of a block, each to its nearest center. Returns this. */
  public LloydSums add(double[][] centers, PointBlock block) {
    double[] values = block.values();
    for (int i = 0; i < block.size(); i++) {
      int offset = i * dim;
      int c = WeightedKMeans.nearest(values, offset, centers);
      double distance = 0;
      for (int f = 0; f < dim; f++) {
        double x = values[offset + f];
        sums[c * dim + f] = FixedPoint.add(sums[c * dim + f], x);
        double diff = x - centers[c][f];
        distance += diff * diff;
      }
      counts[c]++;
      cost = FixedPoint.add(cost, distance);
    }
    return this;
  }

  /** Adds another pass's sums into these. Returns this. */
  public LloydSums merge(LloydSums other) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] = Math.addExact(sums[i], other.sums[i]);
    }
    for (int c = 0; c < k; c++) {
      counts[c] += other.counts[c];
    }
    cost = Math.addExact(cost, other.cost);
    return this;
  }

  /** The means of the clusters; a cluster without points keeps its previous center. */
  public double[][] centers(double[][] previous) {
    double[][] next = new double[k][];
    for (int c = 0; c < k; c++) {
      if (counts[c] == 0) {
        next[c] = previous[c].clone();
        continue;
      }
      next[c] = new double[dim];
      for (int f = 0; f < dim; f++) {
        next[c][f] = FixedPoint.toDouble(sums[c * dim + f]) / counts[c];
      }
    }
    return next;
  }

  /** The sum of squared distances from the points to the centers they were assigned to. */
  public double cost() {
    return FixedPoint.toDouble(cost);
  }
}
