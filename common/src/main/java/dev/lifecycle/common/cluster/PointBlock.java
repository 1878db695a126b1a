package dev.lifecycle.common.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

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

  /** Fills blocks of up to {@link #CAPACITY} points, in the order the points come. */
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
        blocks.add(
            new PointBlock(
                dim, Arrays.copyOf(values, size * dim), Arrays.copyOf(amounts, size),
                Arrays.copyOf(keys, size)));
      }
      values = null;
      size = 0;
    }
  }
}
