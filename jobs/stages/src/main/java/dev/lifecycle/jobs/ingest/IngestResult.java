package dev.lifecycle.jobs.ingest;

import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.RunManifestTable.IngestCounts;
import dev.lifecycle.spark.table.Table;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of ingest: the snapshot it validated against, the counts that reconcile exactly
 * (rows in = clean + rejected + excluded), the rejects it wrote, and the output of its single
 * pass (with summaries at the propensity cut, if one is given), cached for the features,
 * retention and propensity stages until closed.
 */
public record IngestResult(
    LocalDate asOf, Optional<LocalDate> cut, IngestCounts counts, Table.Written rejects, Dataset<Row> pass)
    implements IngestOutput, StageResult {

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
    return Transactions.summaries(pass, PassRecord.SUMMARY);
  }

  @Override
  public Dataset<Row> cutSummaries() {
    return Transactions.summaries(pass, PassRecord.CUT_SUMMARY);
  }

  @Override
  public Dataset<Row> cohortLifetimes() {
    return Transactions.cohortLifetimes(pass);
  }

  @Override
  public Dataset<Row> cohortActivity() {
    return Transactions.cohortActivity(pass);
  }

  @Override
  public Dataset<Row> repeatPurchases() {
    return Transactions.repeatPurchases(pass);
  }

  @Override
  public void close() {
    pass.unpersist();
  }
}
