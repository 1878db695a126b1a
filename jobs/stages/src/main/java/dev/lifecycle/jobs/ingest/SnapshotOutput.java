package dev.lifecycle.jobs.ingest;

import dev.lifecycle.spark.stage.IngestOutput;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What ingest's one pass made for one of its snapshots. The {@link IngestResult} that holds the
 * pass cached owns it: closing this view leaves the pass as it is.
 */
record SnapshotOutput(LocalDate asOf, Optional<LocalDate> cut, Dataset<Row> pass) implements IngestOutput {
  private int day() {
    return (int) asOf.toEpochDay();
  }

  @Override
  public Dataset<Row> customerSummaries() {
    return Transactions.summaries(pass, PassRecord.SUMMARY, day());
  }

  @Override
  public Dataset<Row> cutSummaries() {
    return Transactions.summaries(pass, PassRecord.CUT_SUMMARY, day());
  }

  @Override
  public Dataset<Row> cohortLifetimes() {
    return Transactions.cohortLifetimes(pass, day());
  }

  @Override
  public Dataset<Row> cohortActivity() {
    return Transactions.cohortActivity(pass, day());
  }

  /** Only a single snapshot has a backtest's holdout, so its repeat purchases are the pass's. */
  @Override
  public Dataset<Row> repeatPurchases() {
    return Transactions.repeatPurchases(pass);
  }

  @Override
  public void close() {}
}
