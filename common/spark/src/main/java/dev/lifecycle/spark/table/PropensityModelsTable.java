package dev.lifecycle.spark.table;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code propensity_models}: one row per churn model of the snapshot (the perceptron, logistic
 * regression and the baseline 1 − P(alive)), compared on held-out customers at the cut: AUC, log
 * loss, lift and capture in the top decile, calibration by decile and the ROC curve; and which
 * one scored {@code customer_churn}.
 */
public final class PropensityModelsTable {
  public static final String MLP = "mlp";
  public static final String LOGISTIC_REGRESSION = "logistic_regression";
  public static final String BASELINE = "baseline_p_alive";

  private static final ArrayType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, false);

  public static final Table SPEC =
      new Table(
          "propensity_models",
          "churn model",
          new StructType()
              .add(Columns.MODEL, DataTypes.StringType, false)
              .add(Columns.STATUS, DataTypes.StringType, false)
              .add(Columns.SELECTED, DataTypes.BooleanType, false)
              .add("cut_date", DataTypes.DateType)
              .add("horizon_days", DataTypes.IntegerType, false)
              .add("train_customers", DataTypes.LongType)
              .add("test_customers", DataTypes.LongType)
              .add("test_churn_rate", DataTypes.DoubleType)
              .add("auc", DataTypes.DoubleType)
              .add("log_loss", DataTypes.DoubleType)
              .add("top_decile_lift", DataTypes.DoubleType)
              .add("top_decile_capture", DataTypes.DoubleType)
              .add("decile_mean_probability", DOUBLES)
              .add("decile_churn_rate", DOUBLES)
              .add("roc_false_positive_rate", DOUBLES)
              .add("roc_true_positive_rate", DOUBLES)
              .add("settings", DataTypes.StringType)
              .add("seconds", DataTypes.DoubleType));

  /** One model's row; the checks are null for a model loaded with {@code propensity.model-in}. */
  public record Model(
      String model,
      String status,
      boolean selected,
      LocalDate cut,
      int horizonDays,
      Long trainCustomers,
      Long testCustomers,
      Double testChurnRate,
      Double auc,
      Double logLoss,
      Double topDecileLift,
      Double topDecileCapture,
      double[] decileMeanProbability,
      double[] decileChurnRate,
      double[] rocFalsePositiveRate,
      double[] rocTruePositiveRate,
      String settings,
      Double seconds) {
    public Row toRow() {
      return RowFactory.create(
          model, status, selected, cut == null ? null : Date.valueOf(cut), horizonDays, trainCustomers, testCustomers,
          testChurnRate, auc, logLoss, topDecileLift, topDecileCapture, decileMeanProbability, decileChurnRate,
          rocFalsePositiveRate, rocTruePositiveRate, settings, seconds);
    }

    public Model selected(boolean chosen) {
      return new Model(
          model, status, chosen, cut, horizonDays, trainCustomers, testCustomers, testChurnRate, auc, logLoss,
          topDecileLift, topDecileCapture, decileMeanProbability, decileChurnRate, rocFalsePositiveRate,
          rocTruePositiveRate, settings, seconds);
    }
  }

  private PropensityModelsTable() {}
}
