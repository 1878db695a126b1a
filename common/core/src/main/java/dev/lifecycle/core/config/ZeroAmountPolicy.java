package dev.lifecycle.core.config;

/** What ingest does with zero amounts. */
public enum ZeroAmountPolicy {
  /** Keep them: they count as purchases for frequency, not for spend. */
  KEEP,
  /** Leave them out, counted under the exclusion reason {@code zero_amount}. */
  EXCLUDE
}
