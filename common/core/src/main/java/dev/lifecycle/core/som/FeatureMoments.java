package dev.lifecycle.core.som;

import dev.lifecycle.core.cluster.FixedPoint;
import dev.lifecycle.core.cluster.PointBlock;
import java.io.Serializable;

/**
 * Count, means, covariance and range of feature vectors, for standardizing them and initialising a
 * map. The sums of the values and of their pairwise products are kept in {@link FixedPoint}, so
 * parts summed on different partitions merge to the same moments whatever the split and order; the
 * least and greatest values are kept exactly, to tell identical points apart from close ones, which
 * the fixed point's resolution (2^−20) cannot.
 */
public final class FeatureMoments implements Serializable {
  private static final long serialVersionUID = 3L;

  private final int dim;
  private long count;
  private final long[] sums;
  /** Sums of x_f * x_g, row by row. */
  private final long[] products;
  private final double[] least;
  private final double[] greatest;

  public FeatureMoments(int dim) {
    this.dim = dim;
    this.sums = new long[dim];
    this.products = new long[dim * dim];
    this.least = new double[dim];
    this.greatest = new double[dim];
    java.util.Arrays.fill(least, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(greatest, Double.NEGATIVE_INFINITY);
  }

  /** Adds one point. Returns this. */
  public FeatureMoments add(double[] point) {
    return add(point, 0);
  }

  /** Adds every point of a block. Returns this. */
  public FeatureMoments add(PointBlock block) {
    for (int i = 0; i < block.size(); i++) {
      add(block.values(), i * dim);
    }
    return this;
  }

  private FeatureMoments add(double[] values, int offset) {
    count++;
    for (int f = 0; f < dim; f++) {
      double x = values[offset + f];
      least[f] = Math.min(least[f], x);
      greatest[f] = Math.max(greatest[f], x);
      sums[f] = FixedPoint.add(sums[f], x);
      for (int g = f; g < dim; g++) {
        products[f * dim + g] = FixedPoint.add(products[f * dim + g], x * values[offset + g]);
      }
    }
    return this;
  }

  /** Adds another set of moments into these. Returns this. */
  public FeatureMoments merge(FeatureMoments other) {
    if (other.dim != dim) {
      throw new IllegalArgumentException("Cannot merge moments of dimension " + other.dim + " into " + dim);
    }
    count += other.count;
    for (int f = 0; f < dim; f++) {
      sums[f] = Math.addExact(sums[f], other.sums[f]);
      least[f] = Math.min(least[f], other.least[f]);
      greatest[f] = Math.max(greatest[f], other.greatest[f]);
    }
    for (int i = 0; i < products.length; i++) {
      products[i] = Math.addExact(products[i], other.products[i]);
    }
    return this;
  }

  public long count() {
    return count;
  }

  /** Whether every point is the same: fewer than two, or each feature's least value its greatest. */
  public boolean allEqual() {
    for (int f = 0; f < dim; f++) {
      if (least[f] != greatest[f]) {
        return false;
      }
    }
    return true;
  }

  public double[] mean() {
    double[] mean = new double[dim];
    for (int f = 0; f < dim; f++) {
      mean[f] = count == 0 ? 0 : FixedPoint.toDouble(sums[f]) / count;
    }
    return mean;
  }

  /** The sample covariance (divisor n − 1; zero with fewer than two points). */
  public double[][] covariance() {
    double[] mean = mean();
    double[][] c = new double[dim][dim];
    for (int f = 0; f < dim; f++) {
      for (int g = f; g < dim; g++) {
        double value =
            count < 2
                ? 0
                : (FixedPoint.toDouble(products[f * dim + g]) - count * mean[f] * mean[g]) / (count - 1);
        c[f][g] = f == g ? Math.max(0, value) : value;
        c[g][f] = c[f][g];
      }
    }
    return c;
  }

  /** The sample standard deviation of each feature (as Spark's StandardScaler). */
  public double[] standardDeviation() {
    double[][] c = covariance();
    double[] sd = new double[dim];
    for (int f = 0; f < dim; f++) {
      sd[f] = Math.sqrt(c[f][f]);
    }
    return sd;
  }
}
