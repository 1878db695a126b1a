package dev.lifecycle.core.clv;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The BTYD summary compressed to weighted patterns: customers sharing (x, t_x, T) are one pattern
 * with a count, so a likelihood costs the number of distinct patterns, not customers. x is the
 * number of repeat purchases, t_x the time of the last one and T the time observed, both since the
 * first purchase and in one explicit time unit.
 */
public final class RepeatPatterns {
  private double[] x = new double[16];
  private double[] tx = new double[16];
  private double[] bigT = new double[16];
  private double[] weight = new double[16];
  private int size;

  /** Adds {@code customers} with this summary. */
  public RepeatPatterns add(double x, double tx, double bigT, long customers) {
    return add(x, tx, bigT, (double) customers);
  }

  private RepeatPatterns add(double x, double tx, double bigT, double customers) {
    if (x < 0 || tx < 0 || tx > bigT || (x == 0 && tx != 0)) {
      throw new IllegalArgumentException(
          "Cannot use the summary x=" + x + ", t_x=" + tx + ", T=" + bigT
              + ": needs x >= 0, 0 <= t_x <= T, and t_x = 0 when x = 0");
    }
    if (size == this.x.length) {
      this.x = Arrays.copyOf(this.x, 2 * size);
      this.tx = Arrays.copyOf(this.tx, 2 * size);
      this.bigT = Arrays.copyOf(this.bigT, 2 * size);
      this.weight = Arrays.copyOf(this.weight, 2 * size);
    }
    this.x[size] = x;
    this.tx[size] = tx;
    this.bigT[size] = bigT;
    this.weight[size] = customers;
    size++;
    return this;
  }

  public int size() {
    return size;
  }

  public double x(int i) {
    return x[i];
  }

  public double tx(int i) {
    return tx[i];
  }

  public double bigT(int i) {
    return bigT[i];
  }

  public double weight(int i) {
    return weight[i];
  }

  /**
   * A cheaper stand-in with t_x and T rounded to a grid of {@code steps} steps up to the largest T,
   * identical patterns merged: near enough for a starting point, never for the final estimate.
   */
  public RepeatPatterns coarsened(int steps) {
    double maxT = 0;
    for (int i = 0; i < size; i++) {
      maxT = Math.max(maxT, bigT[i]);
    }
    double step = maxT / steps;
    double[] xs = PatternLikelihood.distinct(this::x, size);
    Map<Long, Integer> index = new HashMap<>();
    RepeatPatterns coarse = new RepeatPatterns();
    for (int i = 0; i < size; i++) {
      long gridT = Math.max(1, Math.round(bigT[i] / step));
      long gridTx = Math.min(gridT, Math.round(tx[i] / step));
      long key = ((long) Arrays.binarySearch(xs, x[i]) * (steps + 1) + gridTx) * (steps + 1) + gridT;
      Integer at = index.putIfAbsent(key, coarse.size);
      if (at == null) {
        coarse.add(x[i], x[i] == 0 ? 0 : gridTx * step, gridT * step, weight[i]);
      } else {
        coarse.weight[at] += weight[i];
      }
    }
    return coarse;
  }

  public long customers() {
    long n = 0;
    for (int i = 0; i < size; i++) {
      n += (long) weight[i];
    }
    return n;
  }
}
