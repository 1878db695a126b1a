package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.core.clv.CustomerValue;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.lifecycle.LifecycleStages;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.CustomerScoresTable;
import dev.lifecycle.spark.table.CustomerSegmentsTable;
import dev.lifecycle.spark.table.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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

  /** The customers scored, and the table written. */
  public record Result(long customers, Table.Written table) implements StageResult.OfCustomers {
    @Override
    public List<Table.Written> tables() {
      return List.of(table);
    }
  }

  private ScoreJob() {}

  public static Result run(StageContext context, LocalDate snapshot) {
    LifecycleConfig config = context.config();
    Warehouse warehouse = context.warehouse();
    Dataset<Row> features = CustomerFeaturesTable.SPEC.read(warehouse, snapshot);
    CustomerValue value = ClvModelsTable.customerValue(warehouse, config, snapshot).orElse(null);
    double margin = config.clv().margin();
    Dataset<Row> scored =
        CustomerScorer.score(
            features,
            RFM_COLUMNS,
            value,
            new LifecycleStages(config.lifecycle(), config.retention().churnAfterDays()),
            margin);
    Dataset<Row> quadrants =
        ValueQuadrants.add(scored, CustomerScorer.values(features, value, margin), features.count(), config.value());
    Dataset<Row> scores = withSegments(warehouse, quadrants, snapshot);
    Table.Written written =
        CustomerScoresTable.SPEC.replace(
            warehouse, scores, snapshot, () -> CustomerScoresTable.SPEC.read(warehouse, snapshot).count());
    return new Result(written.rows(), written);
  }

  /**
   * The segment columns right after the RFM columns: from the snapshot's customer_segments, or
   * null when the segment stage has not run for it.
   */
  private static Dataset<Row> withSegments(Warehouse warehouse, Dataset<Row> scores, LocalDate snapshot) {
    Dataset<Row> segments = CustomerSegmentsTable.SPEC.readIfPresent(warehouse, snapshot).orElse(null);
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
}
