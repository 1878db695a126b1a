package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment ids that mean the same segment from one snapshot to the next: the sample's planted
 * customers who kept their behaviour (not dropped out, acquired well before) keep their segment id
 * when the segmentation is refitted a month later, as they do with a saved model.
 */
@Tag("e2e")
class StableSegmentsTest {
  private static final LocalDate NOVEMBER = LocalDate.of(2025, 11, 30);
  private static final LocalDate DECEMBER = LocalDate.of(2025, 12, 31);

  @TempDir Path dir;

  @Test
  void aRefitKeepsTheIdsOfCustomersWhoDidNotChange() {
    String[] input = SampleRun.generated(dir, 6000, 5);
    String refit = dir.resolve("refit").toString();
    String saved = dir.resolve("saved").toString();
    String model = dir.resolve("model").toString();
    String permuted = dir.resolve("permuted").toString();
    String both = NOVEMBER + "," + DECEMBER;
    run(SampleRun.concat(new String[] {"features", "--warehouse", refit, "--as-of", both}, input));
    for (String warehouse : List.of(saved, permuted)) {
      try {
        org.apache.commons.io.FileUtils.copyDirectory(new java.io.File(refit), new java.io.File(warehouse));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    run(SampleRun.concat(new String[] {"segment", "--warehouse", refit, "--as-of", both, "--set", "segment.k=5"}, input));
    run(SampleRun.concat(new String[] {"segment", "--warehouse", saved, "--as-of", NOVEMBER.toString(), "--set", "segment.k=5", "--model-out", model}, input));
    run(SampleRun.concat(new String[] {"segment", "--warehouse", saved, "--as-of", DECEMBER.toString(), "--model-in", model}, input));
    // November's ids turned around: a refit numbered by value cannot follow them, a matched one must.
    run(SampleRun.concat(new String[] {"segment", "--warehouse", permuted, "--as-of", NOVEMBER.toString(), "--set", "segment.k=5"}, input));
    reverseIds(permuted, NOVEMBER);
    run(SampleRun.concat(new String[] {"segment", "--warehouse", permuted, "--as-of", DECEMBER.toString(), "--set", "segment.k=5"}, input));

    String truth = dir.resolve("sample/truth").toString();
    double kmeans = kept(refit, truth, "kmeans_segment");
    double som = kept(refit, truth, "som_segment");
    double kmeansSaved = kept(saved, truth, "kmeans_segment");
    double somSaved = kept(saved, truth, "som_segment");
    double kmeansPermuted = kept(permuted, truth, "kmeans_segment");
    double somPermuted = kept(permuted, truth, "som_segment");
    System.out.printf(
        "customers who kept their behaviour and their segment id from %s to %s: refit with stable ids k-means %.1f%%, SOM"
            + " %.1f%%; saved model k-means %.1f%%, SOM %.1f%%; refit after"
            + " November's ids were reversed k-means %.1f%%, SOM %.1f%%%n",
        NOVEMBER, DECEMBER, 100 * kmeans, 100 * som, 100 * kmeansSaved, 100 * somSaved,
        100 * kmeansPermuted, 100 * somPermuted);
    assertThat(kmeans).isGreaterThanOrEqualTo(0.9);
    assertThat(som).isGreaterThanOrEqualTo(0.9);
    assertThat(kmeansPermuted).isGreaterThanOrEqualTo(0.9);
    assertThat(somPermuted).isGreaterThanOrEqualTo(0.9);

    SparkSession spark = TestSpark.session();
    Dataset<Row> lineage = spark.read().parquet(refit + "/segment_lineage");
    assertThat(lineage.select("snapshot_date").distinct().collectAsList())
        .extracting(row -> row.getDate(0).toLocalDate())
        .containsExactly(DECEMBER);
    List<Row> kmeansLineage = lineage.where(col("method").equalTo("kmeans")).orderBy("value_rank").collectAsList();
    assertThat(kmeansLineage).hasSize(5);
    for (Row row : kmeansLineage) {
      assertThat(row.<Integer>getAs("segment")).isEqualTo(row.<Integer>getAs("from_segment"));
      assertThat(row.<Date>getAs("from_snapshot").toLocalDate()).isEqualTo(NOVEMBER);
      assertThat(row.<Double>getAs("distance")).isNotNull().isGreaterThanOrEqualTo(0);
    }
    // The ids written are the ids of the lineage, in customer_segments and segment_profiles alike.
    assertThat(
            spark.read().parquet(refit + "/segment_profiles")
                .where(col("snapshot_date").equalTo(lit(Date.valueOf(DECEMBER))).and(col("method").equalTo("kmeans")))
                .select("segment")
                .collectAsList())
        .extracting(row -> row.getInt(0))
        .containsExactlyInAnyOrderElementsOf(kmeansLineage.stream().map(row -> row.<Integer>getAs("segment")).toList());
  }

  /** Rewrites a snapshot's customer_segments with every id turned around: s becomes max + 1 − s. */
  private static void reverseIds(String warehouse, LocalDate snapshot) {
    SparkSession spark = TestSpark.session();
    Path partition = Path.of(warehouse, "customer_segments", "snapshot_date=" + snapshot);
    Path moved = Path.of(warehouse, "reversed-segments");
    Dataset<Row> rows = spark.read().parquet(partition.toString());
    int kmeansMax = rows.agg(org.apache.spark.sql.functions.max("kmeans_segment")).first().getInt(0);
    int somMax = rows.agg(org.apache.spark.sql.functions.max("som_segment")).first().getInt(0);
    rows.select(
            col("customer_id"), lit(kmeansMax + 1).minus(col("kmeans_segment")).as("kmeans_segment"), col("som_node"),
            lit(somMax + 1).minus(col("som_segment")).as("som_segment"))
        .write()
        .parquet(moved.toString());
    try {
      org.apache.commons.io.FileUtils.deleteDirectory(partition.toFile());
      java.nio.file.Files.move(moved, partition);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void run(String... args) {
    CliRunner.Result result = CliRunner.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result.err()).isZero();
  }

  /**
   * Of the customers who, by the planted truth, never dropped out and were acquired six months
   * before November, the share whose segment in {@code column} is the same in November and in
   * December.
   */
  private static double kept(String warehouse, String truth, String column) {
    SparkSession spark = TestSpark.session();
    Dataset<Row> segments = spark.read().parquet(warehouse + "/customer_segments");
    Dataset<Row> steady =
        spark.read().parquet(truth)
            .where(col("dropped_out").equalTo(false).and(col("acquired_at").lt(lit(Timestamp.valueOf(NOVEMBER.minusMonths(6).atStartOfDay())))))
            .select(col("customer_id").cast("string").as("customer_id"));
    Dataset<Row> november =
        segments.where(col("snapshot_date").equalTo(lit(Date.valueOf(NOVEMBER)))).select(col("customer_id"), col(column).as("before"));
    Dataset<Row> december =
        segments.where(col("snapshot_date").equalTo(lit(Date.valueOf(DECEMBER)))).select(col("customer_id"), col(column).as("after"));
    Dataset<Row> pairs = steady.join(november, "customer_id").join(december, "customer_id");
    long all = pairs.count();
    assertThat(all).as("steady customers").isGreaterThan(500);
    return (double) pairs.where(col("before").equalTo(col("after"))).count() / all;
  }
}
