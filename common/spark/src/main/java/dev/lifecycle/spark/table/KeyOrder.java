package dev.lifecycle.spark.table;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Grouped counts collected to the driver, put in one order whatever Spark's partitioning. */
public final class KeyOrder {
  private KeyOrder() {}

  /**
   * The rows of {@code counts} (numeric columns: the grouping keys, then the counts or sums) as
   * columns of doubles, a null as NaN, in key order: by the first column, then the next, a null
   * before any number. A fit then sums its likelihood in one order and comes out the same to the
   * last bit on any partitioning. Grouped rows differ in their keys, so the order is total.
   *
   * <p>The rows come as {@link NumberColumns}, so the driver neither decodes rows nor sorts them
   * through boxed values: at 1M customers these are several hundred thousand rows. The columns
   * hold no NaN of their own (amounts are finite, and the BTYD summary is made from them).
   */
  public static double[][] sorted(Dataset<Row> counts) {
    double[][] all = NumberColumns.collect(counts);
    int width = all.length;
    int n = all[0].length;
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(
        order,
        (a, b) -> {
          for (double[] column : all) {
            int c = compare(column[a], column[b]);
            if (c != 0) {
              return c;
            }
          }
          return 0;
        });
    double[][] sorted = new double[width][n];
    for (int c = 0; c < width; c++) {
      for (int i = 0; i < n; i++) {
        sorted[c][i] = all[c][order[i]];
      }
    }
    return sorted;
  }

  /** Numbers in {@link Double#compare}'s order, NaN (a null) first. */
  private static int compare(double a, double b) {
    boolean aNull = Double.isNaN(a);
    boolean bNull = Double.isNaN(b);
    if (aNull || bNull) {
      return aNull == bNull ? 0 : aNull ? -1 : 1;
    }
    return Double.compare(a, b);
  }
}
