package dev.lifecycle.core.cluster;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Per key, the number of rows and the {@linkplain CorrectSum exact sums, rounded once} of a fixed
 * number of values: totals that do not depend on how the rows are split into partitions or in
 * which order partial totals are merged, so a table built from them is the same bit for bit
 * however the rows it reads were laid out in files. A sum skips nulls and is null when every value was, as SQL's
 * {@code sum}; a value that is not finite makes the sum not finite, as a double sum would.
 *
 * @param <K> the key; it must implement equality and be serializable
 */
public final class ExactTotals<K> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One key's count and sums; a sum is null when no value was added to it. */
  public record Totals(long count, Double[] sums) {}

  private final int width;
  private final HashMap<K, Cell> cells = new HashMap<>();

  /** Totals of {@code width} values per row. */
  public ExactTotals(int width) {
    this.width = width;
  }

  /** Counts a row of {@code key} and adds its values (exactly {@code width}; null for none). */
  public ExactTotals<K> add(K key, Double... values) {
    if (values.length != width) {
      throw new IllegalArgumentException("Expected " + width + " values, got " + values.length);
    }
    Cell cell = cells.computeIfAbsent(key, k -> new Cell(width));
    cell.count++;
    for (int i = 0; i < width; i++) {
      if (values[i] != null) {
        cell.add(i, values[i]);
      }
    }
    return this;
  }

  /** Adds the other's rows to these; returns this. */
  public ExactTotals<K> merge(ExactTotals<K> other) {
    other.cells.forEach((key, cell) -> cells.computeIfAbsent(key, k -> new Cell(width)).merge(cell));
    return this;
  }

  /** Each key's totals. */
  public Map<K, Totals> totals() {
    Map<K, Totals> totals = new HashMap<>();
    cells.forEach((key, cell) -> totals.put(key, cell.totals()));
    return totals;
  }

  private static final class Cell implements Serializable {
    private static final long serialVersionUID = 1L;
    private long count;
    private final CorrectSum[] sums;
    private final boolean[] any;
    /** The values that are not finite, summed as doubles: infinite or NaN, as a double sum would be. */
    private final double[] notFinite;

    Cell(int width) {
      sums = new CorrectSum[width];
      for (int i = 0; i < width; i++) {
        sums[i] = new CorrectSum();
      }
      any = new boolean[width];
      notFinite = new double[width];
    }

    void add(int i, double value) {
      any[i] = true;
      if (Double.isFinite(value)) {
        sums[i].add(value);
      } else {
        notFinite[i] += value;
      }
    }

    Cell merge(Cell other) {
      count += other.count;
      for (int i = 0; i < sums.length; i++) {
        sums[i].add(other.sums[i]);
        any[i] |= other.any[i];
        notFinite[i] += other.notFinite[i];
      }
      return this;
    }

    Totals totals() {
      Double[] values = new Double[sums.length];
      for (int i = 0; i < sums.length; i++) {
        values[i] = any[i] ? sums[i].value() + notFinite[i] : null;
      }
      return new Totals(count, values);
    }
  }
}
