package dev.lifecycle.spark.table;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Numeric rows collected to the driver as columns of doubles. Each partition packs its rows into
 * arrays where it runs, so the driver receives a few arrays instead of decoding a row object per
 * row: what {@code collectAsList} costs on hundreds of thousands of rows.
 */
public final class NumberColumns {
  private NumberColumns() {}

  /**
   * Every column of {@code rows} (all numeric) as doubles, a null as NaN, the rows in the order
   * {@code collectAsList} gives them: the partitions in order, each in its own. Longs are exact
   * below 2^53, as counts and days are.
   */
  public static double[][] collect(Dataset<Row> rows) {
    int width = rows.schema().size();
    List<double[][]> parts =
        rows.toJavaRDD()
            .mapPartitions(
                (Iterator<Row> partition) -> {
                  Packed packed = new Packed(width);
                  while (partition.hasNext()) {
                    packed.add(partition.next());
                  }
                  return Collections.singletonList(packed.trimmed()).iterator();
                })
            .collect();
    int n = parts.stream().mapToInt(part -> part[0].length).sum();
    double[][] all = new double[width][n];
    int at = 0;
    for (double[][] part : parts) {
      for (int c = 0; c < width; c++) {
        System.arraycopy(part[c], 0, all[c], at, part[c].length);
      }
      at += part[0].length;
    }
    return all;
  }

  /** One partition's rows as growing columns. */
  private static final class Packed {
    private final double[][] values;
    private int size;

    Packed(int width) {
      values = new double[width][16];
    }

    void add(Row row) {
      if (size == values[0].length) {
        for (int c = 0; c < values.length; c++) {
          values[c] = Arrays.copyOf(values[c], 2 * size);
        }
      }
      for (int c = 0; c < values.length; c++) {
        values[c][size] = row.isNullAt(c) ? Double.NaN : ((Number) row.get(c)).doubleValue();
      }
      size++;
    }

    double[][] trimmed() {
      double[][] trimmed = new double[values.length][];
      for (int c = 0; c < values.length; c++) {
        trimmed[c] = Arrays.copyOf(values[c], size);
      }
      return trimmed;
    }
  }
}
