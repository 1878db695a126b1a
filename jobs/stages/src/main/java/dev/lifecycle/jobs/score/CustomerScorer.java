package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.clv.CustomerValue;
import dev.lifecycle.core.lifecycle.LifecycleStages;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Adds to each customer's RFM columns the model scores (P(alive), expected purchases and spend,
 * CLV; null without fitted models), current value, lifecycle stage and pattern. The models and the
 * stage rules are two functions on just the columns they read, so the RFM columns pass through
 * Spark untouched instead of making a round trip through Java rows.
 */
final class CustomerScorer {
  private static final String MODEL = "_model";
  private static final String STAGE = "_stage";
  private static final String[] MODEL_COLUMNS = {
    Columns.P_ALIVE, Columns.EXPECTED_PURCHASES, Columns.EXPECTED_PURCHASES_P10, Columns.EXPECTED_PURCHASES_P90,
    Columns.EXPECTED_SPEND, Columns.CLV, Columns.CLV_P10, Columns.CLV_P90
  };
  private static final StructType MODEL_TYPE = doubles(MODEL_COLUMNS);
  private static final StructType STAGE_TYPE =
      new StructType()
          .add(Columns.LIFECYCLE_STAGE, DataTypes.StringType, false)
          .add(Columns.LIFECYCLE_PATTERN, DataTypes.StringType, false);

  private CustomerScorer() {}

  /**
   * The RFM columns of {@code features}, then p_alive, expected_purchases (and its P10, P90),
   * expected_spend, clv (and its P10, P90), current_value, lifecycle_stage and lifecycle_pattern.
   * {@code value} is null when there are no fitted purchase models.
   */
  static Dataset<Row> score(
      Dataset<Row> features, String[] rfmColumns, CustomerValue value, LifecycleStages stages, double margin) {
    Column model =
        value == null
            ? lit(null).cast(MODEL_TYPE)
            : models(value).apply(
                col(Columns.BTYD_X), col(Columns.BTYD_T_X), col(Columns.BTYD_T), col(Columns.REPEAT_VALUE_AVG),
                col(Columns.MONETARY_TOTAL));
    List<Column> withModel = new ArrayList<>();
    List<Column> out = new ArrayList<>();
    for (String name : rfmColumns) {
      withModel.add(col(name));
      out.add(col(name));
    }
    for (String name : MODEL_COLUMNS) {
      withModel.add(col(MODEL + "." + name).as(name));
      out.add(col(name));
    }
    withModel.add(currentValue(margin));
    out.add(col(Columns.CURRENT_VALUE));
    withModel.add(
        stages(stages).apply(
                col(Columns.WINDOW_SPEND), col(Columns.WINDOW_PURCHASE_DAYS), col(Columns.TENURE_DAYS),
                col(Columns.RECENCY_DAYS), col(Columns.BTYD_X), col(MODEL + "." + Columns.P_ALIVE))
            .as(STAGE));
    out.add(col(STAGE + "." + Columns.LIFECYCLE_STAGE).as(Columns.LIFECYCLE_STAGE));
    out.add(col(STAGE + "." + Columns.LIFECYCLE_PATTERN).as(Columns.LIFECYCLE_PATTERN));
    return features
        .withColumn(MODEL, model)
        .select(withModel.toArray(Column[]::new))
        .select(out.toArray(Column[]::new));
  }

  /**
   * Each customer's id, current_value and CLV (null without fitted purchase models), equal to
   * {@link #score}'s, at a fraction of its cost: without the intervals, where the value quadrants'
   * splits are taken.
   */
  static Dataset<Row> values(Dataset<Row> features, CustomerValue value, double margin) {
    Column clv;
    if (value == null) {
      clv = lit(null).cast(DataTypes.DoubleType);
    } else {
      UDF5<Long, Double, Double, Double, Double, Double> alone =
          (x, tx, bigT, repeatValue, total) ->
              finiteOrNull(
                  value.clv(
                      x, tx, bigT, repeatValue == null ? Double.NaN : repeatValue, CustomerValue.meanSpend(total, x)));
      clv =
          udf(alone, DataTypes.DoubleType)
              .apply(
                  col(Columns.BTYD_X), col(Columns.BTYD_T_X), col(Columns.BTYD_T), col(Columns.REPEAT_VALUE_AVG),
                  col(Columns.MONETARY_TOTAL));
    }
    return features.select(col(Columns.CUSTOMER_ID), currentValue(margin), clv.as(Columns.CLV));
  }

  private static Column currentValue(double margin) {
    return col(Columns.CURRENT_SPEND).multiply(margin).as(Columns.CURRENT_VALUE);
  }

  /**
   * P(alive), expected purchases with their interval, expected spend, and CLV with its interval;
   * a value the models cannot give is null. The customer's own mean spend, for when there is no
   * spend model, is {@link CustomerValue#meanSpend}.
   */
  private static UserDefinedFunction models(CustomerValue value) {
    UDF5<Long, Double, Double, Double, Double, Row> score =
        (x, tx, bigT, repeatValue, total) -> {
          CustomerValue.Score s =
              value.score(
                  x, tx, bigT, repeatValue == null ? Double.NaN : repeatValue, CustomerValue.meanSpend(total, x));
          return RowFactory.create(
              finiteOrNull(s.pAlive()), finiteOrNull(s.expectedPurchases()),
              finiteOrNull(s.purchases().p10()), finiteOrNull(s.purchases().p90()),
              finiteOrNull(s.expectedSpend()), finiteOrNull(s.clv()),
              finiteOrNull(s.clvInterval().p10()), finiteOrNull(s.clvInterval().p90()));
        };
    return udf(score, MODEL_TYPE);
  }

  /** Lifecycle stage and pattern from the spend windows, tenure, recency and P(alive). */
  private static UserDefinedFunction stages(LifecycleStages stages) {
    UDF6<Seq<Double>, Seq<Integer>, Integer, Integer, Long, Double, Row> classify =
        (spend, purchaseDays, tenure, recency, x, pAlive) -> {
          double[] spent = new double[spend.size()];
          for (int i = 0; i < spent.length; i++) {
            spent[i] = spend.apply(i);
          }
          int[] days = new int[purchaseDays.size()];
          for (int i = 0; i < days.length; i++) {
            days[i] = purchaseDays.apply(i);
          }
          LifecycleStages.Result stage =
              stages.classify(spent, days, tenure, recency, x + 1, pAlive == null ? Double.NaN : pAlive);
          return RowFactory.create(stage.stage(), stage.pattern());
        };
    return udf(classify, STAGE_TYPE);
  }

  private static StructType doubles(String[] names) {
    StructType type = new StructType();
    for (String name : names) {
      type = type.add(name, DataTypes.DoubleType);
    }
    return type;
  }

  /** A value the models could not give (no spend model, q &lt;= 1) is null, never NaN. */
  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
