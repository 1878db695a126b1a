package dev.lifecycle.spark.stage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.config.PeriodUnit;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The customer_features columns derived from ingest's per-customer summary, as of the snapshot:
 * recency and tenure in days, the returns and the spend net of them, the BTYD summary in the configured time unit, the mean value of the
 * repeat purchase days (for the spend model), the spend of the trailing current-value days, and
 * the spend and purchase days per comparable window, oldest first (for lifecycle stages).
 */
public final class CustomerFeatures {
  private CustomerFeatures() {}

  /**
   * {@code summaries} as {@link IngestOutput#customerSummaries} gives them; {@code split} is the
   * last day of {@code clv.purchase-model = auto}'s calibration, when it is set; {@code more}
   * columns of the summaries follow the features'.
   */
  public static Dataset<Row> derive(
      Dataset<Row> summaries, LocalDate asOf, PeriodUnit unit, Optional<LocalDate> split, Column... more) {
    Column snapshot = lit(Date.valueOf(asOf));
    Column firstDay = to_date(col(Columns.FIRST_PURCHASE));
    Column lastDay = to_date(col(Columns.LAST_PURCHASE));
    // The BTYD summary at the split of a customer acquired by then, and their purchase days after it
    Column atSplit = col(IngestOutput.SPLIT_PURCHASE_DAYS).gt(0);
    Column splitDay = lit(split.map(Date::valueOf).orElse(null)).cast(DataTypes.DateType);
    List<Column> columns =
        new ArrayList<>(
            List.of(
        col(Columns.CUSTOMER_ID),
        col(Columns.FIRST_PURCHASE),
        col(Columns.LAST_PURCHASE),
        datediff(snapshot, lastDay).as(Columns.RECENCY_DAYS),
        col(Columns.FREQUENCY),
        col(Columns.MONETARY_TOTAL),
        col(Columns.MONETARY_TOTAL).divide(col(Columns.FREQUENCY)).as(Columns.MONETARY_AVG),
        col(Columns.RETURNS_TOTAL),
        col(Columns.NET_SPEND),
        datediff(snapshot, firstDay).as(Columns.TENURE_DAYS),
        col(IngestOutput.PURCHASE_DAYS).minus(1).as(Columns.BTYD_X),
        datediff(lastDay, firstDay).divide(unit.days()).as(Columns.BTYD_T_X),
        datediff(snapshot, firstDay).divide(unit.days()).as(Columns.BTYD_T),
        when(col(IngestOutput.PURCHASE_DAYS).gt(1),
                col(Columns.MONETARY_TOTAL).minus(col(IngestOutput.FIRST_DAY_AMOUNT)).divide(col(IngestOutput.PURCHASE_DAYS).minus(1)))
            .as(Columns.REPEAT_VALUE_AVG),
        col(IngestOutput.CURRENT_AMOUNT).as(Columns.CURRENT_SPEND),
        col(IngestOutput.WINDOW_AMOUNTS).as(Columns.WINDOW_SPEND),
        col(Columns.WINDOW_PURCHASE_DAYS),
        when(atSplit, col(IngestOutput.SPLIT_PURCHASE_DAYS).minus(1)).as(Columns.SPLIT_BTYD_X),
        when(atSplit, datediff(date_from_unix_date(col(IngestOutput.SPLIT_LAST_DAY)), firstDay).divide(unit.days()))
            .as(Columns.SPLIT_BTYD_T_X),
        when(atSplit, datediff(splitDay, firstDay).divide(unit.days())).as(Columns.SPLIT_BTYD_T),
        when(atSplit, col(IngestOutput.AFTER_SPLIT_PURCHASE_DAYS)).as(Columns.SPLIT_HOLDOUT_PURCHASES)));
    columns.addAll(Arrays.asList(more));
    return summaries.select(columns.toArray(Column[]::new));
  }
}
