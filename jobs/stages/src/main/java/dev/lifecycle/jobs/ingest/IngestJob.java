package dev.lifecycle.jobs.ingest;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_date;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.table.Tables;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.run.RunContext;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads the transactions, quarantines bad rows in {@code transactions_rejected} with a reason,
 * counts policy exclusions, reconciles the counts and applies the data-quality gate.
 */
public final class IngestJob {
  public static final String STAGE = "ingest";

  private IngestJob() {}

  public static IngestResult run(RunContext context) {
    return run(context, false);
  }

  /** With {@code cohorts}, the pass also tallies acquisition cohorts for the retention stage. */
  public static IngestResult run(RunContext context, boolean cohorts) {
    return context.stage(STAGE, "rows in", () -> ingest(context, cohorts), IngestResult::rowsIn);
  }

  private static IngestResult ingest(RunContext context, boolean cohorts) {
    LifecycleConfig config = context.config();
    LifecycleConfig.Retention retention = config.retention();
    String uri = config.requireInputPath();
    Optional<byte[]> pseudonymKey =
        config.output().pseudonymKeyVariable().map(variable -> Pseudonyms.key(variable, System::getenv));
    Dataset<Row> opened = TransactionSource.open(context.spark(), uri, config.columns());
    Dataset<Row> raw =
        pseudonymKey.map(key -> Pseudonyms.apply(opened, config.columns().customerId(), key)).orElse(opened);
    if (cohorts) {
      retention
          .cohortAttribute()
          .ifPresent(name -> TransactionSource.requireAttribute(raw, name, uri));
    }
    LocalDate asOf =
        config.asOf().orElseGet(() -> readingInput(uri, () -> lastTransactionDate(raw, config, uri)));
    context.snapshot(asOf);

    Dataset<Row> pass =
        Transactions.pass(
                raw,
                config.columns(),
                asOf,
                config.returns(),
                config.zeroAmounts(),
                config.duplicates(),
                cohorts
                    ? Optional.of(
                        new CohortInput(
                            retention.period(), (int) asOf.toEpochDay(), retention.churnAfterDays()))
                    : Optional.empty(),
                retention.cohortAttribute(),
                new ValueInput(
                    (int) asOf.toEpochDay(),
                    config.lifecycle().windowDays(),
                    config.lifecycle().historyWindows(),
                    config.value().currentDays()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      IngestResult result = readingInput(uri, () -> quarantine(context, raw, pass, asOf));
      record(context, result);
      checkGate(result, config.maxRejectedShare(), uri);
      return result;
    } catch (RuntimeException e) {
      pass.unpersist();
      throw e;
    }
  }

  private static void record(RunContext context, IngestResult result) {
    context.count("rows_in", result.rowsIn());
    context.count("rows_clean", result.clean());
    context.count("rows_rejected", result.rejected());
    context.count("rows_excluded", result.excluded());
    result.rejectedByReason().forEach((reason, n) -> context.count("rejected_" + reason, n));
    result.excludedByReason().forEach((reason, n) -> context.count("excluded_" + reason, n));
  }

  private static IngestResult quarantine(
      RunContext context, Dataset<Row> raw, Dataset<Row> pass, LocalDate asOf) {
    long rowsIn = raw.count();
    Map<String, Long> rejected = new TreeMap<>();
    Map<String, Long> excluded = new TreeMap<>();
    long clean = 0;
    for (Row row : Transactions.counts(pass).collectAsList()) {
      String category = row.getString(0);
      long n = row.getLong(1);
      if (category.equals(CustomerPass.CLEAN)) {
        clean += n;
      } else if (isExclusion(category)) {
        excluded.put(category, n);
      } else {
        rejected.put(category, n);
      }
    }
    IngestResult result = new IngestResult(asOf, rowsIn, clean, rejected, excluded, pass);
    if (rowsIn != clean + result.rejected() + result.excluded()) {
      throw new IllegalStateException(
          "Cannot reconcile ingest counts: rows in " + rowsIn + " != clean " + clean
              + " + rejected " + result.rejected() + " + excluded " + result.excluded());
    }
    context.warehouse().replacePartition(
        Tables.TRANSACTIONS_REJECTED, Transactions.rejected(pass, raw.columns()), asOf);
    context.table(
        Tables.TRANSACTIONS_REJECTED,
        context.warehouse().tablePath(Tables.TRANSACTIONS_REJECTED),
        result.rejected());
    return result;
  }

  private static boolean isExclusion(String category) {
    for (ExclusionReason reason : ExclusionReason.values()) {
      if (reason.code().equals(category)) {
        return true;
      }
    }
    return false;
  }

  private static LocalDate lastTransactionDate(
      Dataset<Row> raw, LifecycleConfig config, String uri) {
    String column = config.columns().timestamp();
    DataType type = raw.schema().apply(column).dataType();
    Row last =
        raw.agg(max(unix_date(to_date(Transactions.parsedTimestamp(Columns.quoted(column), type)))))
            .first();
    if (last.isNullAt(0)) {
      throw LifecycleException.qualityGate(
          "Cannot choose the snapshot date: no row of input " + uri
              + " has a parseable timestamp; set snapshot.as-of");
    }
    return LocalDate.ofEpochDay(last.getInt(0));
  }

  private static void checkGate(IngestResult result, double maxRejectedShare, String uri) {
    if (result.clean() == 0) {
      throw LifecycleException.qualityGate(
          "Data-quality gate failed: no clean rows in input " + uri + " (" + result.rejected()
              + " rejected, " + result.excluded() + " excluded; see " + Tables.TRANSACTIONS_REJECTED
              + ")");
    }
    double share = result.rowsIn() == 0 ? 0 : (double) result.rejected() / result.rowsIn();
    if (share > maxRejectedShare) {
      throw LifecycleException.qualityGate(
          String.format(
              "Data-quality gate failed: %.1f%% of the rows of input %s were rejected, more than"
                  + " quality.max-rejected-share %.1f%% (see %s)",
              100 * share, uri, 100 * maxRejectedShare, Tables.TRANSACTIONS_REJECTED));
    }
  }

  /** Runs work that reads the input; a file that turns out unreadable becomes exit 3. */
  static <T> T readingInput(String uri, Supplier<T> work) {
    try {
      return work.get();
    } catch (Exception e) { // Spark's own exceptions are checked ones in Java's eyes
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof SparkThrowable spark
            && spark.getCondition() != null
            && spark.getCondition().startsWith("FAILED_READ_FILE")) {
          throw LifecycleException.input(
              "Cannot read input " + uri + ": " + TransactionSource.firstLine(cause), e);
        }
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }
}
