package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import dev.lifecycle.spark.table.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The cohort activity heatmap: the share of each acquisition cohort active, by period since
 * acquisition. The retention curves follow under the same heading ({@link RetentionSection}).
 */
record CohortsSection(Optional<Dataset<Row>> activity) implements ReportSection {
  @Override
  public void draw(ReportPage page) {
    page.section("Cohorts and retention");
    if (activity.isEmpty()) {
      page.notRun("retention");
      return;
    }
    // Per cohort segment and period; a segment has no row in a period where none of it was
    // active, so a cohort's customers are summed over its segments, not over a period's rows.
    List<Row> cells =
        activity.get().groupBy(Columns.COHORT, Columns.COHORT_SEGMENT, Columns.PERIOD)
            .agg(sum(Columns.CUSTOMERS_ACTIVE).as("active"), max(Columns.COHORT_CUSTOMERS).as("customers"))
            .collectAsList();
    Map<String, Map<String, Long>> customers = new TreeMap<>();
    Map<String, Map<Integer, Long>> active = new TreeMap<>();
    int periods = 0;
    for (Row cell : cells) {
      String cohort = cell.getAs(Columns.COHORT).toString();
      int period = cell.getAs(Columns.PERIOD);
      customers.computeIfAbsent(cohort, c -> new TreeMap<>())
          .merge(cell.getAs(Columns.COHORT_SEGMENT), cell.<Long>getAs("customers"), Math::max);
      active.computeIfAbsent(cohort, c -> new TreeMap<>()).merge(period, cell.<Long>getAs("active"), Long::sum);
      periods = Math.max(periods, period + 1);
    }
    List<String> rows = new ArrayList<>(customers.keySet());
    double[][] share = new double[rows.size()][periods];
    for (int r = 0; r < rows.size(); r++) {
      Arrays.fill(share[r], Double.NaN);
      long total = customers.get(rows.get(r)).values().stream().mapToLong(Long::longValue).sum();
      for (Map.Entry<Integer, Long> period : active.get(rows.get(r)).entrySet()) {
        share[r][period.getKey()] = total > 0 ? (double) period.getValue() / total : 0;
      }
    }
    List<String> columns = new ArrayList<>();
    for (int p = 0; p < periods; p++) {
      columns.add(Integer.toString(p));
    }
    page.chart(
        "cohort-activity", "Cohort activity: share of each cohort active, by period since acquisition",
        SvgMaps.heatmap(rows, columns, share, null, "%.2f", "periods since acquisition", "cohort", 0), null);
  }
}
