package dev.lifecycle.core.cluster;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * A sum of doubles in 128-bit fixed point (units of 2^-20, as {@link FixedPoint}): exact, so the
 * total does not depend on the order of the additions, and wide enough that no realistic total
 * (revenue in any currency over any number of customers) overflows. Values beyond fixed point's
 * range (10^12 and more, such as a corrupt amount) are summed exactly as decimals beside it.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double TWO_64 = 0x1.0p64;

  private long high;
  private long low;
  /** The values beyond fixed point's range, if any. */
  private BigDecimal large;

  /** Adds a finite value. */
  public ExactSum add(double value) {
    if (Math.abs(value) >= FixedPoint.LIMIT && Double.isFinite(value)) {
      large = large == null ? new BigDecimal(value) : large.add(new BigDecimal(value));
      return this;
    }
    return addFixed(FixedPoint.of(value));
  }

  public ExactSum add(ExactSum other) {
    long before = low;
    low += other.low;
    high += other.high + (Long.compareUnsigned(low, before) < 0 ? 1 : 0);
    if (other.large != null) {
      large = large == null ? other.large : large.add(other.large);
    }
    return this;
  }

  private ExactSum addFixed(long fixed) {
    long before = low;
    low += fixed;
    high += (fixed < 0 ? -1 : 0) + (Long.compareUnsigned(low, before) < 0 ? 1 : 0);
    return this;
  }

  /** The total as the nearest double (of the fixed-point part and of the large part, added). */
  public double value() {
    double fixed;
    if (high == (low >> 63)) {
      fixed = FixedPoint.toDouble(low);
    } else {
      double unsignedLow = (low >>> 1) * 2.0 + (low & 1);
      fixed = (high * TWO_64 + unsignedLow) / (1 << 20);
    }
    return large == null ? fixed : fixed + large.doubleValue();
  }
}
