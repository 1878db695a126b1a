package dev.lifecycle.spark.quality;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.core.config.ReturnsPolicy;
import dev.lifecycle.core.config.ZeroAmountPolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;

/**
 * Ingest's row-level checks as data, in the order they apply (a row gets the first that fails),
 * as Deequ builds checks: each a reason, what it does with the row, and when. The reject reasons
 * of {@code transactions_rejected}, the exclusion reasons, their order and the per-reason counts
 * of the manifest all come from {@link #ALL}.
 */
public final class IngestChecks {
  /** What a failed check does with a row. */
  public enum Outcome {
    /** Unusable: to transactions_rejected with the reason. */
    REJECT,
    /** Valid, left out by a policy: counted, not stored. */
    EXCLUDE
  }

  /** When a check fails for a row: a condition on its parsed columns, under the policies. */
  @FunctionalInterface
  public interface Rule {
    Column fails(Parsed row, Policies policies);
  }

  /**
   * One check: the reason it records, its outcome, when it fails (as the docs say it), and its
   * rule; {@link #DUPLICATE_ROW} has none, as ingest's pass decides it over a customer's rows.
   */
  public record Check(String reason, Outcome outcome, String failsWhen, Rule rule) {}

  public static final Check MISSING_CUSTOMER_ID =
      reject(
          "missing_customer_id", "the customer id is null, or (text ids) empty once trimmed of blanks (see below)",
          (row, p) -> row.missingId());
  public static final Check MISSING_TIMESTAMP =
      reject("missing_timestamp", "the timestamp column is null", (row, p) -> row.rawTimestamp().isNull());
  public static final Check UNPARSEABLE_TIMESTAMP =
      reject(
          "unparseable_timestamp",
          "a text timestamp is not a date `YYYY-MM-DD`, alone or followed by a time after `T` or a space (a"
              + " time alone, a year or a month alone, and blank text are rejected, not read as today or a first"
              + " day), or a typed one lies outside what a timestamp holds (a DATE in year 1,000,000)",
          (row, p) -> row.micros().isNull());
  public static final Check FUTURE_TIMESTAMP =
      reject(
          "future_timestamp", "the timestamp is after the run's start (wall-clock time): a clock or data error",
          (row, p) -> row.micros().gt(lit(ChronoUnit.MICROS.between(Instant.EPOCH, p.now()))));
  public static final Check BEFORE_EARLIEST_DATE =
      reject(
          "before_earliest_date",
          "the timestamp's day (session time zone) is before `input.earliest-date` (default 1970-01-02): a"
              + " placeholder date (such as the epoch's 1970-01-01) or a data error",
          (row, p) -> row.day().lt(lit((int) p.earliest().toEpochDay())));
  public static final Check MISSING_AMOUNT =
      reject("missing_amount", "the amount column is null", (row, p) -> row.rawAmount().isNull());
  public static final Check NON_NUMERIC_AMOUNT =
      reject(
          "non_numeric_amount",
          "the amount is not a number: text other than a decimal number such as `12.50`, `-3` or `1e3` (e.g."
              + " `abc`, blank, `1,000`, or Java's `1d` and `0x1p3`)",
          (row, p) -> row.amount().isNull());
  public static final Check NAN_OR_INFINITE_AMOUNT =
      reject(
          "nan_or_infinite_amount", "the amount is NaN, +Infinity or -Infinity",
          (row, p) -> isnan(row.amount()).or(row.amount().isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
  /**
   * The largest amount taken, in magnitude: 10^15 of any currency is no purchase, and sums of amounts
   * near a double's limit overflow to infinity.
   */
  public static final double MAX_AMOUNT = 1e15;
  public static final Check AMOUNT_OUT_OF_RANGE =
      reject(
          "amount_out_of_range", "the amount is above 10^15 or below -10^15: no purchase, and its sums would overflow",
          (row, p) -> abs(row.amount()).gt(MAX_AMOUNT));
  public static final Check DUPLICATE_ROW =
      reject(
          "duplicate_row",
          "among one customer's rows that passed the checks above, all input columns equal another row's"
              + " (only with `input.duplicates = reject`, the default)",
          null);
  public static final Check AFTER_SNAPSHOT =
      new Check(
          "after_snapshot", Outcome.EXCLUDE,
          "the timestamp's day (session time zone) is after the snapshot date, as with an earlier `--as-of`",
          (row, p) -> row.day().gt(lit((int) p.asOf().toEpochDay())));
  public static final Check RETURN =
      new Check(
          "return", Outcome.EXCLUDE, "amount < 0 and `input.returns = exclude` (the default)",
          (row, p) -> row.amount().lt(0).and(lit(p.returns() == ReturnsPolicy.EXCLUDE)));
  public static final Check ZERO_AMOUNT =
      new Check(
          "zero_amount", Outcome.EXCLUDE, "amount = 0 and `input.zero-amounts = exclude` (default `keep`)",
          (row, p) -> row.amount().equalTo(0).and(lit(p.zeroAmounts() == ZeroAmountPolicy.EXCLUDE)));

  /** Every check, in the order they apply. */
  public static final List<Check> ALL =
      List.of(
          MISSING_CUSTOMER_ID, MISSING_TIMESTAMP, UNPARSEABLE_TIMESTAMP, FUTURE_TIMESTAMP, BEFORE_EARLIEST_DATE,
          MISSING_AMOUNT,
          NON_NUMERIC_AMOUNT, NAN_OR_INFINITE_AMOUNT, AMOUNT_OUT_OF_RANGE, DUPLICATE_ROW, AFTER_SNAPSHOT, RETURN,
          ZERO_AMOUNT);

  /**
   * The columns of one input row the rules read, as ingest parses them: whether the id is missing,
   * the raw and parsed timestamp (epoch microseconds) and its day (epoch days, session time zone),
   * the raw and parsed amount.
   */
  public record Parsed(Column missingId, Column rawTimestamp, Column micros, Column day, Column rawAmount, Column amount) {}

  /** The policies, the snapshot and the run's start that the rules depend on. */
  public record Policies(
      LocalDate asOf, Instant now, LocalDate earliest, ReturnsPolicy returns, ZeroAmountPolicy zeroAmounts) {}

  private IngestChecks() {}

  private static Check reject(String reason, String failsWhen, Rule rule) {
    return new Check(reason, Outcome.REJECT, failsWhen, rule);
  }

  /** The check of a recorded reason. */
  public static Optional<Check> of(String reason) {
    return ALL.stream().filter(check -> check.reason().equals(reason)).findFirst();
  }

  /**
   * The reason of the first check of {@code outcome} whose condition holds for the row, or null:
   * the checks' conditions chained in their order.
   */
  public static Column firstFailing(Outcome outcome, Parsed row, Policies policies) {
    Column first = null;
    for (Check check : ALL) {
      if (check.outcome() == outcome && check.rule() != null) {
        Column fails = check.rule().fails(row, policies);
        first = first == null ? when(fails, check.reason()) : first.when(fails, check.reason());
      }
    }
    return first;
  }
}
