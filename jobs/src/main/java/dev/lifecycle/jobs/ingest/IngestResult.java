package dev.lifecycle.jobs.ingest;

import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of ingest: the snapshot it validated against, the counts that reconcile exactly
 * (rows in = clean + rejected + excluded), and the flagged rows, cached for the features stage
 * until closed.
 */
public record IngestResult(
    LocalDate asOf,
    long rowsIn,
    long clean,
    Map<String, Long> rejectedByReason,
    Map<String, Long> excludedByReason,
    Dataset<Row> flagged)
    implements AutoCloseable {

  public long rejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public long excluded() {
    return excludedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public Dataset<Row> cleanRows() {
    return Transactions.clean(flagged);
  }

  @Override
  public void close() {
    flagged.unpersist();
  }
}
