package dev.lifecycle.jobs.score;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.clv.CustomerValue;
import dev.lifecycle.common.lifecycle.LifecycleStages;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Adds to each customer's RFM columns the model scores (P(alive), expected purchases and spend,
 * CLV; null without fitted models), current value, lifecycle stage and pattern.
 */
final class CustomerScorer implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** The feature columns the scorer reads, after the RFM columns, in this order. */
  static final String[] INPUTS = {
    Columns.BTYD_X, Columns.BTYD_T_X, Columns.BTYD_T, Columns.REPEAT_VALUE_AVG, Columns.CURRENT_SPEND,
    Columns.WINDOW_SPEND, Columns.WINDOW_PURCHASE_DAYS, Columns.TENURE_DAYS
  };

  private final int rfmColumns;
  private final int recencyAt;
  private final CustomerValue value;
  private final LifecycleStages stages;
  private final double margin;

  /** {@code value} is null when there are no fitted purchase models. */
  CustomerScorer(
      int rfmColumns, int recencyAt, CustomerValue value, LifecycleStages stages, double margin) {
    this.rfmColumns = rfmColumns;
    this.recencyAt = recencyAt;
    this.value = value;
    this.stages = stages;
    this.margin = margin;
  }

  static StructType outputSchema(StructType rfm) {
    return rfm.add(Columns.P_ALIVE, DataTypes.DoubleType)
        .add(Columns.EXPECTED_PURCHASES, DataTypes.DoubleType)
        .add(Columns.EXPECTED_SPEND, DataTypes.DoubleType)
        .add(Columns.CLV, DataTypes.DoubleType)
        .add(Columns.CURRENT_VALUE, DataTypes.DoubleType)
        .add(Columns.LIFECYCLE_STAGE, DataTypes.StringType, false)
        .add(Columns.LIFECYCLE_PATTERN, DataTypes.StringType, false);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        return score(rows.next());
      }
    };
  }

  private Row score(Row row) {
    int at = rfmColumns;
    double x = row.getLong(at);
    double tx = row.getDouble(at + 1);
    double bigT = row.getDouble(at + 2);
    double repeatValue = row.isNullAt(at + 3) ? Double.NaN : row.getDouble(at + 3);
    double currentSpend = row.getDouble(at + 4);
    List<Double> spend = row.getList(at + 5);
    List<Integer> purchaseDays = row.getList(at + 6);
    int tenure = row.getInt(at + 7);
    int recency = row.getInt(recencyAt);

    CustomerValue.Score score = value == null ? null : value.score(x, tx, bigT, repeatValue);
    double pAlive = score == null ? Double.NaN : score.pAlive();
    LifecycleStages.Result stage =
        stages.classify(
            spend.stream().mapToDouble(Double::doubleValue).toArray(),
            purchaseDays.stream().mapToInt(Integer::intValue).toArray(),
            tenure, recency, (long) x + 1, pAlive);

    List<Object> out = new ArrayList<>(rfmColumns + 7);
    for (int i = 0; i < rfmColumns; i++) {
      out.add(row.get(i));
    }
    out.add(finiteOrNull(pAlive));
    out.add(score == null ? null : finiteOrNull(score.expectedPurchases()));
    out.add(score == null ? null : finiteOrNull(score.expectedSpend()));
    out.add(score == null ? null : finiteOrNull(score.clv()));
    out.add(margin * currentSpend);
    out.add(stage.stage());
    out.add(stage.pattern());
    return RowFactory.create(out.toArray());
  }

  /** A value the models could not give (no spend model, q &lt;= 1) is null, never NaN. */
  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
