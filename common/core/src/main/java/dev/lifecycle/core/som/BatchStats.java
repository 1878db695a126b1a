package dev.lifecycle.core.som;

import dev.lifecycle.core.cluster.FixedPoint;
import dev.lifecycle.core.cluster.PointBlock;
import java.io.Serializable;

/**
 * What one pass over the data sums for the batch update: per node, the count and the sum of the
 * points whose best-matching unit it is; over all points, the distance to the BMU (quantization
 * error) and, when asked, how many points have their two best units not adjacent on the grid
 * (topographic error).
 *
 * <p>The sums are kept in {@link FixedPoint}, so the totals do not depend on how the points are
 * split into partitions or in which order partial sums are merged.
 */
public final class BatchStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int nodes;
  private final int dim;
  private final boolean topographic;
  private final long[] sums;
  private final long[] hits;
  private long distance;
  private long topographicErrors;
  private long points;

  /** Empty sums for a codebook's grid and dimension. */
  public BatchStats(int nodes, int dim, boolean topographic) {
    this.nodes = nodes;
    this.dim = dim;
    this.topographic = topographic;
    this.sums = new long[nodes * dim];
    this.hits = new long[nodes];
  }

  /** Adds one point, mapped with {@code codebook}. Returns this. */
  public BatchStats add(Codebook codebook, double[] point) {
    return add(codebook, codebook.search().cursor(), point, 0);
  }

  /** Adds every point of a block, mapped with {@code codebook}. Returns this. */
  public BatchStats add(Codebook codebook, PointBlock block) {
    NodeSearch.Cursor cursor = codebook.search().cursor();
    for (int i = 0; i < block.size(); i++) {
      add(codebook, cursor, block.values(), i * dim);
    }
    return this;
  }

  private BatchStats add(Codebook codebook, NodeSearch.Cursor cursor, double[] values, int offset) {
    boolean second = topographic && nodes > 1;
    int best = cursor.nearest(values, offset, second).best();
    if (best < 0) {
      for (int f = 0; f < dim; f++) {
        if (!Double.isFinite(values[offset + f])) {
          throw new IllegalArgumentException(
              "Cannot train a SOM on the value " + values[offset + f] + ": features must be finite and standardized");
        }
      }
      throw new IllegalStateException("Cannot find the best unit of a finite point");
    }
    for (int f = 0; f < dim; f++) {
      sums[best * dim + f] = FixedPoint.add(sums[best * dim + f], values[offset + f]);
    }
    hits[best]++;
    distance = FixedPoint.add(distance, Math.sqrt(cursor.bestDistance()));
    if (second && !codebook.grid().adjacent(best, cursor.second())) {
      topographicErrors++;
    }
    points++;
    return this;
  }

  /** Adds another pass's sums into these. Returns this. */
  public BatchStats merge(BatchStats other) {
    if (other.nodes != nodes || other.dim != dim || other.topographic != topographic) {
      throw new IllegalArgumentException("Cannot merge SOM sums of different shapes");
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] = Math.addExact(sums[i], other.sums[i]);
    }
    for (int i = 0; i < nodes; i++) {
      hits[i] += other.hits[i];
    }
    distance = Math.addExact(distance, other.distance);
    topographicErrors += other.topographicErrors;
    points += other.points;
    return this;
  }

  /** Per node, the sum of its points, node after node. */
  public double[] sums() {
    double[] out = new double[sums.length];
    for (int i = 0; i < sums.length; i++) {
      out[i] = FixedPoint.toDouble(sums[i]);
    }
    return out;
  }

  /** Per node, how many points it is the BMU of. */
  public long[] hits() {
    return hits.clone();
  }

  public long points() {
    return points;
  }

  /** The mean distance from a point to its BMU's weights; NaN without points. */
  public double quantizationError() {
    return points == 0 ? Double.NaN : FixedPoint.toDouble(distance) / points;
  }

  /** The share of points whose two best units are not adjacent; NaN if not counted or no points. */
  public double topographicError() {
    return !topographic || points == 0 ? Double.NaN : (double) topographicErrors / points;
  }
}
