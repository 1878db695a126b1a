package dev.lifecycle.core.config;

/** What {@code input.path} holds: Parquet files, or a Delta table's folder. */
public enum InputFormat {
  PARQUET,
  DELTA
}
