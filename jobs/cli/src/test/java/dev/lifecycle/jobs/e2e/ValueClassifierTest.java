package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code value.classifier = perceptron}: a multilayer perceptron learns the value classes of an
 * earlier snapshot and classifies the customers of a later one; its agreement with the rule is
 * the snapshot's value_class_agreement, recounted here from customer_scores.
 */
@Tag("e2e")
class ValueClassifierTest {
  @TempDir Path dir;

  @Test
  void thePerceptronLearnsAnEarlierSnapshotsClassesAndItsAgreementIsCounted() {
    String[] input = SampleRun.concat(SampleRun.generated(dir, 2000, 9), "--warehouse", dir.resolve("warehouse").toString());
    for (String asOf : List.of("2025-06-30", "2025-12-31")) {
      String[] classifier =
          asOf.equals("2025-06-30")
              ? new String[0]
              : new String[] {"--set", "value.classifier=perceptron", "--set", "value.reference-snapshot=2025-06-30"};
      for (String stage : List.of("features", "clv", "score")) {
        CliRunner.Result result =
            CliRunner.run(SampleRun.concat(SampleRun.concat(new String[] {stage, "--as-of", asOf}, input), classifier));
        assertThat(result.exitCode()).as(stage + " at " + asOf + ": " + result.err()).isZero();
      }
    }
    SparkSession spark = TestSpark.session();
    String warehouse = dir.resolve("warehouse").toString();
    Dataset<Row> scores = spark.read().parquet(warehouse + "/customer_scores");
    assertThat(scores.where(col("snapshot_date").equalTo("2025-06-30").and(col("value_class_perceptron").isNotNull())).count())
        .as("the reference has no perceptron's class")
        .isZero();
    Dataset<Row> later = scores.where(col("snapshot_date").equalTo("2025-12-31").and(col("value_class").isNotNull()));
    long classified = later.count();
    long agree = later.where(col("value_class").equalTo(col("value_class_perceptron"))).count();
    assertThat(later.where(col("value_class_perceptron").isNull()).count()).as("every classified customer").isZero();

    List<Row> agreement = spark.read().parquet(warehouse + "/value_class_agreement").collectAsList();
    long counted = agreement.stream().mapToLong(r -> r.<Long>getAs("customers")).sum();
    long diagonal =
        agreement.stream()
            .filter(r -> r.<String>getAs("rule_class").equals(r.getAs("perceptron_class")))
            .mapToLong(r -> r.<Long>getAs("customers"))
            .sum();
    assertThat(counted).isEqualTo(classified);
    assertThat(diagonal).isEqualTo(agree);
    double accuracy = agreement.get(0).getAs("accuracy");
    assertThat(accuracy).isCloseTo((double) agree / classified, within(1e-12));
    assertThat(agreement.get(0).<java.sql.Date>getAs("reference_snapshot").toString()).isEqualTo("2025-06-30");
    System.out.printf("value-class perceptron: %.1f%% of %d customers agree with the rule%n", 100 * accuracy, classified);
    // the classes are splits of its three inputs; only the splits' move in half a year stands between
    assertThat(accuracy).isGreaterThan(0.8);

    CliRunner.Result noReference =
        CliRunner.run(SampleRun.concat(new String[] {"score"}, "--warehouse", warehouse, "--set", "value.classifier=perceptron"));
    assertThat(noReference.exitCode()).isEqualTo(2);
    assertThat(noReference.err()).contains("value.reference-snapshot");
    CliRunner.Result missing =
        CliRunner.run(
            "score", "--warehouse", warehouse, "--set", "value.classifier=perceptron", "--set",
            "value.reference-snapshot=2024-01-31");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).contains("has no snapshot 2024-01-31 (value.reference-snapshot; score it first)");

    // Scored again without the perceptron: no agreement of the earlier scores is left
    CliRunner.Result plain = CliRunner.run(SampleRun.concat(new String[] {"score", "--as-of", "2025-12-31"}, input));
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(dir.resolve("warehouse/value_class_agreement/snapshot_date=2025-12-31")).doesNotExist();
  }
}
