package dev.lifecycle.jobs.run;

import dev.lifecycle.common.config.LifecycleConfig;
import dev.lifecycle.common.io.Warehouse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
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

  /** Runs one stage under its own Spark job group, timed, with one log line when done. */
  public <T> T stage(String name, Supplier<T> work) {
    spark.sparkContext().setJobGroup(name, "lifecycle " + name + " (run " + runId + ")", false);
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      long millis = (System.nanoTime() - start) / 1_000_000;
      stageMillis.merge(name, millis, Long::sum);
      spark.sparkContext().clearJobGroup();
      LOG.info("{} done in {} s", name, String.format("%.1f", millis / 1000.0));
    }
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
}
