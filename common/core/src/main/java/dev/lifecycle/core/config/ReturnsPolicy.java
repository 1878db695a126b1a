package dev.lifecycle.core.config;

/** What ingest does with negative amounts (returns, cancellations). */
public enum ReturnsPolicy {
  /** Keep them: they reduce the customer's spend but never count as a purchase. */
  NET,
  /** Leave them out, counted under the exclusion reason {@code return}. */
  EXCLUDE
}
