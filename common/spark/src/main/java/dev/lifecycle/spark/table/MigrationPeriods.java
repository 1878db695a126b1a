package dev.lifecycle.spark.table;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.table.CustomerMigrationTable.Status;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.sql.Column;

/**
 * A snapshot's previous snapshot of {@code customer_scores} ({@code from}), the one before that,
 * if stored, and the days that make a customer active at each: bought in its last {@code
 * migration.active-days} days, or else in its period, the days since the snapshot before it (for
 * the first stored, as long as the next period). The score and migration stages tell a
 * customer's status by it.
 */
public record MigrationPeriods(LocalDate from, Optional<LocalDate> beforeFrom, int daysFrom, int daysTo) {
  /** The periods of a snapshot; empty when customer_scores holds no snapshot before it. */
  public static Optional<MigrationPeriods> of(Warehouse warehouse, LocalDate snapshot, OptionalInt activeDays) {
    Optional<LocalDate> previous = CustomerScoresTable.SPEC.latestSnapshot(warehouse, snapshot);
    if (previous.isEmpty()) {
      return Optional.empty();
    }
    LocalDate from = previous.get();
    Optional<LocalDate> beforeFrom = CustomerScoresTable.SPEC.latestSnapshot(warehouse, from);
    int daysTo = activeDays.orElse(days(from, snapshot));
    int daysFrom = activeDays.orElse(beforeFrom.map(day -> days(day, from)).orElse(daysTo));
    return Optional.of(new MigrationPeriods(from, beforeFrom, daysFrom, daysTo));
  }

  private static int days(LocalDate from, LocalDate to) {
    return (int) ChronoUnit.DAYS.between(from, to);
  }

  /**
   * A customer's status from their recency at the previous snapshot (null: not a customer then)
   * and at this one; the rules are {@link MigrationPeriods}' and models.md's.
   */
  public Column status(Column fromRecency, Column toRecency) {
    Column activeTo = toRecency.lt(daysTo);
    Column activeFrom = fromRecency.lt(daysFrom);
    return when(fromRecency.isNull(), lit(Status.NEW.label()))
        .when(activeTo.and(activeFrom), lit(Status.REPEATING.label()))
        .when(activeTo, lit(Status.REACTIVATED.label()))
        .when(activeFrom, lit(Status.LAPSED.label()))
        .otherwise(lit(Status.LOST.label()));
  }
}
