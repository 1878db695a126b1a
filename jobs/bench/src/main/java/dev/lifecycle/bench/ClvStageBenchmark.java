package dev.lifecycle.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.cli.SparkProvider;
import dev.lifecycle.jobs.clv.ClvJob;
import dev.lifecycle.jobs.sample.SampleJob;
import dev.lifecycle.jobs.score.ScoreJob;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code clv} and {@code score} stages through Spark at millions of customers. The features of
 * a {@code lifecycle sample} of BASE customers are built once by ingest and features; each customer
 * is then copied COPIES times, copy k with its whole history moved k days earlier (T and recency
 * grow by k days, t_x and spend stay), so the copies make distinct (x, t_x, T) patterns as real
 * customers would. That table is the customer_features partition the two stages read. After one
 * untimed round, prints the median wall time of each stage over REPETITIONS rounds, and of a bare
 * copy of the features' scalar columns beside them.
 *
 * <p>Arguments: SAMPLE_INPUT BASE COPIES WORK_DIR [REPETITIONS (default 3)]; SAMPLE_INPUT is the
 * transactions folder of a {@code lifecycle sample} of BASE customers.
 */
public final class ClvStageBenchmark {
  private static final LocalDate SNAPSHOT = SampleJob.END;

  private ClvStageBenchmark() {}

  public static void main(String[] args) {
    String input = args[0];
    long base = Long.parseLong(args[1]);
    int copies = Integer.parseInt(args[2]);
    String work = args[3];
    int repetitions = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    SparkSession spark = SparkProvider.standard().open(null, Map.of(), "lifecycle bench clv");
    LifecycleConfig baseConfig = SampleConfig.of(input, work + "/base");
    StageContext baseRun = SampleConfig.context(spark, baseConfig);
    SampleConfig.ingestAndFeatures(baseRun);

    LifecycleConfig config = SampleConfig.of(input, work + "/warehouse");
    StageContext setup = SampleConfig.context(spark, config);
    Dataset<Row> features =
        baseRun.warehouse().readPartition(CustomerFeaturesTable.SPEC.name(), SNAPSHOT).drop(Columns.SNAPSHOT_DATE);
    setup.warehouse().replacePartition(CustomerFeaturesTable.SPEC.name(), copies(features, copies), SNAPSHOT);
    long customers = setup.warehouse().readPartition(CustomerFeaturesTable.SPEC.name(), SNAPSHOT).count();
    System.out.printf("customer_features: %,d customers (%,d x %d)%n", customers, base, copies);

    stages(spark, config, work);
    List<Double> clv = new ArrayList<>();
    List<Double> score = new ArrayList<>();
    List<Double> copy = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      double[] seconds = stages(spark, config, work);
      clv.add(seconds[0]);
      score.add(seconds[1]);
      copy.add(seconds[2]);
      System.out.printf(
          "repetition %d: clv %.2f s, score %.2f s, bare copy %.2f s%n", i + 1, seconds[0], seconds[1], seconds[2]);
    }
    double c = Timings.median(clv);
    double s = Timings.median(score);
    System.out.printf(
        "median of %d at %,d customers: clv %.2f s, score %.2f s, together %.2f s; bare copy %.2f s%n",
        repetitions, customers, c, s, c + s, Timings.median(copy));
    spark.stop();
  }

  /** Copy k of each customer: id suffixed with k, history moved k days earlier. */
  private static Dataset<Row> copies(Dataset<Row> features, int copies) {
    Dataset<Row> shifted = features.withColumn("copy", explode(sequence(lit(0), lit(copies - 1))));
    Column weeks = col("copy").divide(7.0);
    List<Column> columns = new ArrayList<>();
    for (String name : features.columns()) {
      Column column =
          switch (name) {
            case Columns.CUSTOMER_ID -> concat(col(name), lit("-"), col("copy").cast("string"));
            case Columns.BTYD_T -> col(name).plus(weeks);
            case Columns.RECENCY_DAYS -> col(name).plus(col("copy"));
            case Columns.TENURE_DAYS -> col(name).plus(col("copy"));
            default -> col(name);
          };
      columns.add(column.cast(features.schema().apply(name).dataType()).as(name));
    }
    return shifted.select(columns.toArray(Column[]::new)).repartition(Math.max(2, copies / 4));
  }

  /**
   * The two stages' wall times, then the I/O floor a score stage cannot go below: reading
   * customer_features and writing its scalar columns (as many as customer_scores has) as Parquet,
   * with no computation.
   */
  private static double[] stages(SparkSession spark, LifecycleConfig config, String work) {
    StageContext context = SampleConfig.context(spark, config);
    long start = System.nanoTime();
    ClvJob.run(context, SNAPSHOT);
    double clv = Timings.secondsSince(start);
    start = System.nanoTime();
    ScoreJob.run(context, SNAPSHOT);
    double score = Timings.secondsSince(start);
    start = System.nanoTime();
    context.warehouse().readPartition(CustomerFeaturesTable.SPEC.name(), SNAPSHOT)
        .drop(Columns.WINDOW_SPEND, Columns.WINDOW_PURCHASE_DAYS)
        .write().mode("overwrite").parquet(work + "/bare-copy");
    return new double[] {clv, score, Timings.secondsSince(start)};
  }
}
