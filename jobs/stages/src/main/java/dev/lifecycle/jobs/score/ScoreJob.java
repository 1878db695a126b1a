package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.clv.CustomerValue;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.lifecycle.LifecycleStages;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.CustomerChurnTable;
import dev.lifecycle.spark.table.CustomerScoresTable;
import dev.lifecycle.spark.table.CustomerSegmentsTable;
import dev.lifecycle.spark.table.LoyaltyWeightsTable;
import dev.lifecycle.spark.table.MigrationPeriods;
import dev.lifecycle.spark.table.WinBackTable;
import dev.lifecycle.spark.table.Table;
import dev.lifecycle.spark.table.ValueClassAgreementTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;

/**
 * Writes {@code customer_scores}, the one table BI reads per customer: the snapshot's RFM columns,
 * the scores of the models in {@code clv_models}, current value, lifecycle stage and pattern, the
 * value quadrant with its strategy, the AHP loyalty index and the value class, the churn
 * probability of {@code customer_churn} when the propensity stage has run, the migration status
 * since the previous snapshot and the action of {@code strategy.rules}; {@code loyalty_weights},
 * the index's weights and their consistency; and {@code win_back}, the lost and declining
 * customers ranked for a win-back campaign.
 */
public final class ScoreJob {
  static final String[] RFM_COLUMNS = {
    Columns.CUSTOMER_ID,
    Columns.RECENCY_DAYS,
    Columns.FREQUENCY,
    Columns.MONETARY_TOTAL,
    Columns.MONETARY_AVG,
    Columns.RETURNS_TOTAL,
    Columns.NET_SPEND,
    Columns.R_SCORE,
    Columns.F_SCORE,
    Columns.M_SCORE,
    Columns.RFM_CELL,
    Columns.RFM_SEGMENT,
    Columns.ABC_CLASS
  };

  /** What the scorer passes through from customer_features: the RFM columns and the loyalty index. */
  private static final String[] CARRIED_COLUMNS = carried();

  static final String[] SEGMENT_COLUMNS = {Columns.KMEANS_SEGMENT, Columns.SOM_NODE, Columns.SOM_SEGMENT};

  static final String[] CHURN_COLUMNS = {Columns.CHURN_PROBABILITY, Columns.CHURN_MODEL};

  /**
   * The customers scored, and the tables written: customer_scores, loyalty_weights, and with a
   * value-class perceptron value_class_agreement.
   */
  public record Result(long customers, List<Table.Written> tables) implements StageResult.OfCustomers {}

  private ScoreJob() {}

  private static String[] carried() {
    String[] carried = Arrays.copyOf(RFM_COLUMNS, RFM_COLUMNS.length + 1);
    carried[RFM_COLUMNS.length] = Columns.LOYALTY_INDEX;
    return carried;
  }

  public static Result run(StageContext context, LocalDate snapshot) {
    return run(context, snapshot, () -> {}, () -> {});
  }

  /**
   * Scores the snapshot, waiting for {@code segmented} to return only where the scores take the
   * segment and churn columns: what comes before (the loyalty index and its ranks, the value
   * quadrants' pass over the customers' CLV) needs only customer_features and clv_models, so
   * within {@code run} it goes on beside the segment stage's end. {@code written} is called once
   * customer_scores, loyalty_weights and value_class_agreement are written, before win_back, whose
   * rank runs in one task: within {@code run} the report reads them beside it.
   */
  public static Result run(StageContext context, LocalDate snapshot, Runnable segmented, Runnable written) {
    LifecycleConfig config = context.config();
    Warehouse warehouse = context.warehouse();
    Dataset<Row> read = CustomerFeaturesTable.SPEC.read(warehouse, snapshot);
    long customers = CustomerFeaturesTable.SPEC.rows(warehouse, snapshot); // Parquet counts from its footers
    int windowDays = config.lifecycle().windowDays();
    LoyaltyIndex loyalty = LoyaltyIndex.of(read, config.loyalty(), windowDays, customers);
    Dataset<Row> features =
        read.withColumn(
            Columns.LOYALTY_INDEX,
            loyalty.column(JavaSparkContext.fromSparkContext(context.spark().sparkContext()), config.loyalty(), windowDays));
    CustomerValue value = ClvModelsTable.customerValue(warehouse, config, snapshot).orElse(null);
    double margin = config.clv().margin();
    Dataset<Row> scored =
        CustomerScorer.score(
            features,
            CARRIED_COLUMNS,
            value,
            new LifecycleStages(config.lifecycle(), config.retention().churnAfterDays()),
            margin);
    Dataset<Row> quadrants =
        ValueQuadrants.add(scored, CustomerScorer.values(features, value, margin), customers, config.value());
    Dataset<Row> classes = ValueClasses.add(quadrants, loyalty.split(config.value().loyaltySplit()));
    Optional<LocalDate> reference =
        config.value().classifier() == LifecycleConfig.ValueClassifier.PERCEPTRON
            ? config.value().referenceSnapshot()
            : Optional.empty();
    if (reference.isPresent()) {
      LocalDate date = reference.get();
      classes = ValuePerceptron.classify(classes, ValuePerceptron.train(reference(warehouse, date), date, config.value()));
    } else {
      classes = classes.withColumn(Columns.VALUE_CLASS_PERCEPTRON, lit(null).cast(DataTypes.StringType));
    }
    Optional<MigrationPeriods> periods = MigrationPeriods.of(warehouse, snapshot, config.migration().activeDays());
    Dataset<Row> acted =
        CustomerActions.add(
            classes, periods, periods.map(p -> CustomerScoresTable.SPEC.read(warehouse, p.from())), config.strategy());
    segmented.run();
    Dataset<Row> scores = withSegmentsAndChurn(warehouse, acted, snapshot);
    Table.Written scoresTable =
        CustomerScoresTable.SPEC.replace(
            warehouse, scores, snapshot, () -> CustomerScoresTable.SPEC.rows(warehouse, snapshot));
    Table.Written weights = LoyaltyWeightsTable.SPEC.replace(warehouse, LoyaltyWeightsTable.rows(config.loyalty()), snapshot);
    Optional<Table.Written> agreement = reference.map(date -> agreement(warehouse, snapshot, date));
    if (reference.isEmpty()) {
      ValueClassAgreementTable.SPEC.clear(warehouse, snapshot); // an earlier score's, with a perceptron
    }
    written.run();
    Dataset<Row> winBack = CustomerActions.winBack(CustomerScoresTable.SPEC.read(warehouse, snapshot), snapshot);
    List<Table.Written> tables = new ArrayList<>(List.of(scoresTable));
    // No lost or declining customer leaves no partition to count.
    tables.add(
        WinBackTable.SPEC.replace(
            warehouse, winBack, snapshot, () -> WinBackTable.SPEC.rows(warehouse, snapshot)));
    tables.add(weights);
    agreement.ifPresent(tables::add);
    return new Result(scoresTable.rows(), tables);
  }

  /** The reference snapshot's customer_scores; exit 3 when the table does not hold it. */
  private static Dataset<Row> reference(Warehouse warehouse, LocalDate date) {
    return CustomerScoresTable.SPEC.readIfPresent(warehouse, date)
        .orElseThrow(
            () ->
                LifecycleException.input(
                    "Cannot train the value-class perceptron: table " + CustomerScoresTable.SPEC.name() + " at "
                        + CustomerScoresTable.SPEC.path(warehouse) + " has no snapshot " + date
                        + " (value.reference-snapshot; score it first)",
                    null));
  }

  /**
   * value_class_agreement: the written scores' rule classes against the perceptron's, counted
   * from the table just written (not by scoring again), with the share that agree.
   */
  private static Table.Written agreement(Warehouse warehouse, LocalDate snapshot, LocalDate reference) {
    List<Row> pairs =
        CustomerScoresTable.SPEC.read(warehouse, snapshot)
            .where(col(Columns.VALUE_CLASS).isNotNull().and(col(Columns.VALUE_CLASS_PERCEPTRON).isNotNull()))
            .groupBy(Columns.VALUE_CLASS, Columns.VALUE_CLASS_PERCEPTRON)
            .count()
            .collectAsList();
    long all = pairs.stream().mapToLong(r -> r.getLong(2)).sum();
    long same = pairs.stream().filter(r -> r.getString(0).equals(r.getString(1))).mapToLong(r -> r.getLong(2)).sum();
    List<Row> ordered = new ArrayList<>(pairs);
    ordered.sort(Comparator.comparing((Row r) -> r.getString(0)).thenComparing(r -> r.getString(1)));
    List<Row> rows = new ArrayList<>();
    for (Row pair : ordered) {
      rows.add(
          RowFactory.create(
              Date.valueOf(reference), pair.getString(0), pair.getString(1), pair.getLong(2), (double) same / all));
    }
    return ValueClassAgreementTable.SPEC.replace(warehouse, rows, snapshot);
  }

  /**
   * The scores with the snapshot's segment columns, from its customer_segments, and its churn
   * columns, from customer_churn (null where that stage has not run for it), in customer_scores'
   * column order.
   */
  private static Dataset<Row> withSegmentsAndChurn(Warehouse warehouse, Dataset<Row> scores, LocalDate snapshot) {
    Dataset<Row> joined = scores;
    Map<String, Column> joinedColumns = new HashMap<>();
    for (Map.Entry<Table, String[]> other :
        Map.of(CustomerSegmentsTable.SPEC, SEGMENT_COLUMNS, CustomerChurnTable.SPEC, CHURN_COLUMNS).entrySet()) {
      Optional<Dataset<Row>> found = other.getKey().readIfPresent(warehouse, snapshot);
      for (String name : other.getValue()) {
        joinedColumns.put(
            name,
            found.map(rows -> rows.col(name))
                .orElse(lit(null).cast(other.getKey().schema().apply(name).dataType()).as(name)));
      }
      if (found.isPresent()) {
        Dataset<Row> rows = found.get();
        joined = joined.join(rows, scores.col(Columns.CUSTOMER_ID).equalTo(rows.col(Columns.CUSTOMER_ID)), "left");
      }
    }
    List<Column> columns = new ArrayList<>();
    for (String name : CustomerScoresTable.SPEC.columns()) {
      columns.add(joinedColumns.containsKey(name) ? joinedColumns.get(name) : scores.col(name));
    }
    return joined.select(columns.toArray(Column[]::new));
  }
}
