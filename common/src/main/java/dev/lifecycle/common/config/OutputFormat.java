package dev.lifecycle.common.config;

/** The table format of the warehouse. */
public enum OutputFormat {
  PARQUET,
  ICEBERG
}
