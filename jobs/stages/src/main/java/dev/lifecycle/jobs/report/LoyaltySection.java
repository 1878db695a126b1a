package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.LoyaltyWeightsTable;
import dev.lifecycle.spark.table.ValueClassAgreementTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * The AHP loyalty index and the value classes: the indicators' weights with the judgments'
 * consistency, the distribution of the index, and the value-class cube (current value × potential
 * value × loyalty) as its three faces; with a value-class perceptron, its agreement with the rule.
 */
record LoyaltySection(Optional<List<Row>> weights, Optional<Tallies> scores, Optional<List<Row>> agreement)
    implements ReportSection {
  private static final String LOYALTY = "loyalty-distribution";
  private static final String CLASSES = "value-class-cube";

  /** What it counts of customer_scores. */
  static final Tallies.Spec SCORES =
      Tallies.Spec.none().histogram(LOYALTY, col(Columns.LOYALTY_INDEX), false).grouping(CLASSES, Columns.VALUE_CLASS);

  private static final String[] CELL_NAMES = {
    "core", "at_risk_of_defection", "loyal_mature", "harvest", "rising", "uncommitted_potential", "loyal_low_value",
    "marginal"
  };

  @Override
  public void draw(ReportPage page) {
    page.section("Loyalty and value classes");
    if (weights.isEmpty() || scores.isEmpty()) {
      page.notRun("score");
      return;
    }
    // Heaviest first: the table's rows come in no set order.
    List<Row> w =
        weights.get().stream()
            .sorted(
                Comparator.comparing((Row r) -> -r.<Double>getAs(LoyaltyWeightsTable.WEIGHT))
                    .thenComparing(r -> r.<String>getAs(LoyaltyWeightsTable.CRITERION)))
            .toList();
    List<String> labels = new ArrayList<>();
    double[] values = new double[w.size()];
    for (int i = 0; i < w.size(); i++) {
      Row r = w.get(i);
      labels.add(r.getAs(LoyaltyWeightsTable.CRITERION) + " (" + r.getAs(LoyaltyWeightsTable.DIRECTION) + ")");
      values[i] = r.getAs(LoyaltyWeightsTable.WEIGHT);
    }
    Row any = w.get(0);
    page.chart(
        "loyalty-weights", "AHP weights of the loyalty indicators", Svg.bars(labels, values, "%.3f"),
        String.format(
            Locale.ROOT,
            "Principal eigenvector of the pairwise comparisons (loyalty.comparisons): λmax %.3f, consistency index %.3f,"
                + " consistency ratio %.3f (accepted below 0.1). + means a higher value is more loyal.",
            any.<Double>getAs(LoyaltyWeightsTable.LAMBDA_MAX), any.<Double>getAs(LoyaltyWeightsTable.CONSISTENCY_INDEX),
            any.<Double>getAs(LoyaltyWeightsTable.CONSISTENCY_RATIO)));
    Tallies s = scores.get();
    Histogram.draw(page, LOYALTY, "Loyalty index", s.histogram(LOYALTY), "loyalty index (0–100)");
    cube(page, s.grouping(CLASSES));
    agreement.filter(rows -> !rows.isEmpty()).ifPresent(rows -> agreement(page, rows));
  }

  /** The perceptron's classes against the rule's: the confusion matrix, with the accuracy. */
  private static void agreement(ReportPage page, List<Row> rows) {
    List<String> cells = List.of(CELL_NAMES);
    double[][] counts = new double[cells.size()][cells.size()];
    for (Row r : rows) {
      counts[cells.indexOf(r.<String>getAs(ValueClassAgreementTable.RULE_CLASS))]
          [cells.indexOf(r.<String>getAs(ValueClassAgreementTable.PERCEPTRON_CLASS))] += r.<Long>getAs(Columns.CUSTOMERS);
    }
    Row any = rows.get(0);
    page.chart(
        "value-class-agreement", "Value classes: the rule against the perceptron",
        SvgMaps.heatmap(cells, cells, counts, null, "%,.0f", "perceptron's class", "rule's class", 0),
        String.format(
            Locale.ROOT,
            "A multilayer perceptron learnt the classes of the snapshot %s from current value, CLV and loyalty, and"
                + " classified this snapshot's customers: %.1f%% agree with the rule. Off the diagonal, the class"
                + " boundaries have moved since then.",
            any.getAs(ValueClassAgreementTable.REFERENCE_SNAPSHOT), 100 * any.<Double>getAs(ValueClassAgreementTable.ACCURACY)));
  }

  /** The value classes' counts on the cube's three faces, each summed over the third axis. */
  private static void cube(ReportPage page, List<Row> classes) {
    Map<String, Long> byClass = new HashMap<>();
    for (Row r : classes) {
      if (!r.isNullAt(0)) {
        byClass.put(r.getString(0), r.getAs(Tallies.N));
      }
    }
    if (byClass.isEmpty()) {
      page.note("Value classes: none (no CLV for this snapshot).");
      return;
    }
    // The cells in CELL_NAMES order are (current, potential, loyalty) = HHH, HHL, HLH, HLL, LHH, LHL, LLH, LLL
    long[][][] cube = new long[2][2][2];
    List<String> described = new ArrayList<>();
    for (int i = 0; i < CELL_NAMES.length; i++) {
      long n = byClass.getOrDefault(CELL_NAMES[i], 0L);
      cube[i / 4][(i / 2) % 2][i % 2] = n;
      described.add(String.format(Locale.ROOT, "%s %,d", CELL_NAMES[i], n));
    }
    List<String> highLow = List.of("high", "low");
    StringBuilder panels = new StringBuilder("<div>");
    String[][] names = {{"current value", "potential (CLV)"}, {"current value", "loyalty"}, {"potential (CLV)", "loyalty"}};
    for (int face = 0; face < 3; face++) {
      double[][] grid = new double[2][2];
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          for (int c = 0; c < 2; c++) {
            int[] idx = {a, b, c};
            int row = face == 2 ? idx[1] : idx[0];
            int column = face == 0 ? idx[1] : idx[2];
            grid[row][column] += cube[a][b][c];
          }
        }
      }
      String rows = names[face][0];
      String columns = names[face][1];
      panels.append(
          SvgMaps.heatmap(
              highLow.stream().map(v -> v + " " + rows).toList(), highLow.stream().map(v -> v + " " + columns).toList(),
              grid, null, "%,.0f", columns, rows, 90));
    }
    panels.append("</div>");
    page.chart(
        "value-class-cube", "Value classes: current value × potential value × loyalty", panels.toString(),
        "Customers on each face of the cube, summed over the third axis. The eight classes: " + String.join(", ", described) + ".");
  }
}
