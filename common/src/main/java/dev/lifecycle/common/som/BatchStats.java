package dev.lifecycle.common.som;

import java.io.Serializable;

/**
 * What one pass over the data sums for the batch update: per node, the count and the sum of the
 * points whose best-matching unit it is; over all points, the distance to the BMU (quantization
 * error) and, when asked, how many points have their two best units not adjacent on the grid
 * (topographic error).
 *
 * <p>The sums are kept in fixed point, in units of 2^-20, so adding is exact: the totals do not
 * depend on how the points are split into partitions or in which order partial sums are merged.
 * That makes a distributed run reproducible bit for bit. Overflow throws rather than wraps.
 */
public final class BatchStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double SCALE = 1 << 20;

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
    int best = 0;
    int second = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    double secondDistance = Double.POSITIVE_INFINITY;
    for (int node = 0; node < nodes; node++) {
      double d = codebook.distanceSquared(point, node);
      if (d < bestDistance) {
        second = best;
        secondDistance = bestDistance;
        best = node;
        bestDistance = d;
      } else if (d < secondDistance) {
        second = node;
        secondDistance = d;
      }
    }
    for (int f = 0; f < dim; f++) {
      sums[best * dim + f] = Math.addExact(sums[best * dim + f], fixed(point[f]));
    }
    hits[best]++;
    distance = Math.addExact(distance, fixed(Math.sqrt(bestDistance)));
    if (topographic && nodes > 1 && !codebook.grid().adjacent(best, second)) {
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

  private static long fixed(double value) {
    if (!(Math.abs(value) < 1e12)) {
      throw new IllegalArgumentException(
          "Cannot train a SOM on the value " + value + ": features must be finite and standardized");
    }
    return Math.round(value * SCALE);
  }

  /** Per node, the sum of its points, node after node. */
  public double[] sums() {
    double[] out = new double[sums.length];
    for (int i = 0; i < sums.length; i++) {
      out[i] = sums[i] / SCALE;
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
    return points == 0 ? Double.NaN : distance / SCALE / points;
  }

  /** The share of points whose two best units are not adjacent; NaN if not counted or no points. */
  public double topographicError() {
    return !topographic || points == 0 ? Double.NaN : (double) topographicErrors / points;
  }
}
