package dev.lifecycle.core.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The snapshot dates of one run, from {@code snapshot.as-of} and {@code snapshot.every}: one date;
 * a comma list of dates; or a range {@code A..B} stepped by a week, a month or a quarter from
 * {@code A} to at most {@code B}. A month or quarter step from a month's last day keeps to month
 * ends (2011-01-31, 2011-02-28, 2011-03-31, …); from another day it keeps that day of the month,
 * or the month's last day when the month is shorter.
 */
public final class SnapshotDates {
  /**
   * The most snapshots one run makes: ten years of month ends, or two years and a quarter of
   * weeks. Each snapshot is a full set of per-customer tables and model fits, and the one ingest
   * pass holds every customer's summary at each of them.
   */
  public static final int MAX = 120;

  /** How a range of snapshot dates is stepped. */
  public enum Every {
    WEEK,
    MONTH,
    QUARTER
  }

  private SnapshotDates() {}

  /**
   * The dates, ascending; empty when {@code asOf} is empty (the snapshot is then the data's last
   * day). {@code invalid} makes the error for a key and a reason.
   */
  public static List<LocalDate> parse(
      Optional<String> asOf, Optional<Every> every, BiFunction<ConfigKey, String, RuntimeException> invalid) {
    if (asOf.isEmpty()) {
      if (every.isPresent()) {
        throw invalid.apply(ConfigKey.SNAPSHOT_EVERY, "steps a range of snapshots: set snapshot.as-of (--as-of) to A..B");
      }
      return List.of();
    }
    String text = asOf.get();
    int range = text.indexOf("..");
    if (range >= 0) {
      LocalDate from = date(text.substring(0, range), invalid);
      LocalDate to = date(text.substring(range + 2), invalid);
      if (every.isEmpty()) {
        throw invalid.apply(
            ConfigKey.SNAPSHOT_AS_OF, "a range needs a step: set snapshot.every (--every) to week, month or quarter");
      }
      if (to.isBefore(from)) {
        throw invalid.apply(ConfigKey.SNAPSHOT_AS_OF, "the range is empty: its end is before its start");
      }
      return stepped(from, to, every.get(), text, invalid);
    }
    if (every.isPresent()) {
      throw invalid.apply(
          ConfigKey.SNAPSHOT_EVERY, "steps a range of snapshots, but snapshot.as-of " + text + " is no range A..B");
    }
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (String part : text.split(",", -1)) {
      LocalDate date = date(part, invalid);
      if (!dates.add(date)) {
        throw invalid.apply(ConfigKey.SNAPSHOT_AS_OF, "lists " + date + " twice");
      }
    }
    checkCount(dates.size(), invalid);
    return List.copyOf(dates);
  }

  private static List<LocalDate> stepped(
      LocalDate from, LocalDate to, Every every, String text, BiFunction<ConfigKey, String, RuntimeException> invalid) {
    boolean monthEnds = from.equals(from.with(TemporalAdjusters.lastDayOfMonth()));
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; ; i++) {
      LocalDate date =
          switch (every) {
            case WEEK -> from.plusWeeks(i);
            case MONTH -> from.plusMonths(i);
            case QUARTER -> from.plusMonths(3L * i);
          };
      if (monthEnds && every != Every.WEEK) {
        date = date.with(TemporalAdjusters.lastDayOfMonth());
      }
      if (date.isAfter(to)) {
        break;
      }
      dates.add(date);
      checkCount(dates.size(), invalid);
    }
    return List.copyOf(dates);
  }

  private static void checkCount(int count, BiFunction<ConfigKey, String, RuntimeException> invalid) {
    if (count > MAX) {
      throw invalid.apply(
          ConfigKey.SNAPSHOT_AS_OF,
          "makes more than " + MAX + " snapshots, the most one run makes: split it into several runs");
    }
  }

  private static LocalDate date(String text, BiFunction<ConfigKey, String, RuntimeException> invalid) {
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw invalid.apply(
          ConfigKey.SNAPSHOT_AS_OF,
          "'" + text.trim() + "' is no date: expected YYYY-MM-DD, a comma list of dates, or a range A..B with snapshot.every");
    }
  }
}
