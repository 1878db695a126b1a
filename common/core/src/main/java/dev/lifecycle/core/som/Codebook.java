package dev.lifecycle.core.som;

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
  /** Immutable once built; two threads may each build one, which is harmless. */
  private transient NodeSearch search;

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
    return distanceSquared(point, 0, node);
  }

  /** Squared Euclidean distance from the point at {@code values[offset..offset+dim)} to a node. */
  public double distanceSquared(double[] values, int offset, int node) {
    double sum = 0;
    int base = node * dim;
    for (int f = 0; f < dim; f++) {
      double d = values[offset + f] - weights[base + f];
      sum += d * d;
    }
    return sum;
  }

  /** The best-matching unit: the nearest node, the lowest index on ties. */
  public int bestMatchingUnit(double[] point) {
    return bestMatchingUnit(point, 0);
  }

  /** The best-matching unit of the point at {@code values[offset..offset+dim)}. */
  public int bestMatchingUnit(double[] values, int offset) {
    int best = search().cursor().nearest(values, offset, false).best();
    if (best < 0) {
      throw new IllegalArgumentException("Cannot map a point with a value that is not finite to a SOM node");
    }
    return best;
  }

  /** The index that finds best units; built once per codebook (and per JVM it is shipped to). */
  NodeSearch search() {
    NodeSearch built = search;
    if (built == null) {
      built = new NodeSearch(this);
      search = built;
    }
    return built;
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
