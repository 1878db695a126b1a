package dev.lifecycle.spark.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;

/** Grouped counts collected to the driver, put in one order whatever Spark's partitioning. */
public final class KeyOrder {
  private KeyOrder() {}

  /**
   * Grouped counts (a long key, then numeric keys, null first, then the count) in key order, so a
   * fit sums its likelihood in one order and comes out the same to the last bit on any
   * partitioning.
   */
  public static List<Row> sorted(List<Row> counts) {
    Comparator<Row> order = Comparator.comparingLong(r -> r.getLong(0));
    int keys = counts.isEmpty() ? 0 : counts.get(0).length() - 1;
    for (int i = 1; i < keys; i++) {
      int key = i;
      order = order.thenComparingDouble(r -> r.isNullAt(key) ? Double.NEGATIVE_INFINITY : ((Number) r.get(key)).doubleValue());
    }
    List<Row> sorted = new ArrayList<>(counts);
    sorted.sort(order);
    return sorted;
  }
}
