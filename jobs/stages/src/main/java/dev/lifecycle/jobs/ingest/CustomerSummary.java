package dev.lifecycle.jobs.ingest;

import dev.lifecycle.core.config.RetentionPeriod;
import java.util.HashSet;
import java.util.Set;

/**
 * One customer's summary, fed in time order. A purchase is a clean row with a non-negative
 * amount; a negative amount (a netted return) only lowers the spend.
 */
final class CustomerSummary {
  final CohortTally.Periods periods;
  final ValueInput value;
  final double[] windowAmounts;
  final int[] windowPurchaseDays;
  double firstDayAmount;
  double currentAmount;
  final Set<Object> orders = new HashSet<>();
  long firstMicros = Long.MAX_VALUE;
  long lastMicros = Long.MIN_VALUE;
  double amount;
  long purchases;
  long days;
  int lastDay = Integer.MIN_VALUE;
  int firstDay = Integer.MAX_VALUE;
  String segment;
  private int periodDay = Integer.MIN_VALUE;
  private int period;

  CustomerSummary(boolean tracksPeriods, ValueInput value) {
    this.periods = tracksPeriods ? new CohortTally.Periods() : null;
    this.value = value;
    this.windowAmounts = new double[value.windows()];
    this.windowPurchaseDays = new int[value.windows()];
  }

  /** The summary record of the customer with this id. */
  PassRecord.Summary record(String id) {
    return new PassRecord.Summary(
        id, firstMicros, lastMicros, orders.size(), amount, days, firstDayAmount, currentAmount, windowAmounts,
        windowPurchaseDays);
  }

  /** Adds a clean row to the periods; the segment is the one of the first purchase. */
  void tally(RetentionPeriod unit, int day, double value, String rowSegment) {
    if (day != periodDay) {
      period = unit.index(day);
      periodDay = day;
    }
    periods.add(period, value);
    if (segment == null && value >= 0) {
      segment = rowSegment;
    }
  }

  /** Rows come in time order, so the first purchase day is known when its rows arrive. */
  void add(long micros, int day, double amount, Object orderKey) {
    this.amount += amount;
    int window = value.window(day);
    if (window >= 0) {
      windowAmounts[window] += amount;
    }
    if (value.current(day)) {
      currentAmount += amount;
    }
    if (day == firstDay) {
      firstDayAmount += amount;
    }
    if (amount < 0) {
      return;
    }
    purchases++;
    if (firstDay == Integer.MAX_VALUE) {
      firstDay = day;
      firstDayAmount = amount;
    }
    firstMicros = Math.min(firstMicros, micros);
    lastMicros = Math.max(lastMicros, micros);
    orders.add(orderKey);
    if (day != lastDay) {
      days++;
      lastDay = day;
      if (window >= 0) {
        windowPurchaseDays[window]++;
      }
    }
  }
}
