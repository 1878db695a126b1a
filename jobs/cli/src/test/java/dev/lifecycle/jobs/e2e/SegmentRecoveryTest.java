package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.jobs.sample.PlantedTruth;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment stage on {@code lifecycle sample} data with its five planted segments, default
 * features: the adjusted Rand index of k-means and of the SOM's two levels against the truth is at
 * least 0.8; the saved pipeline's own transform gives the stage's segments; and a saved model
 * assigns the same segments without refitting.
 */
@Tag("e2e")
class SegmentRecoveryTest {
  @TempDir Path dir;

  @Test
  void plantedSegmentsAreRecoveredAndASavedModelReproducesThem() {
    SampleRun run = SampleRun.withFeatures(dir, 6000, 5);
    String sample = run.sample();
    String warehouse = run.warehouse();
    String model = dir.resolve("model").toString();
    String[] common = SampleRun.concat(run.input(), "--set", "segment.k=5");
    CliRunner.Result segmented =
        CliRunner.run(SampleRun.concat(new String[] {"segment", "--model-out", model}, common));
    assertThat(segmented.exitCode()).as(segmented.err()).isZero();

    SparkSession spark = TestSpark.session();
    Dataset<Row> segments = spark.read().parquet(warehouse + "/customer_segments");
    assertThat(segments.count()).isEqualTo(6000);
    double kmeans = PlantedTruth.adjustedRand(segments, sample + "/truth", "kmeans_segment");
    double som = PlantedTruth.adjustedRand(segments, sample + "/truth", "som_segment");
    System.out.printf("adjusted Rand index against the planted segments: k-means %.3f, SOM %.3f%n", kmeans, som);
    // Default features (log1p of recency, frequency, monetary), k = 5. Measured: k-means 0.917,
    // SOM 0.921 (seed 5).
    assertThat(kmeans).isGreaterThanOrEqualTo(0.8);
    assertThat(som).isGreaterThanOrEqualTo(0.8);

    List<Row> fitted = segments.orderBy("customer_id").collectAsList();
    // The stage scores packed customers with the model's own parts; the saved pipeline's
    // transform, as any Spark user would run it, gives the same segments.
    Dataset<Row> features = spark.read().parquet(warehouse + "/customer_features");
    assertThat(
            PipelineModel.load(model).transform(features)
                .select("customer_id", "kmeans_segment", "som_node", "som_segment")
                .orderBy("customer_id")
                .collectAsList())
        .isEqualTo(
            segments.select("customer_id", "kmeans_segment", "som_node", "som_segment")
                .orderBy("customer_id")
                .collectAsList());
    CliRunner.Result scored = CliRunner.run(SampleRun.concat(new String[] {"segment", "--model-in", model}, common));
    assertThat(scored.exitCode()).as(scored.err()).isZero();
    assertThat(spark.read().parquet(warehouse + "/customer_segments").orderBy("customer_id").collectAsList())
        .isEqualTo(fitted);
  }
}
