package dev.lifecycle.jobs.ingest;

import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of ingest: the snapshot it validated against, the counts that reconcile exactly
 * (rows in = clean + rejected + excluded), and the output of its single pass, cached for the
 * features stage until closed.
 */
public record IngestResult(
    LocalDate asOf,
    long rowsIn,
    long clean,
    Map<String, Long> rejectedByReason,
    Map<String, Long> excludedByReason,
    Dataset<Row> pass)
    implements AutoCloseable {

  public long rejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public long excluded() {
    return excludedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * One row per customer with a purchase: customer_id, first_purchase, last_purchase, frequency,
   * monetary_total, purchase_days.
   */
  public Dataset<Row> customerSummaries() {
    return Transactions.summaries(pass);
  }

  /** Customers by cohort and lifetime; empty unless ingest ran with cohorts. */
  public Dataset<Row> cohortLifetimes() {
    return Transactions.cohortLifetimes(pass);
  }

  /** Active customers and revenue by cohort and period; empty unless ingest ran with cohorts. */
  public Dataset<Row> cohortActivity() {
    return Transactions.cohortActivity(pass);
  }

  @Override
  public void close() {
    pass.unpersist();
  }
}
