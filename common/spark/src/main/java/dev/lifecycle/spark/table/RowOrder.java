package dev.lifecycle.spark.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A small table's rows sorted on the driver once collected, in the order Spark's {@code orderBy}
 * gives them: ascending, nulls first, text by its UTF-8 bytes, -0.0 as 0.0 and NaN last. A sort in
 * Spark is three jobs (a sample for its ranges, the shuffle, the result), more than the few
 * thousand rows of a model or profile table are worth.
 */
public final class RowOrder {
  private RowOrder() {}

  /** The rows of {@code rows}, sorted by {@code columns}; rows alike in them keep the order they came in. */
  public static List<Row> sorted(Dataset<Row> rows, String... columns) {
    List<Row> collected = new ArrayList<>(rows.collectAsList());
    collected.sort(by(columns));
    return collected;
  }

  /** Rows by {@code columns}, as {@link #sorted} orders them. */
  public static Comparator<Row> by(String... columns) {
    Comparator<Row> order = (a, b) -> 0;
    for (String column : columns) {
      order = order.thenComparing((a, b) -> compare(a.get(a.fieldIndex(column)), b.get(b.fieldIndex(column))));
    }
    return order;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof String x && b instanceof String y) {
      return UTF8String.fromString(x).compareTo(UTF8String.fromString(y));
    }
    if (a instanceof Double x && b instanceof Double y) {
      return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);
    }
    return ((Comparable) a).compareTo(b);
  }
}
