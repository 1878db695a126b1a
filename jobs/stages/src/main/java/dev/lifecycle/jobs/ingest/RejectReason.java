package dev.lifecycle.jobs.ingest;

/** Why a row went to {@code transactions_rejected}; checked in this order, the first one wins. */
public enum RejectReason implements Reason {
  MISSING_CUSTOMER_ID,
  MISSING_TIMESTAMP,
  UNPARSEABLE_TIMESTAMP,
  MISSING_AMOUNT,
  NON_NUMERIC_AMOUNT,
  NAN_OR_INFINITE_AMOUNT,
  AFTER_SNAPSHOT,
  DUPLICATE_ROW;
}
