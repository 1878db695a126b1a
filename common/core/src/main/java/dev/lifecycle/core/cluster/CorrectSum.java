package dev.lifecycle.core.cluster;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The sum of finite doubles, held exactly and rounded once, to the nearest double, when read: the
 * total does not depend on the order of the additions or on how they were split and merged, and it
 * is never less precise than adding in any order (a sum of amounts in cents that a double sum
 * leaves at 557597.0399951935 reads 557597.04). Unlike {@link ExactSum} nothing is rounded to fixed
 * point on the way in, so small values keep every bit.
 *
 * <p>Each value is its 53-bit significand times a power of two; the significands are added into
 * one long per power (a window of powers that grows as values need it), and every {@value
 * #ADDS_BETWEEN_CARRIES} additions each long passes what it holds above 2^32 on to the long 32
 * powers up, so none can overflow. Money takes a few dozen powers; adding costs a few
 * nanoseconds.
 */
public final class CorrectSum implements Serializable {
  private static final long serialVersionUID = 1L;
  /** How many significands (below 2^53) a long can take after a carry pass (below 2^33) and stay below 2^62. */
  private static final int ADDS_BETWEEN_CARRIES = 512;
  private static final int CARRY_BITS = 32;
  /** The powers of two run from 2^-1074 (exponent 1, subnormals included) to 2^971 and carries above. */
  private static final int EXPONENT_BIAS = 1075;

  /** The exponent (biased, as a double's bits hold it) of {@code sums[0]}'s unit. */
  private int base;
  private long[] sums = new long[0];
  private int adds;

  /** Adds a finite value. */
  public CorrectSum add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Cannot sum " + value + " exactly: not finite");
    }
    long bits = Double.doubleToRawLongBits(value);
    int exponent = (int) ((bits >>> 52) & 0x7ff);
    long significand = bits & 0xfffffffffffffL;
    if (exponent == 0) {
      exponent = 1; // subnormal: no implicit bit, the least exponent's unit
    } else {
      significand |= 1L << 52;
    }
    if (significand == 0) {
      return this;
    }
    int at = reach(exponent);
    sums[at] += bits < 0 ? -significand : significand;
    if (++adds == ADDS_BETWEEN_CARRIES) {
      carry();
    }
    return this;
  }

  /** Adds the other's values to these; returns this. The other is left as it was. */
  public CorrectSum add(CorrectSum other) {
    carry();
    long[] theirs = other.sums.clone();
    CorrectSum copy = new CorrectSum();
    copy.base = other.base;
    copy.sums = theirs;
    copy.carry();
    for (int i = 0; i < copy.sums.length; i++) {
      if (copy.sums[i] != 0) {
        int at = reach(copy.base + i);
        sums[at] += copy.sums[i];
      }
    }
    carry();
    return this;
  }

  /** The sum, rounded to the nearest double (ties to even); 0 for no values. */
  public double value() {
    carry();
    BigInteger total = BigInteger.ZERO;
    for (int i = sums.length - 1; i >= 0; i--) {
      total = total.shiftLeft(1).add(BigInteger.valueOf(sums[i]));
    }
    if (total.signum() == 0) {
      return 0;
    }
    int power = base - EXPONENT_BIAS; // the unit of sums[0] is 2^power
    BigDecimal exact =
        power >= 0
            ? new BigDecimal(total.shiftLeft(power))
            : new BigDecimal(total.multiply(BigInteger.valueOf(5).pow(-power)), -power);
    return exact.doubleValue();
  }

  /** The index of the long for the exponent's unit, growing the window to reach it and 32 above. */
  private int reach(int exponent) {
    if (sums.length == 0) {
      base = exponent;
      sums = new long[CARRY_BITS + 1];
    }
    if (exponent < base) {
      int grow = base - exponent;
      long[] wider = new long[sums.length + grow];
      System.arraycopy(sums, 0, wider, grow, sums.length);
      sums = wider;
      base = exponent;
    }
    int at = exponent - base;
    if (at + CARRY_BITS >= sums.length) {
      sums = Arrays.copyOf(sums, at + CARRY_BITS + 1);
    }
    return at;
  }

  /**
   * Passes what each long holds beyond ±2^32 to the long 32 powers up (truncating, so each keeps
   * its sign and the carries shrink on the way up).
   */
  private void carry() {
    adds = 0;
    for (int i = 0; i < sums.length; i++) {
      long value = sums[i];
      long carried = value >= 0 ? value >>> CARRY_BITS : -((-value) >>> CARRY_BITS);
      if (carried != 0) {
        sums[i] = value - (carried << CARRY_BITS);
        int up = reach(base + i + CARRY_BITS);
        sums[up] += carried;
      }
    }
  }
}
