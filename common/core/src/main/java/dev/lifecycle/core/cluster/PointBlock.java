package dev.lifecycle.core.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Points of one partition packed row after row into one array, with an amount per point (the
 * revenue in the segment stage, zero where there is none) and a key per point (a hash of the
 * customer id, for sampling that does not depend on partitioning). Passes that fit a model read
 * these arrays instead of rows, which is most of their speed.
 */
public record PointBlock(int dim, double[] values, double[] amounts, long[] keys) implements Serializable {
  /** Points per block: large enough that a pass is a tight loop, small enough to allocate easily. */
  public static final int CAPACITY = 1 << 16;

  public PointBlock {
    if (dim < 1 || values.length % dim != 0 || amounts.length != values.length / dim || keys.length != amounts.length) {
      throw new IllegalArgumentException(
          "Cannot build a block of " + values.length + " values, " + amounts.length + " amounts and "
              + keys.length + " keys in dimension " + dim);
    }
  }

  public int size() {
    return amounts.length;
  }

  /** A copy of point i. */
  public double[] point(int i) {
    double[] point = new double[dim];
    System.arraycopy(values, i * dim, point, 0, dim);
    return point;
  }

  /**
   * An order of the points along a Z-order (Morton) curve through the block's own box: points
   * near one another in space come out near one another, so a pass that looks up each point's
   * nearest nodes finds what it just used. Entry i is the index of the point that goes i-th; points
   * that are not finite count as the box's low corner. Sums over a block do not depend on its
   * order when they are exact ({@link FixedPoint}).
   */
  public int[] curveOrder() {
    int n = size();
    if (n > 1 << 17) {
      throw new IllegalArgumentException("Cannot order a block of " + n + " points: at most " + (1 << 17));
    }
    // Each point's code and index share a long: 17 bits for the index, the rest for the code.
    int bits = Math.min(10, (63 - 17) / dim);
    if (bits == 0 || n < 2) {
      return IntStream.range(0, n).toArray();
    }
    double[] low = new double[dim];
    double[] scale = new double[dim];
    for (int f = 0; f < dim; f++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        double v = values[i * dim + f];
        if (Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      low[f] = min;
      scale[f] = max > min ? ((1 << bits) - 1) / (max - min) : 0;
    }
    long[] keyed = new long[n];
    for (int i = 0; i < n; i++) {
      long code = 0;
      for (int f = 0; f < dim; f++) {
        double v = values[i * dim + f];
        long cell = Double.isFinite(v) ? (long) ((v - low[f]) * scale[f]) : 0;
        for (int b = 0; b < bits; b++) {
          code |= ((cell >>> b) & 1L) << (b * dim + f);
        }
      }
      keyed[i] = (code << 17) | i;
    }
    Arrays.sort(keyed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) (keyed[i] & ((1 << 17) - 1));
    }
    return order;
  }

  /** The block with point {@code order[i]} (its values, amount and key) as its i-th. */
  public PointBlock permuted(int[] order) {
    double[] movedValues = new double[values.length];
    double[] movedAmounts = new double[order.length];
    long[] movedKeys = new long[order.length];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(values, order[i] * dim, movedValues, i * dim, dim);
      movedAmounts[i] = amounts[order[i]];
      movedKeys[i] = keys[order[i]];
    }
    return new PointBlock(dim, movedValues, movedAmounts, movedKeys);
  }

  /** Fills blocks of up to {@link #CAPACITY} points, each in {@link #curveOrder curve order}. */
  public static final class Builder {
    private final int dim;
    private final List<PointBlock> blocks = new ArrayList<>();
    private double[] values;
    private double[] amounts;
    private long[] keys;
    private int size;

    public Builder(int dim) {
      this.dim = dim;
    }

    public Builder add(double[] point, double amount, long key) {
      if (point.length != dim) {
        throw new IllegalArgumentException("Cannot add a point of dimension " + point.length + " to blocks of " + dim);
      }
      if (values == null) {
        values = new double[CAPACITY * dim];
        amounts = new double[CAPACITY];
        keys = new long[CAPACITY];
      }
      System.arraycopy(point, 0, values, size * dim, dim);
      amounts[size] = amount;
      keys[size] = key;
      if (++size == CAPACITY) {
        flush();
      }
      return this;
    }

    public Iterator<PointBlock> build() {
      flush();
      return blocks.iterator();
    }

    private void flush() {
      if (size > 0) {
        PointBlock block =
            new PointBlock(
                dim, Arrays.copyOf(values, size * dim), Arrays.copyOf(amounts, size), Arrays.copyOf(keys, size));
        blocks.add(block.permuted(block.curveOrder()));
      }
      values = null;
      size = 0;
    }
  }
}
