package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.spark.table.Columns;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The value classes: the value quadrant (current × potential value) split again by loyalty, the
 * three dimensions of the source literature, into eight cells, each with its strategy. Without a
 * quadrant (no CLV) or a loyalty index there is no class.
 */
final class ValueClasses {
  /** A cell: its quadrant, whether loyalty is high, its name and its strategy. */
  record Cell(String quadrant, boolean loyal, String name, String strategy) {}

  static final List<Cell> CELLS =
      List.of(
          new Cell(ValueQuadrants.HIGH_HIGH, true, "core", "core: one-to-one retention"),
          new Cell(ValueQuadrants.HIGH_HIGH, false, "at_risk_of_defection", "at risk of defection: loyalty programme"),
          new Cell(ValueQuadrants.HIGH_LOW, true, "loyal_mature", "maintain: serve efficiently, keep the relationship"),
          new Cell(ValueQuadrants.HIGH_LOW, false, "harvest", "harvest: keep the current value while it lasts"),
          new Cell(ValueQuadrants.LOW_HIGH, true, "rising", "develop: up-sell and cross-sell"),
          new Cell(ValueQuadrants.LOW_HIGH, false, "uncommitted_potential", "win commitment: incentives to buy more here"),
          new Cell(ValueQuadrants.LOW_LOW, true, "loyal_low_value", "serve at low cost: reward the loyalty cheaply"),
          new Cell(ValueQuadrants.LOW_LOW, false, "marginal", "minimal resources"));

  private ValueClasses() {}

  /** {@code scored}, which has value_quadrant and loyalty_index, with value_class and its strategy. */
  static Dataset<Row> add(Dataset<Row> scored, double loyaltySplit) {
    Column loyal = col(Columns.LOYALTY_INDEX).gt(loyaltySplit);
    Column name = lit(null).cast("string");
    Column strategy = lit(null).cast("string");
    for (int i = CELLS.size() - 1; i >= 0; i--) {
      Cell cell = CELLS.get(i);
      Column match = col(Columns.VALUE_QUADRANT).equalTo(cell.quadrant()).and(cell.loyal() ? loyal : not(loyal));
      name = when(match, lit(cell.name())).otherwise(name);
      strategy = when(match, lit(cell.strategy())).otherwise(strategy);
    }
    return scored.withColumn(Columns.VALUE_CLASS, name).withColumn(Columns.VALUE_CLASS_STRATEGY, strategy);
  }
}
