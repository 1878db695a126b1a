package dev.lifecycle.common.rfm;

/**
 * ABC classes by revenue: A are the customers who, taken from the highest spender down, make the
 * first 80% of revenue, B the next 15%, C the rest. Customers with equal spend share a class, and
 * customers with no positive spend are C.
 */
public final class AbcClasses {
  public static final double A_SHARE = 0.80;
  public static final double B_SHARE = 0.95;

  private final double aCut;
  private final double bCut;

  private AbcClasses(double aCut, double bCut) {
    this.aCut = aCut;
    this.bCut = bCut;
  }

  /** A customer is A when spend >= aCut, else B when spend >= bCut, else C. */
  public static AbcClasses of(ValueHistogram histogram) {
    double[] values = histogram.values();
    long[] counts = histogram.counts();
    double total = 0;
    for (int i = 0; i < values.length; i++) {
      total += Math.max(values[i], 0) * counts[i];
    }
    double aCut = Double.POSITIVE_INFINITY;
    double bCut = Double.POSITIVE_INFINITY;
    double before = 0;
    for (int i = values.length - 1; i >= 0 && values[i] > 0; i--) {
      double shareBefore = before / total;
      if (shareBefore < A_SHARE) {
        aCut = values[i];
      }
      if (shareBefore < B_SHARE) {
        bCut = values[i];
      }
      before += values[i] * counts[i];
    }
    return new AbcClasses(aCut, bCut);
  }

  public double aCut() {
    return aCut;
  }

  public double bCut() {
    return bCut;
  }

  public String classOf(double spend) {
    return spend >= aCut ? "A" : spend >= bCut ? "B" : "C";
  }
}
