package dev.lifecycle.spark.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.size;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Behaviour indicators derived from a customer_features row that more than one stage reads (the
 * loyalty index, churn propensity): double columns, never null.
 */
public final class CustomerIndicators {
  private CustomerIndicators() {}

  /**
   * The share of the comparable windows since the first purchase with a purchase day: the
   * windows of {@code windowDays} that end at the snapshot, at most those the table keeps.
   */
  public static Column regularity(int windowDays) {
    return size(filter(col(Columns.WINDOW_PURCHASE_DAYS), days -> days.gt(0)))
        .cast(DataTypes.DoubleType)
        .divide(
            least(
                size(col(Columns.WINDOW_PURCHASE_DAYS)),
                floor(col(Columns.TENURE_DAYS).divide(windowDays)).cast(DataTypes.IntegerType).plus(1)));
  }

  /** The last window's spend minus the one before. */
  public static Column trend() {
    return element_at(col(Columns.WINDOW_SPEND), -1).minus(element_at(col(Columns.WINDOW_SPEND), -2));
  }
}
