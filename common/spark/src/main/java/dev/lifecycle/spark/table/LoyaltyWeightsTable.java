package dev.lifecycle.spark.table;

import dev.lifecycle.core.config.LoyaltyConfig;
import dev.lifecycle.core.loyalty.Ahp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code loyalty_weights}: one row per indicator of the snapshot's AHP loyalty index, with its
 * direction, its weight, its row of the comparison matrix, and the matrix's λmax, consistency
 * index and consistency ratio (the same on every row).
 */
public final class LoyaltyWeightsTable {
  public static final String CRITERION = "criterion";
  public static final String DIRECTION = "direction";
  public static final String WEIGHT = "weight";
  public static final String COMPARISONS = "comparisons";
  public static final String LAMBDA_MAX = "lambda_max";
  public static final String CONSISTENCY_INDEX = "consistency_index";
  public static final String CONSISTENCY_RATIO = "consistency_ratio";

  public static final Table SPEC =
      new Table(
          "loyalty_weights",
          "indicator",
          new StructType()
              .add(CRITERION, DataTypes.StringType, false)
              .add(DIRECTION, DataTypes.StringType, false)
              .add(WEIGHT, DataTypes.DoubleType, false)
              .add(COMPARISONS, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
              .add(LAMBDA_MAX, DataTypes.DoubleType, false)
              .add(CONSISTENCY_INDEX, DataTypes.DoubleType, false)
              .add(CONSISTENCY_RATIO, DataTypes.DoubleType, false));

  private LoyaltyWeightsTable() {}

  /** The rows of a loyalty index's criteria and weights. */
  public static List<Row> rows(LoyaltyConfig loyalty) {
    Ahp.Priorities p = loyalty.priorities();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < loyalty.criteria().size(); i++) {
      LoyaltyConfig.Criterion c = loyalty.criteria().get(i);
      rows.add(
          RowFactory.create(
              c.indicator().label(), c.higherIsLoyal() ? "+" : "-", p.weights()[i], loyalty.matrix()[i], p.lambdaMax(),
              p.ci(), p.cr()));
    }
    return rows;
  }
}
