package dev.lifecycle.core.clv;

import java.util.Arrays;

/**
 * Gauss's hypergeometric function 2F1(a, b; c; z) for 0 &lt;= z &lt; 1 by its power series, the
 * terms built by their ratio. commons-math3 has no 2F1, hence this. The series converges
 * geometrically with ratio z; the BTYD formulas call it with z = t / (α + T + t) &lt; 1, and
 * {@link BgNbd} integrates instead where z is so near 1 that the series would be long.
 */
final class Hypergeometric {
  private static final int MAX_TERMS = 1_000_000;

  /** A sum is rescaled by this whenever it passes it; {@code LOG_RESCALE} is its log. */
  private static final double RESCALE = 1e250;

  private static final double LOG_RESCALE = Math.log(RESCALE);

  private Hypergeometric() {}

  static double f21(double a, double b, double c, double z) {
    return f21(a, b, c, new double[] {z})[0];
  }

  /**
   * 2F1(a, b; c; z_k) at several z at once. The coefficient ratio (a + n)(b + n) / ((c + n)(n +
   * 1)) does not depend on z, so each further z costs a multiplication and an addition per term:
   * a customer's whole CLV horizon for about the price of its longest step. Each sum stops on
   * its own, when its term is negligible, as {@link #f21(double, double, double, double)} does.
   */
  static double[] f21(double a, double b, double c, double[] z) {
    double[] logScale = new double[z.length];
    double[] sum = f21(a, b, c, z, logScale);
    for (int k = 0; k < z.length; k++) {
      sum[k] *= Math.exp(logScale[k]);
    }
    return sum;
  }

  /**
   * As {@link #f21(double, double, double, double[])}, for sums past a double's range: 2F1 at
   * z_k is the returned value × e^{@code logScale[k]}. A sum is rescaled each time it passes
   * 10^250 (a BG/NBD fit with a in the thousands sums (1 − z)^−(a−1)-sized series), and {@code
   * logScale[k]} stays 0 for one that never does.
   */
  static double[] f21(double a, double b, double c, double[] z, double[] logScale) {
    for (double zk : z) {
      if (!(zk >= 0 && zk < 1)) {
        throw new IllegalArgumentException("Cannot sum 2F1 at z=" + zk + ": needs 0 <= z < 1");
      }
    }
    double[] term = new double[z.length];
    double[] sum = new double[z.length];
    Arrays.fill(term, 1);
    Arrays.fill(sum, 1);
    boolean[] done = new boolean[z.length];
    int open = z.length;
    for (int n = 0; n < MAX_TERMS && open > 0; n++) {
      double ratio = (a + n) * (b + n) / ((c + n) * (n + 1));
      for (int k = 0; k < z.length; k++) {
        if (!done[k]) {
          term[k] *= ratio * z[k];
          sum[k] += term[k];
          if (Math.abs(sum[k]) > RESCALE) {
            term[k] /= RESCALE;
            sum[k] /= RESCALE;
            logScale[k] += LOG_RESCALE;
          }
          if (Math.abs(term[k]) <= 1e-16 * Math.abs(sum[k])) {
            done[k] = true;
            open--;
          }
        }
      }
    }
    if (open > 0) {
      throw new IllegalStateException(
          "Cannot sum 2F1(" + a + ", " + b + "; " + c + "; " + Arrays.toString(z)
              + "): no convergence in " + MAX_TERMS + " terms");
    }
    return sum;
  }

  /**
   * ln Σ |term| of the series of 2F1(a, b; c; z), rescaled as {@link #f21(double, double, double,
   * double[], double[])} rescales its sum: with that sum's ln |2F1|, the log of how many times the
   * terms' rounding is magnified in it. Terms of mixed sign that grow far past their sum (a large
   * negative a, say) lose about log10 of that in digits.
   */
  static double logAbsoluteTermSum(double a, double b, double c, double z) {
    double term = 1;
    double sum = 1;
    double logScale = 0;
    for (int n = 0; n < MAX_TERMS; n++) {
      term *= Math.abs((a + n) * (b + n) / ((c + n) * (n + 1))) * z;
      sum += term;
      if (sum > RESCALE) {
        term /= RESCALE;
        sum /= RESCALE;
        logScale += LOG_RESCALE;
      }
      if (term <= 1e-16 * sum) {
        return logScale + Math.log(sum);
      }
    }
    throw new IllegalStateException(
        "Cannot sum |2F1(" + a + ", " + b + "; " + c + "; " + z + ")|'s terms: no convergence in " + MAX_TERMS + " terms");
  }

  /**
   * ln 2F1(a, b; a + 1; z) for a &gt; 0, 0 &lt; b &lt; a + 1 and 0 &lt;= z &lt; 1, the form the
   * Pareto/NBD likelihood needs. Euler's transformation gives (1 − z)^(1−b) 2F1(1, a + 1 − b; a
   * + 1; z), a series of positive terms whose ratio (a + 1 − b + n) / (a + 1 + n) z stays below z,
   * so the sum stops when the geometric bound on the rest, term z / (1 − z), is negligible. Its
   * cost grows like 1 / (1 − z): callers keep z well below 1.
   */
  static double logF21AtAPlusOne(double a, double b, double z) {
    if (!(z >= 0 && z < 1) || !(a > 0) || !(b > 0 && b < a + 1)) {
      throw new IllegalArgumentException(
          "Cannot sum 2F1(" + a + ", " + b + "; a + 1; " + z + "): needs a > 0, 0 < b < a + 1, 0 <= z < 1");
    }
    double term = 1;
    double sum = 1;
    double tail = z / (1 - z);
    for (int n = 0; n < MAX_TERMS; n++) {
      term *= (a + 1 - b + n) / (a + 1 + n) * z;
      sum += term;
      if (term * tail <= 1e-16 * sum) {
        return (1 - b) * Math.log1p(-z) + Math.log(sum);
      }
    }
    throw new IllegalStateException(
        "Cannot sum 2F1(" + a + ", " + b + "; a + 1; " + z + "): no convergence in " + MAX_TERMS + " terms");
  }
}
