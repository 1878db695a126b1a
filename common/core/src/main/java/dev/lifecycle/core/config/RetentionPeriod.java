package dev.lifecycle.core.config;

import java.time.LocalDate;

/**
 * The calendar period of acquisition cohorts and retention curves. Periods are numbered from the
 * epoch (1970-01 is month 0), so an offset between two periods is a subtraction.
 */
public enum RetentionPeriod {
  MONTH(1),
  QUARTER(3),
  YEAR(12);

  private final int months;

  RetentionPeriod(int months) {
    this.months = months;
  }

  public int perYear() {
    return 12 / months;
  }

  /** The number of the period that holds the given day. */
  public int index(LocalDate day) {
    return Math.floorDiv((day.getYear() - 1970) * 12 + day.getMonthValue() - 1, months);
  }

  /** The number of the period that holds the day with this epoch day number. */
  public int index(int epochDay) {
    return index(LocalDate.ofEpochDay(epochDay));
  }

  /** The first day of a period. */
  public LocalDate start(int index) {
    return LocalDate.of(1970, 1, 1).plusMonths((long) index * months);
  }
}
