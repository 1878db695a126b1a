package dev.lifecycle.common.som;

import java.io.Serializable;

/**
 * Count, means and covariance of feature vectors, for initialising a map. Partial moments are
 * merged by pooling (Chan et al.), so partitions can be summed separately and combined in a fixed
 * order.
 */
public final class FeatureMoments implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dim;
  private long count;
  private final double[] mean;
  /** Sums of products of deviations from the mean, row by row. */
  private final double[] comoments;

  public FeatureMoments(int dim) {
    this.dim = dim;
    this.mean = new double[dim];
    this.comoments = new double[dim * dim];
  }

  /** Adds one point (Welford's update). Returns this. */
  public FeatureMoments add(double[] point) {
    count++;
    double[] before = new double[dim];
    for (int f = 0; f < dim; f++) {
      before[f] = point[f] - mean[f];
      mean[f] += before[f] / count;
    }
    for (int f = 0; f < dim; f++) {
      double after = point[f] - mean[f];
      for (int g = 0; g < dim; g++) {
        comoments[f * dim + g] += before[g] * after;
      }
    }
    return this;
  }

  /** Pools another set of moments into these. Returns this. */
  public FeatureMoments merge(FeatureMoments other) {
    if (other.count == 0) {
      return this;
    }
    long total = count + other.count;
    double[] delta = new double[dim];
    for (int f = 0; f < dim; f++) {
      delta[f] = other.mean[f] - mean[f];
    }
    double weight = (double) count * other.count / total;
    for (int f = 0; f < dim; f++) {
      for (int g = 0; g < dim; g++) {
        comoments[f * dim + g] += other.comoments[f * dim + g] + delta[f] * delta[g] * weight;
      }
    }
    for (int f = 0; f < dim; f++) {
      mean[f] += delta[f] * other.count / total;
    }
    count = total;
    return this;
  }

  public long count() {
    return count;
  }

  public double[] mean() {
    return mean.clone();
  }

  /** The sample covariance (divisor n − 1; zero with fewer than two points). */
  public double[][] covariance() {
    double[][] c = new double[dim][dim];
    for (int f = 0; f < dim; f++) {
      for (int g = 0; g < dim; g++) {
        c[f][g] = count < 2 ? 0 : comoments[f * dim + g] / (count - 1);
      }
    }
    return c;
  }
}
