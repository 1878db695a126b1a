package dev.lifecycle.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.config.PeriodUnit;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The customer_features columns derived from ingest's per-customer summary, as of the snapshot:
 * recency and tenure in days, the BTYD summary in the configured time unit.
 */
public final class CustomerFeatures {
  private CustomerFeatures() {}

  /** {@code summaries} as given by {@link dev.lifecycle.jobs.ingest.IngestResult}. */
  public static Dataset<Row> derive(Dataset<Row> summaries, LocalDate asOf, PeriodUnit unit) {
    Column snapshot = lit(Date.valueOf(asOf));
    Column firstDay = to_date(col(Columns.FIRST_PURCHASE));
    Column lastDay = to_date(col(Columns.LAST_PURCHASE));
    return summaries.select(
        col(Columns.CUSTOMER_ID),
        col(Columns.FIRST_PURCHASE),
        col(Columns.LAST_PURCHASE),
        datediff(snapshot, lastDay).as(Columns.RECENCY_DAYS),
        col(Columns.FREQUENCY),
        col(Columns.MONETARY_TOTAL),
        col(Columns.MONETARY_TOTAL).divide(col(Columns.FREQUENCY)).as(Columns.MONETARY_AVG),
        datediff(snapshot, firstDay).as(Columns.TENURE_DAYS),
        col("purchase_days").minus(1).as(Columns.BTYD_X),
        datediff(lastDay, firstDay).divide(unit.days()).as(Columns.BTYD_T_X),
        datediff(snapshot, firstDay).divide(unit.days()).as(Columns.BTYD_T));
  }
}
