package dev.lifecycle.spark.io;

import static dev.lifecycle.spark.io.FileSystemProblems.firstLine;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.table.Columns;
import java.io.IOException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta tables, one folder per table under the warehouse URI ({@code <warehouse>/<table>}, its
 * commit log in {@code _delta_log}), partitioned by {@code snapshot_date}. Replacing a snapshot is
 * one commit that overwrites only that partition ({@code replaceWhere}): readers see the old
 * partition or the new one, and a write that fails or is killed commits nothing. New columns are
 * merged into the table's schema.
 *
 * <p>Delta needs its session extension and catalog from the session's start ({@link
 * #sessionSettings}). With a namespace, each folder is also registered by name in the session
 * catalog ({@code CREATE TABLE ... USING delta LOCATION ...}).
 */
public final class DeltaWarehouse extends CommitLogWarehouse {
  private static final Logger LOGGER = LoggerFactory.getLogger(DeltaWarehouse.class);
  static final String DELTA = "delta";
  private static final String LOG = "_delta_log";
  public static final String EXTENSIONS = "spark.sql.extensions";
  public static final String EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  public static final String SESSION_CATALOG = "spark.sql.catalog.spark_catalog";
  public static final String CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

  /** Where each table is registered by name, if anywhere; and the tables registered so far. */
  private final Optional<String> namespace;
  /** Stages that run side by side write from threads of their own. */
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  DeltaWarehouse(SparkSession spark, String uri, Optional<String> namespace) {
    super(spark, uri);
    this.namespace = namespace;
    requireDeltaSession(spark, "output.format = delta");
    namespace.ifPresent(
        name -> {
          try {
            spark.sql("CREATE NAMESPACE IF NOT EXISTS " + name);
          } catch (Exception e) { // Spark's own exceptions are checked ones in Java's eyes
            throw LifecycleException.config(
                "Cannot open output.delta.namespace " + name + " in the session catalog: " + firstLine(e), e);
          }
        });
  }

  /**
   * The Spark settings a session that reads or writes Delta must start with: {@code conf} with
   * Delta's extension added to {@value #EXTENSIONS} (after any set in {@code conf} or by
   * spark-submit, which {@code submitted} reads) and, unless one is set, Delta's session catalog.
   */
  public static Map<String, String> sessionSettings(Map<String, String> conf, UnaryOperator<String> submitted) {
    Map<String, String> settings = new LinkedHashMap<>(conf);
    String extensions = conf.getOrDefault(EXTENSIONS, submitted.apply(EXTENSIONS));
    if (extensions == null || extensions.isBlank()) {
      settings.put(EXTENSIONS, EXTENSION);
    } else if (Arrays.stream(extensions.split(",")).map(String::trim).noneMatch(EXTENSION::equals)) {
      settings.put(EXTENSIONS, extensions + "," + EXTENSION);
    }
    if (!conf.containsKey(SESSION_CATALOG) && submitted.apply(SESSION_CATALOG) == null) {
      settings.put(SESSION_CATALOG, CATALOG);
    }
    return settings;
  }

  /**
   * Fails with exit 2 unless the session was started with Delta's extension and catalog, which
   * Delta needs for every write and which cannot be added to a running session.
   */
  public static void requireDeltaSession(SparkSession spark, String what) {
    requireDeltaSettings(key -> spark.conf().get(key, ""), what);
  }

  /** As {@link #requireDeltaSession}, on the session's settings. */
  static void requireDeltaSettings(UnaryOperator<String> conf, String what) {
    String extensions = conf.apply(EXTENSIONS);
    String catalog = conf.apply(SESSION_CATALOG);
    if (!extensions.contains(EXTENSION) || !catalog.equals(CATALOG)) {
      throw LifecycleException.config(
          what + " needs a Spark session started with " + EXTENSIONS + " including " + EXTENSION + " and "
              + SESSION_CATALOG + " = " + CATALOG + " (this one has '" + extensions + "' and '" + catalog + "')");
    }
  }

  @Override
  public String tablePath(String table) {
    return qualified(new Path(root, table)).toString();
  }

  @Override
  public void replacePartition(String table, Dataset<Row> rows, LocalDate snapshot) {
    Dataset<Row> withSnapshot = rows.withColumn(Columns.SNAPSHOT_DATE, lit(Date.valueOf(snapshot)));
    try {
      write(withSnapshot, SaveMode.Overwrite)
          .option("replaceWhere", Columns.SNAPSHOT_DATE + " = DATE'" + snapshot + "'")
          .save(tablePath(table));
      register(table);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot replace snapshot " + snapshot + " of " + tablePath(table) + ": " + e, e);
    }
  }

  @Override
  public void append(String table, Dataset<Row> rows) {
    try {
      write(rows, SaveMode.Append).save(tablePath(table));
      register(table);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot append to " + tablePath(table) + ": " + e, e);
    }
  }

  /**
   * Registers the table's folder by name in the namespace, once: a name for BI, the folder stays
   * the table. A name already taken by another location is left alone, and said so.
   */
  private void register(String table) {
    if (namespace.isEmpty() || !registered.add(table)) {
      return;
    }
    String name = namespace.get() + ".`" + table + "`";
    String location = tablePath(table);
    spark.sql("CREATE TABLE IF NOT EXISTS " + name + " USING delta LOCATION '" + location.replace("'", "\\'") + "'");
    String registeredAt = spark.sql("DESCRIBE DETAIL " + name).select("location").first().getString(0);
    if (!qualified(new Path(registeredAt)).equals(qualified(new Path(location)))) {
      LOGGER.warn("Delta table {} is registered at {}, not at {}: left as it is", name, registeredAt, location);
    }
  }

  @Override
  String formatClash(FileSystem fs, Path table) throws IOException {
    if (fs.exists(new Path(table, LOG))) {
      return null;
    }
    for (FileStatus child : fs.listStatus(table)) {
      if (child.getPath().getName().startsWith(Columns.SNAPSHOT_DATE + "=")) {
        return "is a folder of Parquet partitions with no _delta_log, and output.format is delta";
      }
    }
    return null;
  }

  @Override
  boolean exists(String table) {
    return exists(new Path(new Path(root, table), LOG));
  }

  @Override
  Dataset<Row> table(String table) {
    return spark.read().format(DELTA).load(tablePath(table));
  }

  private org.apache.spark.sql.DataFrameWriter<Row> write(Dataset<Row> rows, SaveMode mode) {
    return rows.write()
        .format(DELTA)
        .mode(mode)
        .option("mergeSchema", "true")
        .partitionBy(Columns.SNAPSHOT_DATE);
  }
}
