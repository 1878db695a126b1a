package dev.lifecycle.bench;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.cli.SparkProvider;
import dev.lifecycle.jobs.sample.PlantedTruth;
import dev.lifecycle.jobs.sample.SampleJob;
import dev.lifecycle.jobs.segment.SegmentJob;
import dev.lifecycle.spark.stage.StageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The segment stage (k-means sweep, SOM of 10x10, two levels, tables) against the bare Spark group-by of
 * the skeleton's benchmark on the same transactions, alternating in one session. customer_features
 * is built once first, untimed. Prints the medians, their ratio, the stage's metrics, and the
 * adjusted Rand index of both methods against the planted segments of the sample.
 *
 * <p>Arguments: SAMPLE_DIR (a {@code lifecycle sample} output) WORK_DIR [REPETITIONS (default 3)].
 */
public final class SegmentBenchmark {
  private SegmentBenchmark() {}

  public static void main(String[] args) {
    String sample = args[0];
    String work = args[1];
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    String input = sample + "/transactions";
    SparkSession spark = SparkProvider.standard().open(null, Map.of(), "lifecycle bench segment");
    // the benchmark: a SOM of 10x10 (the default grid would be 20x20 at 1M customers)
    LifecycleConfig config = SampleConfig.of(input, work + "/warehouse", Map.of("segment.som.grid", "10x10"));
    StageContext context = SampleConfig.context(spark, config);
    SampleConfig.ingestAndFeatures(context);

    List<Double> groupBy = new ArrayList<>();
    List<Double> segment = new ArrayList<>();
    SegmentJob.Result last = null;
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      FeaturesBenchmark.bareGroupBy(spark, input, work + "/groupby");
      groupBy.add(Timings.secondsSince(start));
      start = System.nanoTime();
      last = SegmentJob.run(context, SampleJob.END);
      segment.add(Timings.secondsSince(start));
      System.out.printf(
          "repetition %d: group-by %.2f s, segment %.2f s%n", i + 1, groupBy.get(i), segment.get(i));
    }
    double g = Timings.median(groupBy);
    double s = Timings.median(segment);
    System.out.printf(
        "median of %d: group-by %.2f s, segment %.2f s, ratio %.2f%n", repetitions, g, s, s / g);
    System.out.println("segment metrics: " + (last == null ? null : last.metrics()));

    Dataset<Row> segments = spark.read().parquet(work + "/warehouse/customer_segments");
    for (String method : List.of("kmeans_segment", "som_segment")) {
      System.out.printf(
          "adjusted Rand index of %s against the planted segments: %.3f%n",
          method, PlantedTruth.adjustedRand(segments, sample + "/truth", method));
    }
    spark.stop();
  }
}
