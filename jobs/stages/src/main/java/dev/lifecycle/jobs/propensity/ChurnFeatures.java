package dev.lifecycle.jobs.propensity;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.signum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.core.clv.PurchaseProcess;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerIndicators;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * What the churn models see of a customer, from a customer_features row and the purchase model
 * fitted at the same date: recency, frequency, spend, order value, tenure, the BTYD summary, the
 * mean time between purchase days and how late the customer is against it, regularity, trend, and
 * P(alive). Counts and money are log1p-transformed (money keeps its sign); the models standardize
 * them all.
 */
final class ChurnFeatures {
  static final String RECENCY = "recency_days";
  static final String FREQUENCY = "log_frequency";
  static final String MONETARY = "log_monetary_total";
  static final String AOV = "log_monetary_avg";
  static final String TENURE = "tenure_days";
  static final String REPEATS = "log_btyd_x";
  static final String LAST_REPEAT = "btyd_t_x";
  static final String AGE = "btyd_T";
  static final String GAP = "mean_purchase_gap";
  static final String LATENESS = "lateness";
  static final String REGULARITY = "regularity";
  static final String TREND = "log_trend";

  /** The features, in the order the models take them. */
  static final String[] NAMES = {
    RECENCY, FREQUENCY, MONETARY, AOV, TENURE, REPEATS, LAST_REPEAT, AGE, GAP, LATENESS, REGULARITY, TREND,
    Columns.P_ALIVE
  };

  private ChurnFeatures() {}

  /**
   * customer_id and the features of each customer of {@code features}, with P(alive) under {@code
   * model} with parameters {@code p}, then the {@code carried} columns of {@code features}.
   */
  static Dataset<Row> of(
      Dataset<Row> features, LifecycleConfig.PurchaseModel model, double[] p, int windowDays, String... carried) {
    Column x = col(Columns.BTYD_X).cast(DataTypes.DoubleType);
    // The mean gap between purchase days, in the BTYD time unit; the whole age for one purchase day
    Column gap = when(x.gt(0), col(Columns.BTYD_T_X).divide(x)).otherwise(col(Columns.BTYD_T));
    Column lateness = col(Columns.BTYD_T).minus(col(Columns.BTYD_T_X)).divide(greatest(gap, lit(1e-3)));
    List<Column> out = new ArrayList<>();
    out.add(col(Columns.CUSTOMER_ID));
    out.add(col(Columns.RECENCY_DAYS).cast(DataTypes.DoubleType).as(RECENCY));
    out.add(log1p(col(Columns.FREQUENCY).cast(DataTypes.DoubleType)).as(FREQUENCY));
    out.add(signedLog(col(Columns.MONETARY_TOTAL)).as(MONETARY));
    out.add(signedLog(col(Columns.MONETARY_AVG)).as(AOV));
    out.add(col(Columns.TENURE_DAYS).cast(DataTypes.DoubleType).as(TENURE));
    out.add(log1p(x).as(REPEATS));
    out.add(col(Columns.BTYD_T_X).as(LAST_REPEAT));
    out.add(col(Columns.BTYD_T).as(AGE));
    out.add(gap.as(GAP));
    out.add(lateness.as(LATENESS));
    out.add(CustomerIndicators.regularity(windowDays).as(REGULARITY));
    out.add(signedLog(CustomerIndicators.trend()).as(TREND));
    out.add(pAlive(model, p).apply(col(Columns.BTYD_X), col(Columns.BTYD_T_X), col(Columns.BTYD_T)).as(Columns.P_ALIVE));
    for (String name : carried) {
      out.add(col(name));
    }
    return features.select(out.toArray(Column[]::new));
  }

  private static Column signedLog(Column value) {
    return signum(value).multiply(log1p(abs(value)));
  }

  private static UserDefinedFunction pAlive(LifecycleConfig.PurchaseModel model, double[] p) {
    UDF3<Long, Double, Double, Double> alive =
        (x, tx, bigT) -> {
          double value = PurchaseProcess.of(model).probabilityAlive(p, x, tx, bigT);
          if (!Double.isFinite(value)) {
            throw new IllegalStateException(
                "P(alive) under " + model.label() + " is " + value + " for x=" + x + ", t_x=" + tx + ", T=" + bigT);
          }
          return value;
        };
    return udf(alive, DataTypes.DoubleType).asNonNullable();
  }
}
