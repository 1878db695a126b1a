package dev.lifecycle.spark.stage;

import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What ingest's single pass hands the features and retention stages in memory, never through a
 * copy of the input in the lake. Cached until closed.
 */
public interface IngestOutput extends AutoCloseable {
  /** Columns of {@link #customerSummaries} that customer_features holds under other names or not at all. */
  String PURCHASE_DAYS = "purchase_days";
  String FIRST_DAY_AMOUNT = "first_day_amount";
  String CURRENT_AMOUNT = "current_amount";
  String WINDOW_AMOUNTS = "window_amounts";
  String HOLDOUT_PURCHASE_DAYS = "holdout_purchase_days";
  String HOLDOUT_SPEND = "holdout_spend";
  String SPLIT_PURCHASE_DAYS = "split_purchase_days";
  String SPLIT_LAST_DAY = "split_last_day";
  String AFTER_SPLIT_PURCHASE_DAYS = "after_split_purchase_days";

  /** The snapshot ingest validated against. */
  LocalDate asOf();

  /** The propensity cut the pass also summarised customers at, before the snapshot; if any. */
  Optional<LocalDate> cut();

  /**
   * One row per customer with a purchase: customer_id, first_purchase, last_purchase, frequency,
   * monetary_total, returns_total, net_spend, purchase_days, first_day_amount, current_amount, window_amounts,
   * window_purchase_days, holdout_purchase_days and holdout_spend (0 without a holdout), and for
   * {@code clv.purchase-model = auto}'s split split_purchase_days, split_last_day (an epoch day)
   * and after_split_purchase_days (0, {@code Integer.MIN_VALUE} and 0 without one).
   */
  Dataset<Row> customerSummaries();

  /**
   * With a {@link #cut}: one row per customer with a purchase by it, the columns of {@link
   * #customerSummaries} as of the cut: its windows end there, its holdout is the days from the cut
   * to the snapshot, and it has no split. Empty without.
   */
  Dataset<Row> cutSummaries();

  /**
   * With a backtest's holdout: the repeat purchase days (every purchase day of a customer but
   * their first, to the holdout's end) on each day, columns day (epoch day) and purchase_days.
   */
  Dataset<Row> repeatPurchases();

  /**
   * Customers (a count) by cohort_segment, cohort (period number), offset (last active period
   * since acquisition) and still_active: the lifetimes the retention fits need. Empty unless
   * ingest tallied cohorts.
   */
  Dataset<Row> cohortLifetimes();

  /**
   * Active customers and revenue (columns customers, revenue) by cohort_segment, cohort and
   * offset (period since acquisition). Empty unless ingest tallied cohorts.
   */
  Dataset<Row> cohortActivity();

  @Override
  void close();
}
