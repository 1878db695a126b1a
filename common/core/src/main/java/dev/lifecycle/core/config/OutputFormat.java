package dev.lifecycle.core.config;

/** The table format of the warehouse. */
public enum OutputFormat {
  PARQUET,
  ICEBERG,
  DELTA
}
