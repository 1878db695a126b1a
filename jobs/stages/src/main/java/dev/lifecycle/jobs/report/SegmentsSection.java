package dev.lifecycle.jobs.report;

import dev.lifecycle.spark.table.SegmentMetrics;
import dev.lifecycle.spark.table.SegmentProfilesTable;
import dev.lifecycle.spark.table.SegmentProfilesTable.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The segment profiles of both methods (a table, and each segment's share of revenue), and the
 * silhouette by k with which the newest segmenting run chose k.
 */
record SegmentsSection(Optional<List<Profile>> profiles, Optional<SegmentMetrics> metrics) implements ReportSection {
  private static final List<String> METHODS = List.of(SegmentProfilesTable.KMEANS, SegmentProfilesTable.SOM);

  @Override
  public void draw(ReportPage page) {
    page.section("Segments");
    Optional<String> skipped = metrics.map(SegmentMetrics::skipped);
    if (skipped.isPresent()) {
      page.note("Segmentation skipped: " + skipped.get() + ".");
      return;
    }
    if (profiles.isEmpty()) {
      page.notRun("segment");
      return;
    }
    List<Profile> rows = profiles.get();
    page.table(
        "segment-profiles",
        List.of("method", "segment", "customers", "revenue share", "mean R", "median R", "mean F", "median F", "mean M", "median M", "label"),
        rows.stream()
            .map(
                p ->
                    List.of(
                        p.method(), Integer.toString(p.segment()), String.format(Locale.ROOT, "%,d", p.customers()),
                        String.format(Locale.ROOT, "%.1f%%", 100 * p.revenueShare()), Svg.number(p.meanRecencyDays()),
                        Svg.number(p.medianRecencyDays()), Svg.number(p.meanFrequency()), Svg.number(p.medianFrequency()),
                        Svg.number(p.meanMonetary()), Svg.number(p.medianMonetary()), p.label()))
            .toList());
    for (String method : METHODS) {
      List<Profile> ofMethod = rows.stream().filter(p -> p.method().equals(method)).toList();
      page.chart(
          "profiles-" + method, name(method) + " segments: share of revenue (%)",
          Svg.bars(
              ofMethod.stream().map(p -> p.segment() + ": " + p.label()).toList(),
              ofMethod.stream().mapToDouble(p -> 100 * p.revenueShare()).toArray(), "%.1f"),
          null);
    }
    silhouette(page);
  }

  private void silhouette(ReportPage page) {
    List<Svg.Series> curves = new ArrayList<>();
    metrics.filter(m -> m.kmeans() != null).ifPresent(m -> {
      add(curves, "k-means", m.kmeans().silhouette());
      add(curves, "SOM prototypes", m.som().silhouette());
    });
    if (curves.isEmpty()) {
      page.note("Silhouette curve: not available (k was fixed, or a saved model was applied).");
    } else {
      StringBuilder caption = new StringBuilder("The k with the highest silhouette is chosen (segment.k).");
      metrics.filter(m -> m.kmeans() != null).ifPresent(m -> {
        if (m.kmeans().atRangeEnd()) {
          caption.append(rangeEnd("k-means", m.kmeans().k(), m.kmeans().silhouette()));
        }
        if (m.som().atRangeEnd()) {
          caption.append(rangeEnd("The SOM's second level", m.som().k(), m.som().silhouette()));
        }
      });
      page.chart("silhouette", "Silhouette by k", Svg.lines(curves, "k", "silhouette", 1, 640, 260), caption.toString());
    }
  }

  private static String rangeEnd(String method, int k, SortedMap<Integer, Double> curve) {
    return " " + method + " chose k = " + k + ", an end of the range tried (" + curve.firstKey() + ".." + curve.lastKey()
        + "): the best k may lie beyond it; widen segment.k to see.";
  }

  private static void add(List<Svg.Series> curves, String name, SortedMap<Integer, Double> curve) {
    if (curve != null) {
      double[] k = curve.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
      double[] score = curve.values().stream().mapToDouble(Double::doubleValue).toArray();
      curves.add(new Svg.Series(name, k, score, Svg.PALETTE[curves.size()], false, 2));
    }
  }

  private static String name(String method) {
    return method.equals(SegmentProfilesTable.SOM) ? "SOM" : "k-means";
  }
}
