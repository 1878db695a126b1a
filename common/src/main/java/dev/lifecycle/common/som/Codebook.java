package dev.lifecycle.common.som;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The prototype vectors of a SOM: one weight vector of {@code dim} values per grid node, stored
 * node after node. Immutable: a batch update returns a new codebook.
 */
public final class Codebook implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SomGrid grid;
  private final int dim;
  private final double[] weights;

  public Codebook(SomGrid grid, int dim, double[] weights) {
    if (dim < 1 || weights.length != grid.nodes() * dim) {
      throw new IllegalArgumentException(
          "Cannot build a codebook: " + weights.length + " weights for " + grid.nodes()
              + " nodes of dimension " + dim);
    }
    for (double w : weights) {
      if (!Double.isFinite(w)) {
        throw new IllegalArgumentException("Cannot build a codebook: weight " + w + " is not finite");
      }
    }
    this.grid = grid;
    this.dim = dim;
    this.weights = weights.clone();
  }

  public SomGrid grid() {
    return grid;
  }

  public int dim() {
    return dim;
  }

  public double weight(int node, int feature) {
    return weights[node * dim + feature];
  }

  /** A copy of one node's weight vector. */
  public double[] node(int node) {
    return Arrays.copyOfRange(weights, node * dim, (node + 1) * dim);
  }

  /** A copy of all weights, node after node. */
  public double[] weights() {
    return weights.clone();
  }

  /** Squared Euclidean distance from a point to a node's weights. */
  public double distanceSquared(double[] point, int node) {
    double sum = 0;
    int offset = node * dim;
    for (int f = 0; f < dim; f++) {
      double d = point[f] - weights[offset + f];
      sum += d * d;
    }
    return sum;
  }

  /** The best-matching unit: the nearest node, the lowest index on ties. */
  public int bestMatchingUnit(double[] point) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int node = 0; node < grid.nodes(); node++) {
      double d = distanceSquared(point, node);
      if (d < bestDistance) {
        bestDistance = d;
        best = node;
      }
    }
    return best;
  }

  /**
   * The batch update (Kohonen): each node moves to the neighbourhood-weighted mean of the points,
   * w_j = sum_k h(k, j) S_k / sum_k h(k, j) n_k, where S_k and n_k are the sum and count of the
   * points whose BMU is k. A node whose neighbourhood holds no point keeps its weights.
   */
  public Codebook updated(BatchStats stats, Neighbourhood neighbourhood, double sigma) {
    int nodes = grid.nodes();
    double[] next = new double[weights.length];
    double[] sums = stats.sums();
    long[] hits = stats.hits();
    for (int j = 0; j < nodes; j++) {
      double denominator = 0;
      double[] numerator = new double[dim];
      for (int k = 0; k < nodes; k++) {
        if (hits[k] == 0) {
          continue;
        }
        double h = neighbourhood.weight(grid.distanceSquared(k, j), sigma);
        if (h == 0) {
          continue;
        }
        denominator += h * hits[k];
        for (int f = 0; f < dim; f++) {
          numerator[f] += h * sums[k * dim + f];
        }
      }
      for (int f = 0; f < dim; f++) {
        next[j * dim + f] = denominator > 0 ? numerator[f] / denominator : weights[j * dim + f];
      }
    }
    return new Codebook(grid, dim, next);
  }

  /**
   * The U-matrix height of each node: the mean distance in data space from its weights to those
   * of its adjacent nodes (see {@link SomGrid#adjacent}).
   */
  public double[] uMatrix() {
    int nodes = grid.nodes();
    double[] heights = new double[nodes];
    for (int a = 0; a < nodes; a++) {
      double sum = 0;
      int neighbours = 0;
      for (int b = 0; b < nodes; b++) {
        if (grid.adjacent(a, b)) {
          sum += Math.sqrt(distanceSquared(node(b), a));
          neighbours++;
        }
      }
      heights[a] = neighbours == 0 ? 0 : sum / neighbours;
    }
    return heights;
  }
}
