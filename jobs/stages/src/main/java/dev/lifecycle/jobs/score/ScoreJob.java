package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.table.Tables;
import dev.lifecycle.core.clv.CustomerValue;
import dev.lifecycle.core.clv.GammaGamma;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.lifecycle.LifecycleStages;
import dev.lifecycle.jobs.clv.ClvJob;
import dev.lifecycle.jobs.run.RunContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Writes {@code customer_scores}, the one table BI reads per customer: the snapshot's RFM columns,
 * the scores of the models in {@code clv_models}, current value, lifecycle stage and pattern, and
 * the value quadrant with its strategy.
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

  static final String[] SEGMENT_COLUMNS = {Columns.KMEANS_SEGMENT, Columns.SOM_NODE, Columns.SOM_SEGMENT};

  private ScoreJob() {}

  public static long run(RunContext context) {
    return context.stage(STAGE, "customers", () -> score(context));
  }

  private static long score(RunContext context) {
    LifecycleConfig config = context.config();
    LocalDate snapshot = snapshot(context);
    Dataset<Row> features = context.warehouse().readPartition(Tables.CUSTOMER_FEATURES, snapshot);
    Dataset<Row> scored =
        CustomerScorer.score(
            features,
            RFM_COLUMNS,
            customerValue(context, snapshot),
            new LifecycleStages(config.lifecycle(), config.retention().churnAfterDays()),
            config.clv().margin());
    Dataset<Row> scores =
        withSegments(context, ValueQuadrants.add(scored, features.count(), config.value()), snapshot);
    context.warehouse().replacePartition(Tables.CUSTOMER_SCORES, scores, snapshot);
    long customers =
        context.warehouse().readPartition(Tables.CUSTOMER_SCORES, snapshot).count();
    context.table(
        Tables.CUSTOMER_SCORES, context.warehouse().tablePath(Tables.CUSTOMER_SCORES), customers);
    return customers;
  }

  /**
   * The segment columns right after the RFM columns: from the snapshot's customer_segments, or
   * null when the segment stage has not run for it.
   */
  private static Dataset<Row> withSegments(RunContext context, Dataset<Row> scores, LocalDate snapshot) {
    Dataset<Row> segments =
        context.warehouse().hasPartition(Tables.CUSTOMER_SEGMENTS, snapshot)
            ? context.warehouse().readPartition(Tables.CUSTOMER_SEGMENTS, snapshot)
            : null;
    List<Column> columns = new ArrayList<>();
    for (String name : scores.columns()) {
      columns.add(scores.col(name));
      if (name.equals(RFM_COLUMNS[RFM_COLUMNS.length - 1])) {
        for (String segment : SEGMENT_COLUMNS) {
          columns.add(
              segments == null
                  ? lit(null).cast(DataTypes.IntegerType).as(segment)
                  : segments.col(segment));
        }
      }
    }
    Dataset<Row> joined =
        segments == null
            ? scores
            : scores.join(segments, scores.col(Columns.CUSTOMER_ID).equalTo(segments.col(Columns.CUSTOMER_ID)), "left");
    return joined.select(columns.toArray(Column[]::new));
  }

  /**
   * The per-customer models of the snapshot's {@code clv_models}, or null when the clv stage has
   * not run for it or the purchase model could not be fitted: the model columns are then null.
   */
  private static CustomerValue customerValue(RunContext context, LocalDate snapshot) {
    if (!context.warehouse().hasPartition(Tables.CLV_MODELS, snapshot)) {
      return null;
    }
    LifecycleConfig config = context.config();
    Map<String, Map<String, Double>> parameters = new HashMap<>();
    for (Row row :
        context.warehouse().readPartition(Tables.CLV_MODELS, snapshot)
            .where(col(Columns.PARAMETERS).isNotNull())
            .select(Columns.MODEL, Columns.PARAMETERS)
            .collectAsList()) {
      parameters.put(row.getString(0), row.getJavaMap(1));
    }
    LifecycleConfig.PurchaseModel model = config.clv().purchaseModel();
    Map<String, Double> purchase = parameters.get(ClvJob.name(model));
    if (purchase == null) {
      return null;
    }
    return new CustomerValue(
        model,
        ClvJob.parameters(purchase, CustomerValue.parameters(model)),
        ClvJob.parameters(parameters.get(ClvJob.GAMMA_GAMMA), GammaGamma.PARAMETERS),
        config.timeUnit().days(),
        config.clv());
  }

  /** The configured snapshot, the one this run ingested, or the newest features snapshot. */
  public static LocalDate snapshot(RunContext context) {
    LocalDate snapshot =
        context
            .snapshot()
            .or(() -> context.config().asOf())
            .or(() -> context.warehouse().latestSnapshot(Tables.CUSTOMER_FEATURES))
            .orElseThrow(
                () ->
                    LifecycleException.input(
                        "Cannot " + context.command() + ": table " + Tables.CUSTOMER_FEATURES + " at "
                            + context.warehouse().tablePath(Tables.CUSTOMER_FEATURES)
                            + " has no snapshot (run features first)",
                        null));
    context.snapshot(snapshot);
    return snapshot;
  }
}
