package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import dev.lifecycle.spark.table.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Customer value from customer_scores: the CLV distribution, P(alive) by frequency and recency,
 * lifecycle stages and the patterns of lost customers, and the value quadrants with their
 * strategies.
 */
record ValueSection(Optional<Tallies> scores, Optional<Tallies> features, Optional<String> purchaseModel)
    implements ReportSection {
  private static final String N = Tallies.N;
  private static final String CLV = "clv-distribution";
  private static final String GROUPS = "value-groups";
  private static final String OLDEST = "p-alive-oldest";

  /** What it counts of customer_scores. */
  static final Tallies.Spec SCORES =
      Tallies.Spec.none()
          .histogram(CLV, col(Columns.CLV), true)
          .grouping(GROUPS, Columns.LIFECYCLE_STAGE, Columns.LIFECYCLE_PATTERN, Columns.VALUE_QUADRANT, Columns.STRATEGY);

  /** What it counts of customer_features: every customer's greatest age. */
  static final Tallies.Spec FEATURES = Tallies.Spec.none().scalar(OLDEST, max(Columns.BTYD_T));
  /** The P(alive) chart's columns of t_x, and its rows of x: 0 to this, and more. */
  private static final int PALIVE_BINS = 12;
  private static final int PALIVE_MOST = 10;

  @Override
  public void draw(ReportPage page) {
    page.section("Customer value");
    if (scores.isEmpty()) {
      page.notRun("score");
      return;
    }
    Tallies s = scores.get();
    Histogram.draw(page, CLV, "CLV", s.histogram(CLV), "CLV (log scale bins)");
    features.ifPresent(f -> pAlive(page, s.table(), f, purchaseModel.orElse("the purchase model in clv_models")));
    // One grouping for the stage, pattern and quadrant counts.
    List<Row> groups = s.grouping(GROUPS);
    counts(page, "lifecycle-stages", "Lifecycle stages", groups, Columns.LIFECYCLE_STAGE, false);
    counts(page, "lifecycle-patterns", "Lifecycle patterns of lost customers", groups, Columns.LIFECYCLE_PATTERN, true);
    quadrants(page, groups);
  }

  private static void quadrants(ReportPage page, List<Row> groups) {
    Map<String, long[]> byQuadrant = new TreeMap<>();
    Map<String, String> strategies = new TreeMap<>();
    for (Row g : groups) {
      String quadrant = g.getAs(Columns.VALUE_QUADRANT);
      if (quadrant != null) {
        byQuadrant.computeIfAbsent(quadrant, q -> new long[1])[0] += g.<Long>getAs(N);
        strategies.put(quadrant, g.getAs(Columns.STRATEGY));
      }
    }
    double[][] grid = {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
    String[][] text = new String[2][2];
    List<String> described = new ArrayList<>();
    byQuadrant.forEach(
        (name, n) -> {
          int row = name.endsWith("high_potential") ? 0 : 1;
          int colIndex = name.startsWith("high_current") ? 1 : 0;
          grid[row][colIndex] = n[0];
          text[row][colIndex] = String.format(Locale.ROOT, "%,d: %s", n[0], strategies.get(name));
          described.add(name.replace('_', ' ') + ": " + String.format(Locale.ROOT, "%,d", n[0]) + " customers, " + strategies.get(name));
        });
    page.chart(
        "value-quadrants", "Value quadrants: customers and strategy",
        SvgMaps.heatmap(List.of("high potential", "low potential"), List.of("low current value", "high current value"), grid, text,
            "%,.0f", "current value", "potential (CLV)", 300),
        String.join("; ", described));
  }

  /**
   * Mean P(alive) by repeat purchases (x) and the time of the last one (t_x), as Fader et al. plot
   * it, labelled with the model that gave it. Under BG/NBD the x = 0 row is 1 by construction,
   * which the caption says, since the lifecycle rules may call those customers lost.
   */
  private static void pAlive(ReportPage page, Dataset<Row> scores, Tallies features, String model) {
    Dataset<Row> joined =
        scores.select(Columns.CUSTOMER_ID, Columns.P_ALIVE)
            .join(features.table().select(Columns.CUSTOMER_ID, Columns.BTYD_X, Columns.BTYD_T_X, Columns.BTYD_T), Columns.CUSTOMER_ID)
            .where(col(Columns.P_ALIVE).isNotNull());
    // The columns span the ages T of the customers with a P(alive). Every customer's greatest age,
    // read without the join, is almost always theirs: the cells are counted with it, and again
    // only if the cells' own greatest age says otherwise.
    Double oldest = (Double) features.scalar(OLDEST);
    List<Row> cells = oldest == null ? List.of() : pAliveCells(joined, oldest);
    Optional<Double> range =
        cells.stream().map(cell -> cell.<Double>getAs("t_max")).filter(Objects::nonNull).max(Double::compare);
    if (range.isEmpty()) {
      page.note("P(alive): no customers.");
      return;
    }
    if (range.get().doubleValue() != oldest.doubleValue()) {
      cells = pAliveCells(joined, range.get());
    }
    double horizon = Math.max(range.get(), 1e-9);
    double[][] p = new double[PALIVE_MOST + 1][PALIVE_BINS];
    for (double[] row : p) {
      Arrays.fill(row, Double.NaN);
    }
    for (Row cell : cells) {
      p[PALIVE_MOST - (int) cell.<Long>getAs("x").longValue()][cell.<Integer>getAs("t")] = cell.getAs("p");
    }
    List<String> rows = new ArrayList<>();
    for (int x = PALIVE_MOST; x >= 0; x--) {
      rows.add(x == PALIVE_MOST ? PALIVE_MOST + "+" : Integer.toString(x));
    }
    List<String> columns = new ArrayList<>();
    for (int t = 0; t < PALIVE_BINS; t++) {
      columns.add(Svg.number(Math.rint(t * horizon / PALIVE_BINS * 10) / 10));
    }
    page.chart(
        "p-alive", "P(alive) by frequency and recency, " + model,
        SvgMaps.heatmap(rows, columns, p, null, "%.2f", "t_x: time of the last repeat purchase (from the first)", "x: repeat purchases", 0),
        "Mean P(alive) under " + model + " of the customers in each cell."
            + (model.equals("bg_nbd")
                ? " BG/NBD lets nobody drop out before a repeat purchase, so every customer with x = 0 has"
                    + " P(alive) 1, even one the lifecycle rules call lost for being quiet past"
                    + " retention.churn-after-days; clv.purchase-model = mbg-nbd does not."
                : ""));
  }

  /**
   * Mean P(alive) by x (capped) and t_x's column, the columns spanning the ages up to {@code
   * oldest}, with the greatest age of each cell's customers ({@code t_max}).
   */
  private static List<Row> pAliveCells(Dataset<Row> joined, double oldest) {
    double horizon = Math.max(oldest, 1e-9);
    return joined.groupBy(
            least(col(Columns.BTYD_X), lit(PALIVE_MOST)).as("x"),
            least(floor(col(Columns.BTYD_T_X).divide(horizon / PALIVE_BINS)), lit(PALIVE_BINS - 1)).cast("int").as("t"))
        .agg(avg(Columns.P_ALIVE).as("p"), max(Columns.BTYD_T).as("t_max"))
        .collectAsList();
  }

  /** Bars of customers by one column of the groups, largest first. */
  private static void counts(ReportPage page, String id, String title, List<Row> groups, String column, boolean lostOnly) {
    Map<String, Long> totals = new LinkedHashMap<>();
    for (Row g : groups) {
      if (!lostOnly || "lost".equals(g.getAs(Columns.LIFECYCLE_STAGE))) {
        String value = g.getAs(column);
        totals.merge(value == null ? "(none)" : value, g.<Long>getAs(N), Long::sum);
      }
    }
    if (totals.isEmpty()) {
      page.note(title + ": no customers.");
      return;
    }
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(totals.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    page.chart(
        id, title,
        Svg.bars(sorted.stream().map(Map.Entry::getKey).toList(), sorted.stream().mapToDouble(Map.Entry::getValue).toArray(), "%,.0f"),
        null);
  }
}
