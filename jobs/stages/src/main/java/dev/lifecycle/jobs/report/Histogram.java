package dev.lifecycle.jobs.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A histogram of a numeric column, in 20 linear bins or in quarter-decade bins of log10(1 + x),
 * drawn from its {@link Tallies}.
 */
final class Histogram {
  private Histogram() {}

  static void draw(ReportPage page, String id, String title, Tallies.Bins bins, String axis) {
    if (bins.isEmpty()) {
      page.note(title + ": no values.");
      return;
    }
    boolean log = bins.log();
    double min = bins.min();
    double max = bins.max();
    long first = log ? bins.counts().firstKey() : 0;
    long last = log ? bins.counts().lastKey() : Tallies.LINEAR_BINS - 1;
    List<String> labels = new ArrayList<>();
    double[] heights = new double[(int) (last - first + 1)];
    for (long b = first; b <= last; b++) {
      heights[(int) (b - first)] = bins.counts().getOrDefault(b, 0L);
      double from = log ? Math.pow(10, b / 4.0) - 1 : min + b * (max - min) / Tallies.LINEAR_BINS;
      labels.add(Svg.number(Math.rint(from)));
    }
    page.chart(id, title + " distribution", Svg.columns(labels, heights, axis, "customers"), null);
  }
}
