package dev.lifecycle.jobs.ingest;

import java.io.Serializable;

/**
 * One snapshot the pass summarises customers at: its spend windows and day, its cohort tally
 * (null when no tally is wanted), and its propensity cut's windows, whose holdout runs to the
 * snapshot (null when no summary at a cut is wanted).
 */
record SnapshotInput(ValueInput value, CohortInput cohorts, ValueInput cut) implements Serializable {
  /** The snapshot's epoch day. */
  int day() {
    return value.asOfDay();
  }
}
