package dev.lifecycle.jobs.report;

import dev.lifecycle.spark.table.TuningRunsTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;

/** The runs of a tuning sweep: a table of every column of tuning_runs, and a chart per measure. */
record TuningSection(List<Row> runs) implements ReportSection {
  /** The measures charted, by column, with their titles. */
  private static final String[][] MEASURES = {
    {"kmeans_silhouette", "k-means silhouette at the chosen k (mean over seeds)"},
    {"som_silhouette", "SOM prototypes' silhouette at the chosen k"},
    {"som_quantization_error", "SOM quantization error (lower is tighter)"},
    {"som_topographic_error", "SOM topographic error (lower is more faithful)"},
    {"kmeans_stability", "k-means stability across seeds (adjusted Rand index)"},
    {"som_stability", "SOM segments' stability across seeds (adjusted Rand index)"},
    {"seconds", "Seconds for all seeds of the run"}
  };

  @Override
  public void draw(ReportPage page) {
    page.section("Tuning runs");
    List<String> columns = TuningRunsTable.SPEC.columns();
    List<List<String>> cells = new ArrayList<>();
    for (Row run : runs) {
      List<String> row = new ArrayList<>();
      for (String column : columns) {
        Object v = run.getAs(column);
        row.add(v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v.toString());
      }
      cells.add(row);
    }
    page.table("tuning-runs", columns, cells);
    // "2: k 4..10, 12x12, rec+fre+mon": the run, and its features by their first letters.
    List<String> labels =
        runs.stream()
            .map(
                r ->
                    r.<Integer>getAs("run") + ": k " + r.getAs("k") + ", " + r.getAs("som_grid_used") + ", "
                        + Arrays.stream(r.<String>getAs("features").split(","))
                            .map(f -> f.trim().substring(0, Math.min(3, f.trim().length())))
                            .collect(Collectors.joining("+")))
            .toList();
    for (String[] measure : MEASURES) {
      String column = measure[0];
      List<Integer> known = IntStream.range(0, runs.size()).filter(i -> runs.get(i).getAs(column) != null).boxed().toList();
      if (known.isEmpty()) {
        page.note(measure[1] + ": not available (k fixed, or a single seed).");
        continue;
      }
      page.chart(
          "tuning-" + column.replace('_', '-'), measure[1],
          Svg.bars(known.stream().map(labels::get).toList(), known.stream().mapToDouble(i -> runs.get(i).<Double>getAs(column)).toArray(), "%.4f"),
          known.size() < runs.size() ? "Runs with k fixed (or one seed) have none and are left out." : null);
    }
  }
}
