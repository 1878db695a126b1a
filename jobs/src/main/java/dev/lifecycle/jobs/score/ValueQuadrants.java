package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.config.LifecycleConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The value matrix: current value (margin over the trailing current-value days) against potential
 * value (CLV), each split at a configured quantile; a value above the split is high. Each quadrant
 * carries its retention strategy. Without CLV there is no quadrant.
 */
final class ValueQuadrants {
  static final String LOW_LOW = "low_current_low_potential";
  static final String LOW_HIGH = "low_current_high_potential";
  static final String HIGH_LOW = "high_current_low_potential";
  static final String HIGH_HIGH = "high_current_high_potential";

  private ValueQuadrants() {}

  static Dataset<Row> add(Dataset<Row> scored, LifecycleConfig.Value config) {
    // One pass for both splits; approxQuantile leaves nulls out, and of an all-null column
    // returns nothing, so that split is +∞ and no value is high.
    double[][] q =
        scored.stat().approxQuantile(
            new String[] {Columns.CURRENT_VALUE, Columns.CLV},
            new double[] {config.currentSplit(), config.potentialSplit()},
            1e-3);
    double currentSplit = q[0].length == 0 ? Double.POSITIVE_INFINITY : q[0][0];
    double potentialSplit = q[1].length == 0 ? Double.POSITIVE_INFINITY : q[1][1];
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
}
