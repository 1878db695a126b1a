package dev.lifecycle.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.cli.SparkProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Ingest + features against the bare Spark group-by (per customer: max timestamp, count, sum) on
 * the same Parquet, alternating in one session so both see the same machine state. Both write
 * their per-customer result as Parquet. After one untimed warm-up round, prints medians and the
 * ratio.
 *
 * <p>Arguments: INPUT_URI WORK_DIR [REPETITIONS]. The input is {@code lifecycle sample} output.
 */
public final class FeaturesBenchmark {
  private FeaturesBenchmark() {}

  public static void main(String[] args) {
    String input = args[0];
    String work = args[1];
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    SparkSession spark = SparkProvider.standard().open(null, Map.of(), "lifecycle bench");
    LifecycleConfig config = SampleConfig.of(input, work + "/warehouse");

    // One untimed round first: JIT and file caches warm up for both alike.
    bareGroupBy(spark, input, work + "/groupby");
    ingestAndFeatures(spark, config);
    List<Double> groupBy = new ArrayList<>();
    List<Double> features = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      groupBy.add(time(() -> bareGroupBy(spark, input, work + "/groupby")));
      features.add(time(() -> ingestAndFeatures(spark, config)));
      System.out.printf(
          "repetition %d: group-by %.2f s, ingest+features %.2f s%n",
          i + 1, groupBy.get(i), features.get(i));
    }
    double g = Timings.median(groupBy);
    double f = Timings.median(features);
    System.out.printf(
        "median of %d: group-by %.2f s, ingest+features %.2f s, ratio %.2f%n",
        repetitions, g, f, f / g);
    spark.stop();
  }

  /** The baseline: per customer, the latest timestamp, the row count and the amount, written as Parquet. */
  static void bareGroupBy(SparkSession spark, String input, String out) {
    spark
        .read()
        .parquet(input)
        .groupBy(col("customer_id"))
        .agg(max(col("timestamp")), count(lit(1)), sum(col("amount")))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(out);
  }

  private static void ingestAndFeatures(SparkSession spark, LifecycleConfig config) {
    SampleConfig.ingestAndFeatures(SampleConfig.context(spark, config));
  }

  private static double time(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return Timings.secondsSince(start);
  }
}
