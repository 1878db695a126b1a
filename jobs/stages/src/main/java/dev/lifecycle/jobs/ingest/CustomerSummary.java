package dev.lifecycle.jobs.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One customer's summary, fed in time order. A purchase is a clean row with a non-negative
 * amount; a negative amount (a netted return) only lowers the spend. Returns left out ({@code
 * input.returns = exclude}) change no purchase and no spend, but count in the returns and the net
 * spend.
 */
final class CustomerSummary {
  final ValueInput value;
  final double[] windowAmounts;
  final int[] windowPurchaseDays;
  double firstDayAmount;
  double currentAmount;
  /** Distinct orders among the purchases added (the pass tells which purchase starts an order). */
  long orders;
  long firstMicros = Long.MAX_VALUE;
  long lastMicros = Long.MIN_VALUE;
  double amount;
  /** The value of the returns, netted or left out, as a positive number. */
  double returns;
  /** The returns left out of {@link #amount}, as a positive number. */
  private double excludedReturns;
  long purchases;
  long days;
  int lastDay = Integer.MIN_VALUE;
  int firstDay = Integer.MAX_VALUE;
  /** Holdout purchase days and spend (days after the snapshot, up to the holdout's end). */
  long holdoutDays;
  double holdoutSpend;
  private int lastHoldoutDay = Integer.MIN_VALUE;
  /** The repeat purchase days, calibration and holdout, when the pass tracks a holdout; else null. */
  final List<Integer> repeatDays;
  /**
   * At the split of {@code clv.purchase-model = auto}: the purchase days up to it and the last of
   * them, and the purchase days after it to the snapshot of a customer acquired by then.
   */
  long splitDays;
  int splitLastDay = ValueInput.NO_SPLIT;
  long afterSplitDays;
  /** The window of the day last added: a customer's rows come in time order, many on one day. */
  private int windowDay = Integer.MIN_VALUE;
  private int window;

  CustomerSummary(ValueInput value) {
    this.value = value;
    this.windowAmounts = new double[value.windows()];
    this.windowPurchaseDays = new int[value.windows()];
    this.repeatDays = value.holdout() ? new ArrayList<>() : null;
  }

  /** The summary record of the customer with this id, at the snapshot of this epoch day. */
  PassRecord.Summary record(UTF8String id, int snapshotDay) {
    return new PassRecord.Summary(
        snapshotDay, id, firstMicros, lastMicros, orders, amount, returns, amount - excludedReturns, days, firstDayAmount,
        currentAmount, windowAmounts, windowPurchaseDays, holdoutDays, holdoutSpend, splitDays, splitLastDay,
        afterSplitDays);
  }

  /** A return left out of the spend ({@code input.returns = exclude}): a negative amount. */
  void addExcludedReturn(double amount) {
    returns -= amount;
    excludedReturns -= amount;
  }

  /**
   * A clean row of the holdout, after every row of the calibration (rows come in time order). Only
   * a customer with a calibration purchase has a holdout; a negative amount only lowers its spend.
   */
  void addHoldout(int day, double amount) {
    if (purchases == 0) {
      return;
    }
    holdoutSpend += amount;
    if (amount >= 0 && day != lastHoldoutDay) {
      holdoutDays++;
      repeatDays.add(day);
      lastHoldoutDay = day;
    }
  }

  /**
   * Rows come in time order, so the first purchase day is known when its rows arrive. {@code
   * newOrder}: the row is a purchase whose order no earlier purchase of the customer had.
   */
  void add(long micros, int day, double amount, boolean newOrder) {
    this.amount += amount;
    if (day != windowDay) {
      window = value.window(day);
      windowDay = day;
    }
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
      returns -= amount;
      return;
    }
    purchases++;
    if (firstDay == Integer.MAX_VALUE) {
      firstDay = day;
      firstDayAmount = amount;
    }
    firstMicros = Math.min(firstMicros, micros);
    lastMicros = Math.max(lastMicros, micros);
    if (newOrder) {
      orders++;
    }
    if (day != lastDay) {
      days++;
      if (repeatDays != null && lastDay != Integer.MIN_VALUE) {
        repeatDays.add(day);
      }
      if (value.split()) {
        if (day <= value.splitDay()) {
          splitDays++;
          splitLastDay = day;
        } else if (splitDays > 0) {
          afterSplitDays++;
        }
      }
      lastDay = day;
      if (window >= 0) {
        windowPurchaseDays[window]++;
      }
    }
  }
}
