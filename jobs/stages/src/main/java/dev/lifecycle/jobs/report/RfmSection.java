package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.spark.table.Columns;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;

/** The recency, frequency and monetary distributions, and the RFM segment map (R x F score). */
record RfmSection(Optional<Tallies> features) implements ReportSection {
  /** What it counts of customer_features. */
  static final Tallies.Spec FEATURES =
      Tallies.Spec.none()
          .histogram("rfm-recency", col(Columns.RECENCY_DAYS), false)
          .histogram("rfm-frequency", col(Columns.FREQUENCY), true)
          .histogram("rfm-monetary", col(Columns.MONETARY_TOTAL), true)
          .grouping("rfm-segment-map", Columns.R_SCORE, Columns.F_SCORE, Columns.RFM_SEGMENT);

  @Override
  public void draw(ReportPage page) {
    page.section("RFM");
    if (features.isEmpty()) {
      page.notRun("features");
      return;
    }
    Tallies f = features.get();
    Histogram.draw(page, "rfm-recency", "Recency", f.histogram("rfm-recency"), "days since the last purchase");
    Histogram.draw(page, "rfm-frequency", "Frequency", f.histogram("rfm-frequency"), "orders (log scale bins)");
    Histogram.draw(page, "rfm-monetary", "Monetary", f.histogram("rfm-monetary"), "total spend (log scale bins)");
    segmentMap(page, f.grouping("rfm-segment-map"));
  }

  private static void segmentMap(ReportPage page, List<Row> cells) {
    double[][] customers = new double[5][5];
    String[][] names = new String[5][5];
    long[][] most = new long[5][5];
    for (double[] row : customers) {
      Arrays.fill(row, Double.NaN);
    }
    for (Row cell : cells) {
      int r = cell.<Integer>getAs(Columns.R_SCORE) - 1;
      int f = 5 - cell.<Integer>getAs(Columns.F_SCORE);
      long n = cell.getAs(Tallies.N);
      customers[f][r] = (Double.isNaN(customers[f][r]) ? 0 : customers[f][r]) + n;
      if (n > most[f][r]) {
        most[f][r] = n;
        names[f][r] = cell.getAs(Columns.RFM_SEGMENT) + " (" + n + ")";
      }
    }
    page.chart(
        "rfm-segment-map", "RFM segment map: customers by recency and frequency score",
        SvgMaps.heatmap(List.of("F 5", "F 4", "F 3", "F 2", "F 1"), List.of("R 1", "R 2", "R 3", "R 4", "R 5"), customers,
            names, "%,.0f", "recency score (5 = most recent)", "frequency score", 130),
        "Each cell is coloured by its customers and named by its most common segment (features.rfm-segments).");
  }
}
