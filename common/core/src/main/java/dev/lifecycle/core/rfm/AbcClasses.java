package dev.lifecycle.core.rfm;

import java.math.BigDecimal;
import java.util.List;

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

  /**
   * A customer is A when spend >= aCut, else B when spend >= bCut, else C. Shares are computed in
   * exact decimal arithmetic on the amounts as written (0.1 is 0.1), so a customer exactly at 80%
   * or 95% is never misplaced by binary rounding.
   */
  public static AbcClasses of(ValueHistogram histogram) {
    double[] values = histogram.values();
    long[] counts = histogram.counts();
    BigDecimal[] revenue = new BigDecimal[values.length];
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < values.length; i++) {
      revenue[i] = BigDecimal.valueOf(values[i]).multiply(BigDecimal.valueOf(counts[i]));
      if (values[i] > 0) {
        total = total.add(revenue[i]);
      }
    }
    BigDecimal aLimit = total.multiply(BigDecimal.valueOf(A_SHARE));
    BigDecimal bLimit = total.multiply(BigDecimal.valueOf(B_SHARE));
    double aCut = Double.POSITIVE_INFINITY;
    double bCut = Double.POSITIVE_INFINITY;
    BigDecimal before = BigDecimal.ZERO;
    for (int i = values.length - 1; i >= 0 && values[i] > 0; i--) {
      if (before.compareTo(aLimit) < 0) {
        aCut = values[i];
      }
      if (before.compareTo(bLimit) < 0) {
        bCut = values[i];
      }
      before = before.add(revenue[i]);
    }
    return new AbcClasses(aCut, bCut);
  }

  /** A class and the least spend that puts a customer in it. */
  public record Tier(String name, double minSpend) {}

  /** The class of the customers no tier takes. */
  public static final String REST = "C";

  /** A, then B: a customer is in the first whose least spend it reaches, else in {@link #REST}. */
  public List<Tier> tiers() {
    return List.of(new Tier("A", aCut), new Tier("B", bCut));
  }

  public String classOf(double spend) {
    for (Tier tier : tiers()) {
      if (spend >= tier.minSpend()) {
        return tier.name();
      }
    }
    return REST;
  }
}
