package dev.lifecycle.core.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * The adjusted Rand index of two labellings of the same items (Hubert and Arabie 1985): 1 for
 * identical partitions whatever the label names, about 0 for independent ones. Built up from the
 * contingency counts, so it can be fed from a Spark group-by.
 */
public final class AdjustedRand {
  private final Map<Long, Long> rows = new HashMap<>();
  private final Map<Long, Long> cols = new HashMap<>();
  private double pairsInCells;
  private long n;

  /** Adds {@code count} items labelled {@code a} by the first labelling and {@code b} by the second. */
  public AdjustedRand add(long a, long b, long count) {
    rows.merge(a, count, Long::sum);
    cols.merge(b, count, Long::sum);
    pairsInCells += pairs(count);
    n += count;
    return this;
  }

  /** The index; NaN for fewer than two items or when both labellings have a single class. */
  public double index() {
    double rowPairs = rows.values().stream().mapToDouble(AdjustedRand::pairs).sum();
    double colPairs = cols.values().stream().mapToDouble(AdjustedRand::pairs).sum();
    double expected = rowPairs * colPairs / pairs(n);
    double max = (rowPairs + colPairs) / 2;
    return max == expected ? Double.NaN : (pairsInCells - expected) / (max - expected);
  }

  private static double pairs(long count) {
    return count * (count - 1) / 2.0;
  }
}
