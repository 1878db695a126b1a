package dev.lifecycle.jobs.ingest;

import java.io.Serializable;

/**
 * What the pass needs for the per-customer spend history behind lifecycle stages and current
 * value: the snapshot day, the length and number of the comparable windows that end at it, and
 * the trailing days of current value; the last day of the backtest's holdout, the snapshot day
 * itself when there is none; and the last day of {@code clv.purchase-model = auto}'s calibration,
 * {@link #NO_SPLIT} without it.
 */
public record ValueInput(int asOfDay, int windowDays, int windows, int currentDays, int holdoutUntilDay, int splitDay)
    implements Serializable {
  public static final int NO_SPLIT = Integer.MIN_VALUE;

  /** Whether the pass summarises each customer at the split day too. */
  boolean split() {
    return splitDay != NO_SPLIT;
  }

  /** Whether the pass tallies a holdout after the snapshot. */
  boolean holdout() {
    return holdoutUntilDay > asOfDay;
  }

  /** Whether a day after the snapshot falls in the holdout. */
  boolean inHoldout(int day) {
    return day > asOfDay && day <= holdoutUntilDay;
  }

  /** The window of a day, 0 for the oldest, windows − 1 for the one ending at the snapshot; −1 before. */
  int window(int day) {
    int back = (asOfDay - day) / windowDays;
    return back < windows ? windows - 1 - back : -1;
  }

  boolean current(int day) {
    return asOfDay - day < currentDays;
  }
}
