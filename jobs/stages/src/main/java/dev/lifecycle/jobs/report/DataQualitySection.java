package dev.lifecycle.jobs.report;

import dev.lifecycle.spark.table.RunManifestTable.IngestCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rows in, clean, rejected and excluded, by reason, as the run that ingested counted them. */
record DataQualitySection(Optional<IngestCounts> counts) implements ReportSection {
  @Override
  public void draw(ReportPage page) {
    page.section("Data quality");
    if (counts.isEmpty()) {
      page.note("Not available: no run of this snapshot recorded ingest counts.");
      return;
    }
    IngestCounts c = counts.get();
    List<String> labels = new ArrayList<>(List.of("rows in", "clean", "rejected", "excluded"));
    List<Double> values =
        new ArrayList<>(List.of((double) c.rowsIn(), (double) c.clean(), (double) c.rejected(), (double) c.excluded()));
    c.rejectedByReason().forEach((reason, n) -> {
      labels.add("rejected " + reason.replace('_', ' '));
      values.add((double) n);
    });
    c.excludedByReason().forEach((reason, n) -> {
      labels.add("excluded " + reason.replace('_', ' '));
      values.add((double) n);
    });
    page.chart(
        "data-quality", "Rows in, clean, rejected and excluded, by reason",
        Svg.bars(labels, values.stream().mapToDouble(Double::doubleValue).toArray(), "%,.0f"),
        "Rejected rows are in transactions_rejected with their reason; input rows = clean + rejected + excluded.");
  }
}
