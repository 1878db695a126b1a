package dev.lifecycle.core.config;

/**
 * What ingest does with identical rows of one customer (all input columns equal). Without an order
 * id two identical rows may be two real purchases, as in the CDNOW data, where a customer can buy
 * the same CD twice on one day.
 */
public enum DuplicatePolicy {
  /** Keep one copy; reject the others with the reason {@code duplicate_row}. */
  REJECT,
  /** Keep every copy as a transaction of its own. */
  KEEP
}
