package dev.lifecycle.common.clv;

/**
 * Gauss's hypergeometric function 2F1(a, b; c; z) for 0 &lt;= z &lt; 1 by its power series, the
 * terms built by their ratio. commons-math3 has no 2F1, hence this. The series converges
 * geometrically with ratio z; the BTYD formulas call it with z = t / (α + T + t), well inside that.
 */
final class Hypergeometric {
  private static final int MAX_TERMS = 1_000_000;

  private Hypergeometric() {}

  static double f21(double a, double b, double c, double z) {
    if (!(z >= 0 && z < 1)) {
      throw new IllegalArgumentException("Cannot sum 2F1 at z=" + z + ": needs 0 <= z < 1");
    }
    double term = 1;
    double sum = 1;
    for (int n = 0; n < MAX_TERMS; n++) {
      term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      sum += term;
      if (Math.abs(term) <= 1e-16 * Math.abs(sum)) {
        return sum;
      }
    }
    throw new IllegalStateException(
        "Cannot sum 2F1(" + a + ", " + b + "; " + c + "; " + z + "): no convergence in "
            + MAX_TERMS + " terms");
  }
}
