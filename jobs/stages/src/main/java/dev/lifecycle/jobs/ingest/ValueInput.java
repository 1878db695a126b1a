package dev.lifecycle.jobs.ingest;

import java.io.Serializable;

/**
 * What the pass needs for the per-customer spend history behind lifecycle stages and current
 * value: the snapshot day, the length and number of the comparable windows that end at it, and
 * the trailing days of current value.
 */
public record ValueInput(int asOfDay, int windowDays, int windows, int currentDays)
    implements Serializable {
  /** The window of a day, 0 for the oldest, windows − 1 for the one ending at the snapshot; −1 before. */
  int window(int day) {
    int back = (asOfDay - day) / windowDays;
    return back < windows ? windows - 1 - back : -1;
  }

  boolean current(int day) {
    return asOfDay - day < currentDays;
  }
}
