package dev.lifecycle.common.io;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.LifecycleException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The tables under one warehouse URI (any Hadoop file system), Parquet, partitioned by
 * {@code snapshot_date}. Writing a snapshot replaces that partition and touches no other.
 */
public final class Warehouse {
  private static final String PARTITION_PREFIX = Columns.SNAPSHOT_DATE + "=";

  private final SparkSession spark;
  private final Path root;

  public Warehouse(SparkSession spark, String uri) {
    this.spark = spark;
    this.root = new Path(uri);
  }

  public String uri() {
    return qualified(root).toString();
  }

  public String tablePath(String table) {
    return qualified(new Path(root, table)).toString();
  }

  /**
   * Replaces the snapshot's partition of a table with {@code rows}, which must not carry the
   * snapshot column. A snapshot with no rows leaves no partition behind, so no stale one survives.
   */
  public void replacePartition(String table, Dataset<Row> rows, LocalDate snapshot) {
    Path partition = new Path(new Path(root, table), PARTITION_PREFIX + snapshot);
    try {
      FileSystem fs = partition.getFileSystem(hadoopConf());
      if (fs.exists(partition) && !fs.delete(partition, true)) {
        throw new IOException("delete returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot replace partition " + partition + ": " + e, e);
    }
    rows.withColumn(Columns.SNAPSHOT_DATE, functions.lit(java.sql.Date.valueOf(snapshot)))
        .write()
        .mode(SaveMode.Append)
        .partitionBy(Columns.SNAPSHOT_DATE)
        .parquet(tablePath(table));
  }

  /** Appends rows to a log-like table (the run manifest), partitioned by snapshot. */
  public void append(String table, Dataset<Row> rows) {
    rows.write().mode(SaveMode.Append).partitionBy(Columns.SNAPSHOT_DATE).parquet(tablePath(table));
  }

  /** The snapshot's rows of a table, without the snapshot column; fails if there are none. */
  public Dataset<Row> readPartition(String table, LocalDate snapshot) {
    Path partition = new Path(new Path(root, table), PARTITION_PREFIX + snapshot);
    if (!exists(partition)) {
      throw LifecycleException.input(
          "Cannot read table " + table + ": no snapshot " + snapshot + " at " + qualified(partition)
              + " (run the stage that writes it first)",
          null);
    }
    return spark.read().parquet(qualified(partition).toString());
  }

  /** Whether the table holds the snapshot. */
  public boolean hasPartition(String table, LocalDate snapshot) {
    return exists(new Path(new Path(root, table), PARTITION_PREFIX + snapshot));
  }

  /** The newest snapshot a table holds, if any. */
  public Optional<LocalDate> latestSnapshot(String table) {
    Path tableDir = new Path(root, table);
    try {
      FileSystem fs = tableDir.getFileSystem(hadoopConf());
      if (!fs.exists(tableDir)) {
        return Optional.empty();
      }
      return Arrays.stream(fs.listStatus(tableDir))
          .filter(FileStatus::isDirectory)
          .map(status -> status.getPath().getName())
          .filter(name -> name.startsWith(PARTITION_PREFIX))
          .map(name -> LocalDate.parse(name.substring(PARTITION_PREFIX.length())))
          .max(Comparator.naturalOrder());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list table " + qualified(tableDir) + ": " + e, e);
    }
  }

  /** Writes a small text file under the warehouse and returns its full URI. */
  public String writeText(String relativePath, String text) {
    Path file = new Path(root, relativePath);
    try {
      FileSystem fs = file.getFileSystem(hadoopConf());
      try (OutputStream out = fs.create(file, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return qualified(file).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + qualified(file) + ": " + e, e);
    }
  }

  private boolean exists(Path path) {
    try {
      return path.getFileSystem(hadoopConf()).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach " + path + ": " + e, e);
    }
  }

  private Path qualified(Path path) {
    try {
      return path.getFileSystem(hadoopConf()).makeQualified(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach " + path + ": " + e, e);
    }
  }

  private org.apache.hadoop.conf.Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }
}
