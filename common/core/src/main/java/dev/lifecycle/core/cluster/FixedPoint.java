package dev.lifecycle.core.cluster;

/**
 * Sums in fixed point, in units of 2^-20, so adding is exact: a total does not depend on how the
 * values are split into partitions or in which order partial sums are merged, which makes a
 * distributed fit reproducible bit for bit. Values must be finite and modest (standardized
 * features, their products, distances); overflow throws rather than wraps.
 */
public final class FixedPoint {
  private static final double SCALE = 1 << 20;
  /** The largest magnitude a value may have. */
  static final double LIMIT = 1e12;

  private FixedPoint() {}

  /** The value in fixed point, rounded to the nearest unit (half to even). */
  public static long of(double value) {
    if (!(Math.abs(value) < LIMIT)) {
      throw new IllegalArgumentException(
          "Cannot fit on the value " + value + ": features must be finite and standardized");
    }
    return (long) Math.rint(value * SCALE);
  }

  /** Adds a value to a fixed-point total. */
  public static long add(long total, double value) {
    return Math.addExact(total, of(value));
  }

  public static double toDouble(long fixed) {
    return fixed / SCALE;
  }
}
