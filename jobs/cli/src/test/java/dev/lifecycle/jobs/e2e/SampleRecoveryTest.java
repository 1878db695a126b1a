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
    checkLoyaltyAndValueClasses(spark, warehouse);
  }

  /**
   * The loyalty index, recomputed here from customer_features with the default criteria and the
   * weights of loyalty_weights: mid-ranks counted in sorted copies of each indicator; and each value
   * class is the quadrant split at the lower median of the index.
   */
  private static void checkLoyaltyAndValueClasses(SparkSession spark, String warehouse) {
    List<Row> weights = spark.read().parquet(warehouse + "/loyalty_weights").collectAsList();
    Map<String, Double> weightOf = new HashMap<>();
    for (Row w : weights) {
      weightOf.put(w.getString(0), w.getDouble(2));
      assertThat(w.<Double>getAs("consistency_ratio")).isLessThan(0.1);
    }
    assertThat(weightOf.keySet()).containsExactlyInAnyOrder("recency", "frequency", "monetary", "tenure", "regularity", "trend");
    assertThat(weightOf.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-12));
    List<Row> rows =
        spark.read().parquet(warehouse + "/customer_features")
            .join(
                spark.read().parquet(warehouse + "/customer_scores")
                    .select("customer_id", "loyalty_index", "value_quadrant", "value_class"),
                "customer_id")
            .select(
                col("recency_days").cast("double"), col("frequency").cast("double"),
                col("monetary_total"), col("tenure_days").cast("double"), col("window_purchase_days"),
                col("window_spend"), col("loyalty_index"), col("value_quadrant"), col("value_class"))
            .collectAsList();
    int n = rows.size();
    String[] names = {"recency", "frequency", "monetary", "tenure", "regularity", "trend"};
    double[][] values = new double[names.length][n];
    for (int r = 0; r < n; r++) {
      Row row = rows.get(r);
      List<Integer> days = row.getList(4);
      List<Double> spend = row.getList(5);
      long active = days.stream().filter(d -> d > 0).count();
      double windows = Math.min(days.size(), Math.floor(row.getDouble(3) / 91) + 1);
      double[] v = {
        row.getDouble(0), row.getDouble(1), row.getDouble(2), row.getDouble(3), active / windows,
        spend.get(spend.size() - 1) - spend.get(spend.size() - 2)
      };
      for (int i = 0; i < names.length; i++) {
        values[i][r] = v[i];
      }
    }
    double[] expected = new double[n];
    for (int i = 0; i < names.length; i++) {
      double[] sorted = values[i].clone();
      java.util.Arrays.sort(sorted);
      Map<Double, long[]> belowAndEqual = new HashMap<>(); // of each value: how many are below, how many equal
      for (int k = 0; k < n; k++) {
        belowAndEqual.computeIfAbsent(sorted[k], v -> new long[2])[1]++;
      }
      long seen = 0;
      for (double v : new java.util.TreeSet<>(belowAndEqual.keySet())) {
        long[] counts = belowAndEqual.get(v);
        counts[0] = seen;
        seen += counts[1];
      }
      for (int r = 0; r < n; r++) {
        long[] counts = belowAndEqual.get(values[i][r]);
        double rank = (counts[0] + counts[1] / 2.0) / n;
        expected[r] += 100 * weightOf.get(names[i]) * (names[i].equals("recency") ? 1 - rank : rank);
      }
    }
    double split = lowerMedian(java.util.Arrays.stream(expected));
    Map<String, String> classOf =
        Map.of(
            "high_current_high_potential", "core,at_risk_of_defection",
            "high_current_low_potential", "loyal_mature,harvest",
            "low_current_high_potential", "rising,uncommitted_potential",
            "low_current_low_potential", "loyal_low_value,marginal");
    Map<String, Long> classes = new HashMap<>();
    for (int r = 0; r < n; r++) {
      Row row = rows.get(r);
      assertThat(row.getDouble(6)).as("loyalty index of %s", row).isCloseTo(expected[r], within(1e-9));
      String[] pair = classOf.get(row.getString(7)).split(",");
      assertThat(row.getString(8)).as("class of %s", row).isEqualTo(expected[r] > split ? pair[0] : pair[1]);
      classes.merge(row.getString(8), 1L, Long::sum);
    }
    System.out.println("value classes: " + classes);
    assertThat(classes).as("all eight cells occur").hasSize(8);
  }

  private static double lowerMedian(java.util.stream.DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    return sorted[(sorted.length + 1) / 2 - 1];
  }
}
