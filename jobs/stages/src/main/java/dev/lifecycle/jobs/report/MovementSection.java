package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerMigrationTable;
import dev.lifecycle.spark.table.CustomerMigrationTable.Status;
import dev.lifecycle.spark.table.MigrationMatrixTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How customers moved: the last pair of snapshots' migration heatmaps, one per dimension
 * (migration_matrix), the statuses, spend and mean CLV of every stored pair (customer_migration,
 * by snapshot), and how many customers each action of {@code strategy.rules} was given
 * (customer_scores). Without a previous snapshot there is no movement, and it says so.
 */
record MovementSection(
    Optional<List<Row>> matrix, Optional<Dataset<Row>> migrations, Optional<Tallies> scores) implements ReportSection {
  private static final String ACTIONS = "movement-actions";

  /** What it counts of customer_scores: the customers of each action and their CLV. */
  static final Tallies.Spec SCORES = Tallies.Spec.none().grouping(ACTIONS, Columns.ACTION).sum(Columns.CLV, sum(Columns.CLV));

  /** The trend's snapshots at most: two years of month ends. */
  static final int TREND_SNAPSHOTS = 24;

  @Override
  public void draw(ReportPage page) {
    page.section("Movement");
    if (matrix.isEmpty() || matrix.get().isEmpty()) {
      page.text(
          "No movement to show: customer_migration has no pair of snapshots ending at this one (the first snapshot of"
              + " a warehouse has nothing before it; run many snapshots with --as-of A..B --every month).");
    } else {
      Row first = matrix.get().get(0);
      String pair = first.getAs(CustomerMigrationTable.FROM_SNAPSHOT).toString();
      for (String dimension : CustomerMigrationTable.DIMENSIONS) {
        heatmap(page, dimension, pair);
      }
      migrations.ifPresent(rows -> trends(page, rows));
    }
    scores.ifPresent(tallies -> actions(page, tallies.grouping(ACTIONS)));
  }

  private void heatmap(ReportPage page, String dimension, String from) {
    List<Row> cells =
        matrix.get().stream().filter(r -> r.<String>getAs(MigrationMatrixTable.DIMENSION).equals(dimension)).toList();
    if (cells.stream().allMatch(r -> r.isNullAt(r.fieldIndex(MigrationMatrixTable.TO_VALUE)))) {
      return; // not computed for these snapshots (segmentation did not run)
    }
    TreeSet<String> fromValues = new TreeSet<>(MovementSection::byValue);
    TreeSet<String> toValues = new TreeSet<>(MovementSection::byValue);
    for (Row cell : cells) {
      fromValues.add(String.valueOf(cell.<String>getAs(MigrationMatrixTable.FROM_VALUE)));
      toValues.add(String.valueOf(cell.<String>getAs(MigrationMatrixTable.TO_VALUE)));
    }
    List<String> rows = new ArrayList<>(fromValues);
    List<String> columns = new ArrayList<>(toValues);
    double[][] customers = new double[rows.size()][columns.size()];
    for (double[] row : customers) {
      java.util.Arrays.fill(row, Double.NaN);
    }
    for (Row cell : cells) {
      customers[rows.indexOf(String.valueOf(cell.<String>getAs(MigrationMatrixTable.FROM_VALUE)))][
              columns.indexOf(String.valueOf(cell.<String>getAs(MigrationMatrixTable.TO_VALUE)))] =
          cell.<Long>getAs(Columns.CUSTOMERS);
    }
    page.chart(
        "movement-" + dimension, "Customers by " + dimension.replace('_', ' ') + ", " + from + " → this snapshot",
        SvgMaps.heatmap(rows, columns, customers, null, "%,.0f", "at this snapshot", "at " + from, 0),
        "Each cell counts the customers who were in its row at the previous snapshot and are in its column now; "
            + MigrationMatrixTable.NEW + " are customers acquired since.");
  }

  /** Numbers in numeric order (segments), {@code (new)} first, the rest alphabetically. */
  private static int byValue(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.equals(MigrationMatrixTable.NEW) || b.equals(MigrationMatrixTable.NEW)) {
      return a.equals(MigrationMatrixTable.NEW) ? -1 : 1;
    }
    if (a.matches("\\d+") && b.matches("\\d+")) {
      return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    }
    return a.compareTo(b);
  }

  /** Customers by status, spend and mean CLV at each stored snapshot with a previous one. */
  private static void trends(ReportPage page, Dataset<Row> migrations) {
    List<Row> rows =
        migrations
            .groupBy(col(Columns.SNAPSHOT_DATE), col(CustomerMigrationTable.STATUS))
            .agg(
                count(lit(1)).as(Columns.CUSTOMERS), sum(CustomerMigrationTable.REVENUE_TO).as(Columns.REVENUE),
                sum(CustomerMigrationTable.CLV_TO).as(Columns.CLV))
            .collectAsList();
    Map<LocalDate, Map<String, Row>> bySnapshot = new TreeMap<>();
    for (Row row : rows) {
      bySnapshot
          .computeIfAbsent(row.getDate(0).toLocalDate(), day -> new LinkedHashMap<>())
          .put(row.getString(1), row);
    }
    List<LocalDate> snapshots = new ArrayList<>(bySnapshot.keySet());
    Map<Status, double[]> counts = new LinkedHashMap<>();
    for (Status status : Status.values()) {
      counts.put(status, new double[snapshots.size()]);
    }
    double[] active = new double[snapshots.size()];
    double[] x = new double[snapshots.size()];
    List<List<String>> table = new ArrayList<>();
    for (int i = 0; i < snapshots.size(); i++) {
      x[i] = i + 1;
      Map<String, Row> byStatus = bySnapshot.get(snapshots.get(i));
      double revenue = 0;
      double clv = 0;
      long customers = 0;
      for (Status status : Status.values()) {
        Row row = byStatus.get(status.label());
        long n = row == null ? 0 : row.getLong(2);
        counts.get(status)[i] = n;
        customers += n;
        revenue += row == null || row.isNullAt(3) ? 0 : row.getDouble(3);
        clv += row == null || row.isNullAt(4) ? 0 : row.getDouble(4);
        if (status == Status.NEW || status == Status.REPEATING || status == Status.REACTIVATED) {
          active[i] += n;
        }
      }
      List<String> cells = new ArrayList<>(List.of(snapshots.get(i).toString(), format("%,.0f", active[i])));
      for (Status status : Status.values()) {
        cells.add(format("%,.0f", counts.get(status)[i]));
      }
      cells.add(format("%,.0f", revenue));
      cells.add(format("%,.2f", customers == 0 ? Double.NaN : clv / customers));
      table.add(cells);
    }
    List<Svg.Series> series = new ArrayList<>();
    series.add(new Svg.Series("active", x, active, Svg.PALETTE[0], false, 2.5));
    int color = 1;
    for (Status status : List.of(Status.NEW, Status.REACTIVATED, Status.LAPSED)) {
      series.add(new Svg.Series(status.label(), x, counts.get(status), Svg.PALETTE[color++ % Svg.PALETTE.length], false, 1.5));
    }
    double max = java.util.Arrays.stream(active).max().orElse(1);
    page.chart(
        "movement-trend", "Customers over the stored snapshots",
        Svg.lines(series, "snapshot (1 = " + snapshots.get(0) + ")", "customers", Math.max(1, max * 1.1), 560, 280),
        "Active: bought in the snapshot's period (new, repeating or reactivated customers); lapsed: active at the"
            + " snapshot before, not at this one.");
    List<String> headers = new ArrayList<>(List.of("snapshot", "active"));
    for (Status status : Status.values()) {
      headers.add(status.label());
    }
    headers.add("revenue in the period");
    headers.add("mean CLV");
    page.table("movement-trend", headers, table);
  }

  /** The customers of each action, and their CLV. */
  private static void actions(ReportPage page, List<Row> groups) {
    // Most customers first, then by action, no action first
    List<Row> rows =
        groups.stream()
            .sorted(
                Comparator.comparing((Row r) -> -r.<Long>getAs(Tallies.N))
                    .thenComparing(r -> r.<String>getAs(Columns.ACTION), Comparator.nullsFirst(Comparator.naturalOrder())))
            .toList();
    long all = rows.stream().mapToLong(r -> r.<Long>getAs(Tallies.N)).sum();
    List<String> labels = new ArrayList<>();
    double[] customers = new double[rows.size()];
    List<List<String>> table = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      String action = String.valueOf(row.<String>getAs(Columns.ACTION));
      labels.add(action);
      long n = row.getAs(Tallies.N);
      customers[i] = n;
      Double clv = row.getAs(Columns.CLV);
      table.add(
          List.of(
              action, format("%,.0f", customers[i]), format("%.1f%%", 100.0 * n / Math.max(all, 1)),
              clv == null ? "" : format("%,.0f", clv)));
    }
    page.chart(
        "movement-actions", "Customers by action (strategy.rules)", Svg.bars(labels, customers, "%,.0f"),
        "Each customer's action comes from the first rule of strategy.rules that matches their lifecycle stage, value"
            + " quadrant, P(alive) band and migration status; customer_scores.action_reason names it.");
    page.table("movement-actions", List.of("action", "customers", "share", "CLV"), table);
  }

  private static String format(String pattern, double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, pattern, value);
  }
}
