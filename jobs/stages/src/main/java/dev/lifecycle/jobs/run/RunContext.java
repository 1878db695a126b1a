package dev.lifecycle.jobs.run;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.spark.io.Warehouse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one invocation shares between its stages: the session, the config, the warehouse, and what
 * the run manifest will record (counts, timings, tables written).
 */
public final class RunContext {
  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  private final SparkSession spark;
  private final LifecycleConfig config;
  private final String command;
  private final String runId = UUID.randomUUID().toString();
  private final Instant startedAt = Instant.now();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Map<String, Long> stageMillis = new LinkedHashMap<>();
  private final Map<String, String> tables = new LinkedHashMap<>();
  private String report;
  private final Map<String, Object> metrics = new LinkedHashMap<>();
  private LocalDate snapshot;
  private Warehouse warehouse;

  public RunContext(SparkSession spark, LifecycleConfig config, String command) {
    this.spark = spark;
    this.config = config;
    this.command = command;
  }

  public SparkSession spark() {
    return spark;
  }

  public LifecycleConfig config() {
    return config;
  }

  public String command() {
    return command;
  }

  public String runId() {
    return runId;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Warehouse warehouse() {
    if (warehouse == null) {
      warehouse = Warehouse.of(spark, config.output(), config.requireWarehouse());
    }
    return warehouse;
  }

  public Optional<LocalDate> snapshot() {
    return Optional.ofNullable(snapshot);
  }

  public void snapshot(LocalDate snapshot) {
    this.snapshot = snapshot;
  }

  /**
   * Runs one stage under its own Spark job group (named after the stage, so the Spark UI shows
   * where the run is), timed, with one log line when it ends: its rows, in {@code unit}, and its
   * time, e.g. {@code segment done in 6.5 s: 1,000,000 customers}.
   */
  public <T> T stage(String name, String unit, Supplier<T> work, ToLongFunction<? super T> rows) {
    spark.sparkContext().setJobGroup(name, "lifecycle " + name + " (run " + runId + ")", false);
    long start = System.nanoTime();
    boolean done = false;
    try {
      T result = work.get();
      done = true;
      LOG.info(
          "{} done in {} s: {} {}", name, String.format(Locale.ROOT, "%.1f", seconds(start)),
          String.format(Locale.ROOT, "%,d", rows.applyAsLong(result)), unit);
      return result;
    } finally {
      stageMillis.merge(name, (System.nanoTime() - start) / 1_000_000, Long::sum);
      spark.sparkContext().clearJobGroup();
      if (!done) {
        LOG.info("{} failed after {} s", name, String.format(Locale.ROOT, "%.1f", seconds(start)));
      }
    }
  }

  /** A stage whose result is its count of rows, in {@code unit}. */
  public long stage(String name, String unit, Supplier<Long> work) {
    return stage(name, unit, work, Long::longValue);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Replaces the snapshot's partition of a small table with rows built on the driver. */
  public void writeTable(String table, StructType schema, List<Row> rows, LocalDate snapshot) {
    warehouse().replacePartition(table, spark.createDataFrame(rows, schema), snapshot);
    table(table, warehouse().tablePath(table), rows.size());
  }

  public void count(String name, long value) {
    counts.put(name, value);
  }

  public void table(String name, String uri, long rows) {
    tables.put(name, uri);
    counts.put(name + "_rows", rows);
    LOG.info("wrote {}: {} rows -> {}", name, rows, uri);
  }

  public Map<String, Long> counts() {
    return counts;
  }

  /** Records a model metric for the manifest: a number, text, or a list or map of them. */
  public void metric(String name, Object value) {
    metrics.put(name, value);
  }

  public Map<String, Object> metrics() {
    return metrics;
  }

  public Map<String, Long> stageMillis() {
    return stageMillis;
  }

  public Map<String, String> tables() {
    return tables;
  }

  /** Records the URI of the run's HTML report. */
  public void report(String uri) {
    report = uri;
    LOG.info("wrote the report -> {}", uri);
  }

  public Optional<String> report() {
    return Optional.ofNullable(report);
  }
}
