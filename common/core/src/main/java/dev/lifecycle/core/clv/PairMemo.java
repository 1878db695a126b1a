package dev.lifecycle.core.clv;

import java.util.Arrays;

/**
 * One thread's memo of {@code width} values per pair of doubles, for one scorer's parameters
 * ({@link #key()}). The scorer keeps two: the if-alive expectations by (x, T), since E[Y(t) | x, T,
 * alive] does not depend on t_x and customers share far fewer (x, T) pairs than they are (74,953
 * pairs among the 1,000,000 customers of the 1M-customer sample); and one-time buyers' whole
 * scores by (t_x, T). Each pair's values are NaN until computed. Open addressing on both keys'
 * bits, mixed, so that whole numbers and sevenths do not collide; the table doubles when three
 * quarters full, up to its largest size ({@value #MAX_SLOTS} pairs unless given), and past that
 * starts again empty, so its memory stays bounded (about 12 MiB at width 10 and the default).
 */
final class PairMemo {
  private static final int MIN_SLOTS = 1 << 10;
  static final int MAX_SLOTS = 1 << 17;

  private final int width;
  private final int maxSlots;
  /** What the values depend on (the model, its parameter sets, the horizon), as text. */
  private final String key;
  /** The scorer that used the memo last, so that its next use needs no comparison of keys. */
  private Object owner;
  private long[] xs;
  private long[] ts;
  private boolean[] used;
  private double[] values;
  private int size;

  PairMemo(int width, String key) {
    this(width, MAX_SLOTS, key);
  }

  /** A memo of at most {@code maxSlots} pairs, a power of two of at least 1,024. */
  PairMemo(int width, int maxSlots, String key) {
    this.width = width;
    this.maxSlots = maxSlots;
    this.key = key;
    allocate(MIN_SLOTS);
  }

  String key() {
    return key;
  }

  Object owner() {
    return owner;
  }

  void owner(Object owner) {
    this.owner = owner;
  }

  /**
   * Where the pair's values start in {@link #values()}; a pair not held yet gets NaN values. The
   * place holds only until the next call, which may grow or empty the table.
   */
  int place(double x, double bigT) {
    long xBits = Double.doubleToRawLongBits(x);
    long tBits = Double.doubleToRawLongBits(bigT);
    int mask = used.length - 1;
    for (int slot = hash(xBits, tBits) & mask; ; slot = (slot + 1) & mask) {
      if (!used[slot]) {
        if (size + 1 > used.length / 4 * 3) {
          grow();
          return place(x, bigT);
        }
        used[slot] = true;
        xs[slot] = xBits;
        ts[slot] = tBits;
        size++;
        return slot * width;
      }
      if (xs[slot] == xBits && ts[slot] == tBits) {
        return slot * width;
      }
    }
  }

  /** The pairs' values, {@code width} each. */
  double[] values() {
    return values;
  }

  private void grow() {
    if (used.length >= maxSlots) {
      allocate(maxSlots);
      return;
    }
    long[] oldXs = xs;
    long[] oldTs = ts;
    boolean[] oldUsed = used;
    double[] oldValues = values;
    allocate(used.length * 2);
    int mask = used.length - 1;
    for (int old = 0; old < oldUsed.length; old++) {
      if (oldUsed[old]) {
        int slot = hash(oldXs[old], oldTs[old]) & mask;
        while (used[slot]) {
          slot = (slot + 1) & mask;
        }
        used[slot] = true;
        xs[slot] = oldXs[old];
        ts[slot] = oldTs[old];
        System.arraycopy(oldValues, old * width, values, slot * width, width);
        size++;
      }
    }
  }

  private void allocate(int slots) {
    xs = new long[slots];
    ts = new long[slots];
    used = new boolean[slots];
    values = new double[slots * width];
    Arrays.fill(values, Double.NaN);
    size = 0;
  }

  private static int hash(long xBits, long tBits) {
    long h = xBits * 0x9E3779B97F4A7C15L + tBits;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (int) h;
  }
}
