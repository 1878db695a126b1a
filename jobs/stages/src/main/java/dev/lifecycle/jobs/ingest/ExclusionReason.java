package dev.lifecycle.jobs.ingest;

/** Valid rows that the configured policy leaves out; counted in the manifest, not rejected. */
public enum ExclusionReason implements Reason {
  RETURN,
  ZERO_AMOUNT;
}
