package dev.lifecycle.spark.table;

import java.time.LocalDate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code clv_validation}: the backtest of each purchase model, calibrated to the snapshot and
 * compared with the holdout that follows it. One long table of row kinds ({@link Kind}), each
 * using the columns it needs and leaving the others null, so BI tools filter on {@code kind}.
 */
public final class ClvValidationTable {
  public static final Table SPEC =
      new Table(
          "clv_validation",
          "model x kind x key",
          new StructType()
              .add(Columns.MODEL, DataTypes.StringType, false)
              .add(Columns.KIND, DataTypes.StringType, false)
              .add(Columns.KEY, DataTypes.StringType, false)
              .add(Columns.PERIOD_START, DataTypes.DateType)
              .add(Columns.CUSTOMERS, DataTypes.LongType)
              .add(Columns.ACTUAL, DataTypes.DoubleType)
              .add(Columns.PREDICTED, DataTypes.DoubleType)
              .add(Columns.ACTUAL_CUMULATIVE, DataTypes.DoubleType)
              .add(Columns.PREDICTED_CUMULATIVE, DataTypes.DoubleType)
              .add(Columns.VALUE, DataTypes.DoubleType)
              .add(Columns.STATUS, DataTypes.StringType));

  /** The row kinds, by their name in the table. */
  public enum Kind {
    BY_FREQUENCY,
    TRACKING,
    P_ALIVE_DECILE,
    SPEND,
    SUMMARY;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private ClvValidationTable() {}

  /** A breakdown row: customers, mean actual and mean predicted. */
  public static Row bucket(String model, Kind kind, String key, long customers, double actual, double predicted) {
    return RowFactory.create(model, kind.label(), key, null, customers, actual, predicted, null, null, null, null);
  }

  /** A tracking row: one period's repeat purchases, actual and expected, and their running totals. */
  public static Row tracking(
      String model, int period, LocalDate start, double actual, double predicted, double actualCumulative,
      double predictedCumulative) {
    return RowFactory.create(
        model, Kind.TRACKING.label(), Integer.toString(period), java.sql.Date.valueOf(start), null, actual, predicted,
        actualCumulative, predictedCumulative, null, null);
  }

  /** A summary metric; null when it has no value (say, an error in percent of nothing). */
  public static Row metric(String model, String metric, double value) {
    return RowFactory.create(
        model, Kind.SUMMARY.label(), metric, null, null, null, null, null, null, Double.isFinite(value) ? value : null,
        null);
  }

  /** The summary row {@code status}: how the model's calibration fit ended, as clv_models words it. */
  public static Row status(String model, String status) {
    return RowFactory.create(model, Kind.SUMMARY.label(), "status", null, null, null, null, null, null, null, status);
  }
}
