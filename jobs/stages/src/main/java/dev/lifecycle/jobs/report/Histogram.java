package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A histogram of a numeric column, in 20 linear bins or in quarter-decade bins of log10(1 + x). */
final class Histogram {
  private Histogram() {}

  static void draw(ReportPage page, String id, String title, Dataset<Row> table, Column value, boolean log, String axis) {
    Dataset<Row> values = table.select(value.cast("double").as("v")).where(col("v").isNotNull());
    double min = 0;
    double max = 0;
    if (!log) {
      Row range = values.agg(min("v"), max("v")).first();
      if (range.isNullAt(0)) {
        page.note(title + ": no values.");
        return;
      }
      min = range.getDouble(0);
      max = range.getDouble(1);
    }
    Column bin =
        log
            ? floor(log10(when(col("v").gt(0), col("v")).otherwise(0).plus(1)).multiply(4))
            : least(floor(col("v").minus(min).divide(Math.max((max - min) / 20, 1e-12))), lit(19));
    TreeMap<Long, Long> counts = new TreeMap<>();
    for (Row row : values.groupBy(bin.cast("long").as("bin")).agg(count(lit(1))).collectAsList()) {
      counts.put(row.getLong(0), row.getLong(1));
    }
    if (counts.isEmpty()) {
      page.note(title + ": no values.");
      return;
    }
    long first = log ? counts.firstKey() : 0;
    long last = log ? counts.lastKey() : 19;
    List<String> labels = new ArrayList<>();
    double[] heights = new double[(int) (last - first + 1)];
    for (long b = first; b <= last; b++) {
      heights[(int) (b - first)] = counts.getOrDefault(b, 0L);
      double from = log ? Math.pow(10, b / 4.0) - 1 : min + b * (max - min) / 20;
      labels.add(Svg.number(Math.rint(from)));
    }
    page.chart(id, title + " distribution", Svg.columns(labels, heights, axis, "customers"), null);
  }
}
