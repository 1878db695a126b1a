package dev.lifecycle.core.clv;

import java.util.Arrays;
import java.util.SplittableRandom;

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
   * A cheaper stand-in for searching: a random subsample of about {@code customers} of the
   * customers, each kept with the same chance (seeded, so the same data gives the same sample).
   * Its likelihood has the shape of the whole data's, scaled down, so its optimum lies a few of the
   * data's standard errors from the data's optimum: a starting point, never the final estimate. Rounding t_x and T to a coarse grid instead biases the optimum, far enough on
   * data with long, finely timed histories that a local search from it ends elsewhere.
   */
  public RepeatPatterns sample(long customers, long seed) {
    double keep = Math.min(1, (double) customers / customers());
    SplittableRandom random = new SplittableRandom(seed);
    RepeatPatterns sample = new RepeatPatterns();
    for (int i = 0; i < size; i++) {
      long kept = 0;
      for (long c = 0; c < (long) weight[i]; c++) {
        if (random.nextDouble() < keep) {
          kept++;
        }
      }
      if (kept > 0) {
        sample.add(x[i], tx[i], bigT[i], kept);
      }
    }
    return sample;
  }

  public long customers() {
    long n = 0;
    for (int i = 0; i < size; i++) {
      n += (long) weight[i];
    }
    return n;
  }
}
