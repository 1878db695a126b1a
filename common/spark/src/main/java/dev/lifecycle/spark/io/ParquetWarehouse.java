package dev.lifecycle.spark.io;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.LifecycleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Tables as Parquet folders under the warehouse URI (any Hadoop file system), one folder per table,
 * partitioned by {@code snapshot_date}. Writing a snapshot replaces that partition and touches no
 * other.
 */
public final class ParquetWarehouse extends Warehouse {
  private static final String PARTITION_PREFIX = Columns.SNAPSHOT_DATE + "=";
  /** Under the warehouse root, beside the tables: {@code _staging/<table>/staging-…} and {@code replaced-…}. */
  private static final String STAGING_ROOT = "_staging";
  private static final String STAGING = "staging-";
  private static final String REPLACED = "replaced-";

  public ParquetWarehouse(SparkSession spark, String uri) {
    super(spark, uri);
  }

  @Override
  public String tablePath(String table) {
    return qualified(new Path(root, table)).toString();
  }

  /**
   * Replaces the snapshot's partition of a table with {@code rows}, which must not carry the
   * snapshot column. A snapshot with no rows leaves no partition behind, so no stale one survives.
   *
   * <p>The rows are written in full to a staging folder under {@code _staging} at the warehouse
   * root first; only then does the partition change, by two renames: the old partition aside
   * into the staging folder's parent, the staging folder in. A run killed while writing leaves the
   * previous partition as it was. One killed between the two renames leaves the old partition
   * aside, and the next access to the snapshot through this class puts it back; leftover staging
   * folders are removed then too.
   */
  @Override
  public void replacePartition(String table, Dataset<Row> rows, LocalDate snapshot) {
    Path partition = partition(table, snapshot);
    String token = snapshot + "-" + UUID.randomUUID();
    Path staging = new Path(stagingDir(table), STAGING + token);
    Path replaced = new Path(stagingDir(table), REPLACED + token);
    FileSystem fs = fileSystem(root);
    recover(fs, table, snapshot);
    rows.write().parquet(qualified(staging).toString());
    try {
      boolean empty = !hasDataFile(fs, staging) || spark.read().parquet(qualified(staging).toString()).isEmpty();
      if (fs.exists(partition)) {
        rename(fs, partition, replaced);
      }
      if (empty) {
        fs.delete(staging, true);
      } else {
        fs.mkdirs(partition.getParent());
        rename(fs, staging, partition);
      }
      fs.delete(replaced, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot replace partition " + qualified(partition) + ": " + e, e);
    }
  }

  /**
   * Finishes what a killed {@link #replacePartition} left for this snapshot: a partition set aside
   * and not replaced goes back, one that was replaced is deleted, and staging folders go. Not
   * while another run holds the snapshot's lease: what is under way there is that run's.
   */
  private void recover(FileSystem fs, String table, LocalDate snapshot) {
    Path stagingDir = stagingDir(table);
    try {
      if (!fs.exists(stagingDir) || leasedByOther(snapshot)) {
        return; // nothing left over, or another run is writing the snapshot right now
      }
      Path partition = partition(table, snapshot);
      for (FileStatus status : fs.listStatus(stagingDir)) {
        String name = status.getPath().getName();
        if (name.startsWith(REPLACED + snapshot + "-")) {
          if (fs.exists(partition)) {
            fs.delete(status.getPath(), true);
          } else {
            rename(fs, status.getPath(), partition);
          }
        } else if (name.startsWith(STAGING + snapshot + "-")) {
          fs.delete(status.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot recover table " + table + " from " + stagingDir + ": " + e, e);
    }
  }

  private Path partition(String table, LocalDate snapshot) {
    return new Path(new Path(root, table), PARTITION_PREFIX + snapshot);
  }

  private Path stagingDir(String table) {
    return new Path(new Path(root, STAGING_ROOT), table);
  }

  private static boolean hasDataFile(FileSystem fs, Path dir) throws IOException {
    return Arrays.stream(fs.listStatus(dir)).anyMatch(status -> status.getPath().getName().startsWith("part-"));
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename of " + from + " to " + to + " returned false");
    }
  }

  /** Appends rows to a log-like table (the run manifest), partitioned by snapshot. */
  @Override
  public void append(String table, Dataset<Row> rows) {
    rows.write().mode(SaveMode.Append).partitionBy(Columns.SNAPSHOT_DATE).parquet(tablePath(table));
  }

  /** The snapshot's rows of a table, without the snapshot column; fails if there are none. */
  @Override
  public Dataset<Row> readPartition(String table, LocalDate snapshot) {
    Path partition = partition(table, snapshot);
    recover(fileSystem(root), table, snapshot);
    if (!exists(partition)) {
      throw LifecycleException.input(
          "Cannot read table " + table + ": no snapshot " + snapshot + " at " + qualified(partition)
              + " (run the stage that writes it first)",
          null);
    }
    return spark.read().parquet(qualified(partition).toString());
  }

  /** Whether the table holds the snapshot. */
  @Override
  public boolean hasPartition(String table, LocalDate snapshot) {
    recover(fileSystem(root), table, snapshot);
    return exists(partition(table, snapshot));
  }

  /** The newest snapshot a table holds, if any. */
  @Override
  public Optional<LocalDate> latestSnapshot(String table) {
    Path tableDir = new Path(root, table);
    try {
      FileSystem fs = fileSystem(tableDir);
      if (fs.exists(stagingDir(table))) {
        for (FileStatus status : fs.listStatus(stagingDir(table))) {
          String name = status.getPath().getName();
          if (name.startsWith(REPLACED)) {
            recover(fs, table, LocalDate.parse(name.substring(REPLACED.length(), REPLACED.length() + 10)));
          }
        }
      }
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
}
