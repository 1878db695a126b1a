package dev.lifecycle.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.config.PeriodUnit;
import dev.lifecycle.jobs.ingest.Transactions;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-customer summary as of the snapshot, in one aggregation over the clean rows. A purchase is
 * a row with a non-negative amount; negative amounts (returns, when netted) lower spend only.
 */
public final class CustomerFeatures {
  private CustomerFeatures() {}

  public static Dataset<Row> summarize(Dataset<Row> clean, LocalDate asOf, PeriodUnit unit) {
    Column purchase = col(Transactions.AMOUNT).geq(0);
    Column snapshot = lit(Date.valueOf(asOf));
    Dataset<Row> perCustomer =
        clean
            .groupBy(col(Transactions.CUSTOMER).as(Columns.CUSTOMER_ID))
            .agg(
                min(when(purchase, col(Transactions.TS))).as(Columns.FIRST_PURCHASE),
                max(when(purchase, col(Transactions.TS))).as(Columns.LAST_PURCHASE),
                size(collect_set(when(purchase, col(Transactions.ORDER_KEY))))
                    .cast("long")
                    .as(Columns.FREQUENCY),
                sum(col(Transactions.AMOUNT)).as(Columns.MONETARY_TOTAL),
                size(collect_set(when(purchase, to_date(col(Transactions.TS)))))
                    .as("purchase_days"))
            .where(col(Columns.FIRST_PURCHASE).isNotNull());
    Column firstDay = to_date(col(Columns.FIRST_PURCHASE));
    Column lastDay = to_date(col(Columns.LAST_PURCHASE));
    return perCustomer.select(
        col(Columns.CUSTOMER_ID),
        col(Columns.FIRST_PURCHASE),
        col(Columns.LAST_PURCHASE),
        datediff(snapshot, lastDay).as(Columns.RECENCY_DAYS),
        col(Columns.FREQUENCY),
        col(Columns.MONETARY_TOTAL),
        col(Columns.MONETARY_TOTAL).divide(col(Columns.FREQUENCY)).as(Columns.MONETARY_AVG),
        datediff(snapshot, firstDay).as(Columns.TENURE_DAYS),
        col("purchase_days").minus(1).cast("long").as(Columns.BTYD_X),
        datediff(lastDay, firstDay).divide(unit.days()).as(Columns.BTYD_T_X),
        datediff(snapshot, firstDay).divide(unit.days()).as(Columns.BTYD_T));
  }
}
