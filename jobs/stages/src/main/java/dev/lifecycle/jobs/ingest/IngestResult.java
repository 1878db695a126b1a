package dev.lifecycle.jobs.ingest;

import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.RunManifestTable.IngestCounts;
import dev.lifecycle.spark.table.Table;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of ingest: the snapshots it summarised customers at (oldest first; it validated
 * against the last), the counts that reconcile exactly (rows in = clean + rejected + excluded),
 * the customers it summarised at each snapshot, the rejects it wrote, and the output of its
 * single pass (with summaries at each snapshot's propensity cut, if asked for), cached for the
 * features, retention and propensity stages until closed. As an {@link IngestOutput} it is the
 * last snapshot's; {@link #at} gives any one's.
 */
public record IngestResult(
    List<IngestOutput> snapshots,
    IngestCounts counts,
    Map<LocalDate, Long> customers,
    Table.Written rejects,
    Dataset<Row> pass)
    implements IngestOutput, StageResult {

  /** The customers with a purchase by {@code snapshot}: those the pass summarised there. */
  public long customersAt(LocalDate snapshot) {
    return customers.getOrDefault(snapshot, 0L);
  }

  /** What the pass made for one of its snapshots. */
  public IngestOutput at(LocalDate snapshot) {
    return snapshots.stream()
        .filter(output -> output.asOf().equals(snapshot))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("Cannot find snapshot " + snapshot + " among ingest's " + dates()));
  }

  /** The snapshots' dates, oldest first. */
  public List<LocalDate> dates() {
    return snapshots.stream().map(IngestOutput::asOf).toList();
  }

  private IngestOutput last() {
    return snapshots.get(snapshots.size() - 1);
  }

  @Override
  public LocalDate asOf() {
    return last().asOf();
  }

  @Override
  public Optional<LocalDate> cut() {
    return last().cut();
  }

  @Override
  public long rows() {
    return counts.rowsIn();
  }

  @Override
  public String unit() {
    return "rows in";
  }

  @Override
  public List<Table.Written> tables() {
    return List.of(rejects);
  }

  @Override
  public Dataset<Row> customerSummaries() {
    return last().customerSummaries();
  }

  @Override
  public Dataset<Row> cutSummaries() {
    return last().cutSummaries();
  }

  @Override
  public Dataset<Row> cohortLifetimes() {
    return last().cohortLifetimes();
  }

  @Override
  public Dataset<Row> cohortActivity() {
    return last().cohortActivity();
  }

  @Override
  public Dataset<Row> repeatPurchases() {
    return last().repeatPurchases();
  }

  @Override
  public void close() {
    pass.unpersist();
  }
}
