package dev.lifecycle.jobs.report;

import dev.lifecycle.core.config.SegmentConfig;
import dev.lifecycle.core.som.SomGrid;
import dev.lifecycle.spark.table.SomCodebookTable.Node;
import java.util.List;
import java.util.Optional;

/**
 * The SOM's maps: U-matrix, hits and one component plane per feature, laid out and labelled by
 * the topology and features that som_codebook records (by this run's config for a snapshot
 * written before the table recorded them).
 */
record SomSection(Optional<List<Node>> codebook, SegmentConfig config) implements ReportSection {
  @Override
  public void draw(ReportPage page) {
    page.section("Self-organizing map");
    if (codebook.isEmpty()) {
      page.notRun("segment");
      return;
    }
    List<Node> nodes = codebook.get();
    int rows = nodes.stream().mapToInt(Node::row).max().orElse(0) + 1;
    int cols = nodes.stream().mapToInt(Node::col).max().orElse(0) + 1;
    Node first = nodes.isEmpty() ? null : nodes.get(0);
    boolean hexagonal =
        first != null && first.topology() != null
            ? first.topology().equals("hexagonal")
            : config.topology() == SomGrid.Topology.HEXAGONAL;
    List<String> names =
        first != null && first.features() != null
            ? first.features()
            : config.features().stream().map(SegmentConfig.Feature::label).toList();
    int size = Math.max(14, Math.min(36, 360 / Math.max(cols, 1)));
    double[] heights = nodes.stream().mapToDouble(Node::uHeight).toArray();
    double[] hits = nodes.stream().mapToDouble(Node::hits).toArray();
    page.chart(
        "som-umatrix", "U-matrix: mean distance of each node to its neighbours",
        SvgMaps.somGrid(rows, cols, hexagonal, heights, "%.3f", size), "Dark ridges separate groups of similar customers.");
    page.chart("som-hits", "Hit map: customers per node", SvgMaps.somGrid(rows, cols, hexagonal, hits, "%,.0f", size), null);
    int dim = nodes.isEmpty() ? 0 : nodes.get(0).weights().length;
    for (int f = 0; f < dim; f++) {
      int feature = f;
      double[] plane = nodes.stream().mapToDouble(n -> n.weights()[feature]).toArray();
      String name = dim == names.size() ? names.get(f) : "feature " + (f + 1);
      page.chart(
          "som-plane-" + (f + 1), "Component plane: " + name + " (standardized)",
          SvgMaps.somGrid(rows, cols, hexagonal, plane, "%.2f", size), null);
    }
  }
}
