package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerSample;
import dev.lifecycle.spark.table.NumberColumns;
import dev.lifecycle.core.config.LifecycleConfig;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The value matrix: current value (margin over the trailing current-value days) against potential
 * value (CLV), each split at a configured quantile; a value above the split is high. Each quadrant
 * carries its retention strategy. Without CLV there is no quadrant.
 *
 * <p>The splits are exact quantiles of at most {@value #SAMPLE} customers: all of them when there
 * are no more, else those whose hashed id falls in one of ⌈N / {@value #SAMPLE}⌉ buckets (a rank
 * error of about 0.05% at the median). Both depend on the ids alone, never on partitioning, and the
 * split costs one narrow pass over the sample instead of a cache of every scored customer.
 */
final class ValueQuadrants {
  static final String LOW_LOW = "low_current_low_potential";
  static final String LOW_HIGH = "low_current_high_potential";
  static final String HIGH_LOW = "high_current_low_potential";
  static final String HIGH_HIGH = "high_current_high_potential";
  static final long SAMPLE = 1_000_000;

  private ValueQuadrants() {}

  /**
   * {@code scored} with its quadrant and strategy, split at the quantiles of {@code values}: the
   * same customers' customer_id, current_value and clv, which may be cheaper to compute than the
   * scores (no intervals).
   */
  static Dataset<Row> add(Dataset<Row> scored, Dataset<Row> values, long customers, LifecycleConfig.Value config) {
    return add(scored, values, customers, config, SAMPLE);
  }

  static Dataset<Row> add(
      Dataset<Row> scored, Dataset<Row> values, long customers, LifecycleConfig.Value config, long sample) {
    double[][] collected =
        NumberColumns.collect(CustomerSample.byId(values, customers, sample).select(Columns.CURRENT_VALUE, Columns.CLV));
    double currentSplit = split(collected[0], config.currentSplit());
    double potentialSplit = split(collected[1], config.potentialSplit());
    Column highCurrent = col(Columns.CURRENT_VALUE).gt(currentSplit);
    Column highPotential = col(Columns.CLV).gt(potentialSplit);
    Column quadrant =
        when(col(Columns.CLV).isNull(), lit(null))
            .when(highCurrent.and(highPotential), lit(HIGH_HIGH))
            .when(highCurrent, lit(HIGH_LOW))
            .when(highPotential, lit(LOW_HIGH))
            .otherwise(lit(LOW_LOW));
    Column strategy =
        when(col(Columns.VALUE_QUADRANT).equalTo(HIGH_HIGH), lit("most valuable: one-to-one retention"))
            .when(col(Columns.VALUE_QUADRANT).equalTo(HIGH_LOW), lit("protect: keep the current value"))
            .when(col(Columns.VALUE_QUADRANT).equalTo(LOW_HIGH), lit("invest: develop the relationship"))
            .when(col(Columns.VALUE_QUADRANT).equalTo(LOW_LOW), lit("minimal resources"));
    return scored.withColumn(Columns.VALUE_QUADRANT, quadrant).withColumn(Columns.STRATEGY, strategy);
  }

  /**
   * The q-quantile of the values that are not null (NaN here: the scores are finite or null): the
   * smallest value with at least a share q of the values at or below it. Without any value it is
   * +∞, so no value is high.
   */
  static double split(double[] values, double q) {
    return quantile(Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray(), q);
  }

  /** The q-quantile of sorted values, as {@link #split}: +∞ without any value. */
  static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.POSITIVE_INFINITY;
    }
    // less a hair, so that a share like 0.3 of 10 values is the 3rd, not the 4th (0.3 × 10 > 3)
    return values[Math.max(0, (int) Math.ceil(q * values.length - 1e-9) - 1)];
  }
}
