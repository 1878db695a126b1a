package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lifecycle sample --parameters} draws one population from known BG/NBD and Gamma-Gamma
 * parameters; features, clv and score on it recover those parameters, and the lifecycle columns of
 * customer_scores follow their rules and agree with who truly dropped out.
 */
@Tag("e2e")
class SampleRecoveryTest {
  private static final Map<String, Double> TRUTH =
      Map.of("r", 0.5, "alpha", 5.0, "a", 0.7, "b", 2.5, "p", 6.0, "q", 4.0, "gamma", 20.0);

  @TempDir Path dir;

  @Test
  void clvRecoversTheSampledParametersAndStagesFollowTheirRules() {
    String sample = dir.resolve("sample").toString();
    String warehouse = dir.resolve("warehouse").toString();
    CliRunner.Result generated =
        CliRunner.run(
            "sample", "--customers", "20000", "--seed", "7", "--out", sample, "--parameters",
            "r=0.5,alpha=5,a=0.7,b=2.5,p=6,q=4,gamma=20");
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    for (String stage : new String[] {"features", "clv", "score"}) {
      CliRunner.Result result =
          CliRunner.run(
              stage, "--input", sample + "/transactions", "--warehouse", warehouse,
              "--set", "input.columns.order-id=order_id");
      assertThat(result.exitCode()).as(stage + ": " + result.err()).isZero();
    }

    SparkSession spark = TestSpark.session();
    Map<String, Double> estimates = new HashMap<>();
    Map<String, Double> errors = new HashMap<>();
    for (Row model : spark.read().parquet(warehouse + "/clv_models").collectAsList()) {
      assertThat(model.<String>getAs("status")).as(model.<String>getAs("model")).isEqualTo("fitted");
      estimates.putAll(model.getJavaMap(model.fieldIndex("parameters")));
      errors.putAll(model.getJavaMap(model.fieldIndex("standard_errors")));
    }
    System.out.println("Recovered from lifecycle sample: " + estimates + ", standard errors " + errors);
    TRUTH.forEach(
        (name, truth) -> {
          // Within 3 standard errors plus 6%: the summary counts purchase days, and merging the
          // purchases of one day alone moves alpha up by about 5% for this population (measured
          // by fitting lifetimes to the same process in continuous time and in days).
          assertThat(estimates.get(name))
              .as(name)
              .isCloseTo(truth, within(3 * errors.get(name) + 0.06 * truth));
          assertThat(errors.get(name) / truth).as("relative standard error of " + name).isLessThan(0.1);
        });

    Dataset<Row> scores =
        spark.read().parquet(warehouse + "/customer_scores")
            .join(
                spark.read().parquet(sample + "/truth")
                    .select(col("customer_id").cast("string").as("customer_id"), col("dropped_out")),
                "customer_id");
    assertThat(scores.count()).isEqualTo(20000);
    Map<Boolean, long[]> lostByTruth = Map.of(true, new long[2], false, new long[2]);
    double pAliveSum = 0;
    List<Row> rows =
        scores.select(
                "lifecycle_stage", "lifecycle_pattern", "p_alive", "recency_days", "frequency", "dropped_out",
                "current_value", "clv", "value_quadrant")
            .collectAsList();
    // fewer customers than the quadrants' sample: both splits are the exact lower medians
    double currentMedian = lowerMedian(rows.stream().mapToDouble(r -> r.getDouble(6)));
    double clvMedian = lowerMedian(rows.stream().mapToDouble(r -> r.getDouble(7)));
    for (Row row : rows) {
      String stage = row.getString(0);
      String pattern = row.getString(1);
      boolean lost = row.getDouble(2) < 0.2 || ((Number) row.get(3)).intValue() > 180;
      assertThat(stage).isIn("exploration", "formation", "stability", "decline", "lost");
      assertThat(stage.equals("lost")).as("lost by rule: %s", row).isEqualTo(lost);
      if (lost) {
        assertThat(pattern).isIn("I", "II", "III", "IV", "unknown");
      } else {
        assertThat(pattern).isEqualTo("ongoing");
      }
      if (!lost && ((Number) row.get(4)).longValue() == 1) {
        assertThat(stage).as("one purchase: %s", row).isEqualTo("exploration");
      }
      if (lost && ((Number) row.get(4)).longValue() == 1) {
        assertThat(pattern).isEqualTo("I");
      }
      String quadrant =
          (row.getDouble(6) > currentMedian ? "high_current_" : "low_current_")
              + (row.getDouble(7) > clvMedian ? "high_potential" : "low_potential");
      assertThat(row.getString(8)).as("quadrant of %s", row).isEqualTo(quadrant);
      long[] tally = lostByTruth.get(row.getBoolean(5));
      tally[0] += lost ? 1 : 0;
      tally[1]++;
      pAliveSum += row.getDouble(2);
    }
    double lostAmongDropped = (double) lostByTruth.get(true)[0] / lostByTruth.get(true)[1];
    double lostAmongAlive = (double) lostByTruth.get(false)[0] / lostByTruth.get(false)[1];
    System.out.printf(
        "lost: %.1f%% of %d customers who dropped out, %.1f%% of %d who did not%n",
        100 * lostAmongDropped, lostByTruth.get(true)[1], 100 * lostAmongAlive, lostByTruth.get(false)[1]);
    // The stage mixes P(alive) with the churn threshold, so it only leans towards the truth;
    // P(alive) itself is a probability and its mean is the share of customers truly alive.
    assertThat(lostAmongDropped).isGreaterThan(lostAmongAlive);
    double aliveShare = (double) lostByTruth.get(false)[1] / rows.size();
    System.out.printf("mean P(alive) %.4f, share truly alive %.4f%n", pAliveSum / rows.size(), aliveShare);
    assertThat(pAliveSum / rows.size()).isCloseTo(aliveShare, within(0.02));
    assertThat(rows.stream().map(r -> r.getString(0)).distinct().toList())
        .as("every stage occurs")
        .containsAll(Set.of("exploration", "formation", "stability", "decline", "lost"));
  }

  private static double lowerMedian(java.util.stream.DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    return sorted[(sorted.length + 1) / 2 - 1];
  }
}
