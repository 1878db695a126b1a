package dev.lifecycle.core.loyalty;

import java.util.Locale;

/**
 * Saaty's analytic hierarchy process: priorities from a positive reciprocal matrix of pairwise
 * comparisons on the 1–9 scale. The weights are the principal (Perron) eigenvector, normalised to
 * sum to 1; the consistency index is CI = (λmax − n) / (n − 1) and the consistency ratio CR = CI /
 * RI, with Saaty's random indices RI. Saaty, T. L. (1980), <i>The Analytic Hierarchy Process</i>,
 * McGraw-Hill; Saaty, T. L. (1990), "How to make a decision: the analytic hierarchy process",
 * <i>European Journal of Operational Research</i> 48, 9–26.
 */
public final class Ahp {
  /** Saaty's random consistency index by matrix size n (index n; 0 for n ≤ 2), for n up to 15. */
  static final double[] RANDOM_INDEX = {
    0, 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59
  };

  /** The largest matrix with a random index. */
  public static final int MAX_SIZE = RANDOM_INDEX.length - 1;

  private static final int MAX_ITERATIONS = 100_000;

  /** Judgments on Saaty's scale lie in 1/9..9; a hair of slack for values written as decimals. */
  private static final double SCALE = 9 * (1 + 1e-9);

  /**
   * The weights (summing to 1), λmax, CI and CR, and the pair (row, column, 0-based) whose judgment
   * is furthest from the ratio of the weights: the most inconsistent one, |ln(a_ij w_j / w_i)|
   * largest.
   */
  public record Priorities(double[] weights, double lambdaMax, double ci, double cr, int worstRow, int worstColumn) {
    /** Whether Saaty's rule accepts the judgments: CR below 0.1. */
    public boolean consistent() {
      return cr < 0.1;
    }
  }

  private Ahp() {}

  /**
   * The full matrix of n criteria from its upper triangle, row by row (a_12, a_13, …, a_1n, a_23,
   * …): the diagonal is 1 and a_ji = 1 / a_ij.
   */
  public static double[][] fromUpperTriangle(double[] upper, int n) {
    if (upper.length != n * (n - 1) / 2) {
      throw new IllegalArgumentException(
          n + " criteria need " + n * (n - 1) / 2 + " comparisons above the diagonal, not " + upper.length);
    }
    double[][] a = new double[n][n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      a[i][i] = 1;
      for (int j = i + 1; j < n; j++) {
        a[i][j] = upper[k++];
        a[j][i] = 1 / a[i][j];
      }
    }
    return a;
  }

  /**
   * The priorities of a matrix of pairwise comparisons. It must be square, of 2 to {@link
   * #MAX_SIZE} criteria, with every judgment in 1/9..9, a diagonal of 1 and a_ji = 1 / a_ij;
   * otherwise an {@link IllegalArgumentException} names the first cell (1-based) that is not.
   */
  public static Priorities of(double[][] a) {
    check(a);
    int n = a.length;
    double[] w = new double[n];
    double lambda = perron(a, w);
    double ci = n <= 2 ? 0 : Math.max(0, (lambda - n) / (n - 1));
    double cr = n <= 2 ? 0 : ci / RANDOM_INDEX[n];
    int worstRow = 0;
    int worstColumn = n > 1 ? 1 : 0;
    double worst = -1;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double off = Math.abs(Math.log(a[i][j] * w[j] / w[i]));
        if (off > worst + 1e-12) {
          worst = off;
          worstRow = i;
          worstColumn = j;
        }
      }
    }
    return new Priorities(w, lambda, ci, cr, worstRow, worstColumn);
  }

  /**
   * The Perron root of a positive matrix and its eigenvector, normalised to sum to 1, into {@code
   * w}, by power iteration (Saaty's own method: the rows of A^k normalised): the root is simple and
   * strictly the largest in modulus, so the iteration converges from the uniform vector, at once
   * for consistent judgments (A = w w^−T has rank 1). commons-math3's non-symmetric eigen
   * decomposition failed to converge on some consistent matrices of 5 to 15 criteria.
   */
  private static double perron(double[][] a, double[] w) {
    int n = a.length;
    java.util.Arrays.fill(w, 1.0 / n);
    double[] next = new double[n];
    double lambda = 0;
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      lambda = 0;
      for (int i = 0; i < n; i++) {
        double row = 0;
        for (int j = 0; j < n; j++) {
          row += a[i][j] * w[j];
        }
        next[i] = row;
        lambda += row;
      }
      double change = 0;
      for (int i = 0; i < n; i++) {
        next[i] /= lambda;
        change = Math.max(change, Math.abs(next[i] - w[i]) / next[i]);
        w[i] = next[i];
      }
      if (change <= 1e-14) {
        return lambda;
      }
    }
    throw new IllegalStateException(
        "Cannot weigh the criteria: the power iteration did not settle in " + MAX_ITERATIONS + " steps");
  }

  private static void check(double[][] a) {
    int n = a.length;
    if (n < 2 || n > MAX_SIZE) {
      throw new IllegalArgumentException("compare 2 to " + MAX_SIZE + " criteria, not " + n);
    }
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("row " + (i + 1) + " has " + a[i].length + " values, not " + n);
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = a[i][j];
        String cell = "cell (" + (i + 1) + "," + (j + 1) + ") = " + format(v);
        if (i == j && v != 1) {
          throw new IllegalArgumentException(cell + ": the diagonal must be 1");
        }
        if (!(v >= 1 / SCALE && v <= SCALE)) {
          throw new IllegalArgumentException(cell + " is outside Saaty's scale 1/9..9");
        }
        if (j > i && Math.abs(a[j][i] * v - 1) > 1e-6) {
          throw new IllegalArgumentException(
              "cell (" + (j + 1) + "," + (i + 1) + ") = " + format(a[j][i]) + " is not the reciprocal of " + cell
                  + " (expected " + format(1 / v) + ")");
        }
      }
    }
  }

  /** A judgment as people write them: 3, 1/5, or a decimal. */
  public static String format(double v) {
    if (v >= 1 && v == Math.rint(v)) {
      return Long.toString((long) v);
    }
    double inverse = 1 / v;
    if (v < 1 && Math.abs(inverse - Math.rint(inverse)) < 1e-9) {
      return "1/" + Math.round(inverse);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
