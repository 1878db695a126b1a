package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.LifecycleException;
import dev.lifecycle.common.Tables;
import dev.lifecycle.jobs.run.RunContext;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes {@code customer_scores}, the one table BI reads per customer, from the snapshot's
 * customer features. This first version carries the RFM columns; later stages add theirs.
 */
public final class ScoreJob {
  public static final String STAGE = "score";

  static final String[] RFM_COLUMNS = {
    Columns.CUSTOMER_ID,
    Columns.RECENCY_DAYS,
    Columns.FREQUENCY,
    Columns.MONETARY_TOTAL,
    Columns.MONETARY_AVG,
    Columns.R_SCORE,
    Columns.F_SCORE,
    Columns.M_SCORE,
    Columns.RFM_CELL,
    Columns.RFM_SEGMENT,
    Columns.ABC_CLASS
  };

  private ScoreJob() {}

  public static long run(RunContext context) {
    return context.stage(STAGE, () -> score(context));
  }

  private static long score(RunContext context) {
    LocalDate snapshot = snapshot(context);
    Dataset<Row> features = context.warehouse().readPartition(Tables.CUSTOMER_FEATURES, snapshot);
    Dataset<Row> scores = features.select(Arrays.stream(RFM_COLUMNS).map(c -> col(c)).toArray(Column[]::new));
    context.warehouse().replacePartition(Tables.CUSTOMER_SCORES, scores, snapshot);
    long customers =
        context.warehouse().readPartition(Tables.CUSTOMER_SCORES, snapshot).count();
    context.table(
        Tables.CUSTOMER_SCORES, context.warehouse().tablePath(Tables.CUSTOMER_SCORES), customers);
    return customers;
  }

  /** The configured snapshot, the one this run ingested, or the newest features snapshot. */
  private static LocalDate snapshot(RunContext context) {
    LocalDate snapshot =
        context
            .snapshot()
            .or(() -> context.config().asOf())
            .or(() -> context.warehouse().latestSnapshot(Tables.CUSTOMER_FEATURES))
            .orElseThrow(
                () ->
                    LifecycleException.input(
                        "Cannot score: table " + Tables.CUSTOMER_FEATURES + " at "
                            + context.warehouse().tablePath(Tables.CUSTOMER_FEATURES)
                            + " has no snapshot (run features first)",
                        null));
    context.snapshot(snapshot);
    return snapshot;
  }
}
