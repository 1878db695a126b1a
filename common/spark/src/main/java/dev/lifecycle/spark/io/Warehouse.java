package dev.lifecycle.spark.io;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The product's tables, partitioned by {@code snapshot_date}, and the files written beside them
 * (run manifests) under one warehouse URI on any Hadoop file system. Writing a snapshot replaces
 * that partition atomically and touches no other; how depends on the table format.
 */
public abstract class Warehouse {
  protected final SparkSession spark;
  protected final Path root;
  /** The run whose lease this warehouse holds, if any, and the lease's stale time. */
  private String leaseRun;
  private Duration leaseStale = Duration.ofSeconds(300);

  protected Warehouse(SparkSession spark, String uri) {
    this.spark = spark;
    this.root = new Path(uri);
  }

  /**
   * The warehouse of the configured output format at the configured URI; exit 2 when no file
   * system on the classpath serves its scheme ({@code s3://}, or {@code s3a://} without hadoop-aws).
   */
  public static Warehouse of(SparkSession spark, LifecycleConfig.Output output, String uri) {
    try {
      return switch (output.format()) {
        case PARQUET -> new ParquetWarehouse(spark, uri);
        case ICEBERG -> new IcebergWarehouse(spark, uri, output.catalog(), output.namespace());
        case DELTA -> new DeltaWarehouse(spark, uri, output.deltaNamespace());
      };
    } catch (RuntimeException e) {
      throw unreachable(uri, e);
    }
  }

  /** A failure to open the warehouse's file system: exit 2 if its scheme has none, else as it was. */
  private static RuntimeException unreachable(String uri, RuntimeException e) {
    if (!(e instanceof LifecycleException) && FileSystemProblems.isMissingFileSystem(e)) {
      return LifecycleException.config("Cannot use warehouse " + uri + ": " + FileSystemProblems.describe(uri, e), e);
    }
    return e;
  }

  /** Where a table lives, as the run summary and the manifest show it: a URI or a table name. */
  public abstract String tablePath(String table);

  /**
   * Replaces the snapshot's partition of a table with {@code rows}, which must not carry the
   * snapshot column. A snapshot with no rows leaves no rows behind, so no stale one survives. A
   * write that fails or is killed leaves the previous partition as it was.
   */
  public abstract void replacePartition(String table, Dataset<Row> rows, LocalDate snapshot);

  /**
   * From now until {@link #publish} or {@link #discard}, replacements of the snapshot are held back
   * and published together, so a run that fails or is killed leaves none of its tables replaced.
   * Reads through this warehouse see the held rows. A run of many snapshots holds several at once
   * and publishes each when it is made. Formats that commit each table atomically on
   * its own (Iceberg) publish each replacement at once instead: there a reader sees the run's tables
   * change one by one.
   */
  public void holdWrites(LocalDate snapshot) {}

  /** Publishes the held replacements together, of every held snapshot. */
  public void publish() {}

  /** Publishes the held replacements of one snapshot together, and holds its writes no longer. */
  public void publish(LocalDate snapshot) {}

  /**
   * Drops the held replacements: the snapshot's tables stay as they were. False if nothing was
   * held, as where each table commits on its own: then what was written stays.
   */
  public boolean discard() {
    return false;
  }

  /** Appends rows carrying the snapshot column to a log-like table (the run manifest). */
  public abstract void append(String table, Dataset<Row> rows);

  /** The snapshot's rows of a table, without the snapshot column; fails if there are none. */
  public abstract Dataset<Row> readPartition(String table, LocalDate snapshot);

  /**
   * As {@link #readPartition(String, LocalDate)}, for a table whose columns should be {@code
   * expected}'s: a format that would otherwise read the schema from the files in a Spark job may
   * take it from there instead, where the files hold those columns.
   */
  public Dataset<Row> readPartition(String table, LocalDate snapshot, StructType expected) {
    return readPartition(table, snapshot);
  }

  /** Whether the table holds the snapshot. */
  public abstract boolean hasPartition(String table, LocalDate snapshot);

  /** The snapshot's rows in a table, 0 if it has none: counted by Spark unless the format can say. */
  public long rowCount(String table, LocalDate snapshot) {
    return hasPartition(table, snapshot) ? readPartition(table, snapshot).count() : 0;
  }

  /** The newest snapshot a table holds, if any. */
  public Optional<LocalDate> latestSnapshot(String table) {
    return latestSnapshot(table, LocalDate.MAX);
  }

  /** The newest snapshot before a day that a table holds, if any, counting this run's held writes. */
  public Optional<LocalDate> latestSnapshot(String table, LocalDate before) {
    List<LocalDate> snapshots = snapshots(table);
    for (int i = snapshots.size() - 1; i >= 0; i--) {
      if (snapshots.get(i).isBefore(before)) {
        return Optional.of(snapshots.get(i));
      }
    }
    return Optional.empty();
  }

  /** Every snapshot a table holds, oldest first, counting this run's held writes. */
  public abstract List<LocalDate> snapshots(String table);

  /** The session the warehouse reads and writes with. */
  public SparkSession spark() {
    return spark;
  }

  public String uri() {
    return qualified(root).toString();
  }

  /**
   * Fails with exit 2 unless the warehouse can be written: a folder that exists or can be made,
   * where a file can be created. Called before the input is read.
   */
  public void requireWritable() {
    Path probe = new Path(root, ".probe-" + UUID.randomUUID());
    try {
      requireWritable(probe);
    } catch (RuntimeException e) {
      throw unreachable(root.toString(), e);
    }
  }

  private void requireWritable(Path probe) {
    try {
      FileSystem fs = root.getFileSystem(hadoopConf());
      if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
        throw LifecycleException.config("Cannot use warehouse " + qualified(root) + ": it is a file, not a folder");
      }
      try (OutputStream out = fs.create(probe, true)) {
        out.write(0);
      }
      fs.delete(probe, false);
      for (FileStatus folder : fs.listStatus(root)) {
        String name = folder.getPath().getName();
        String clash =
            folder.isDirectory() && !name.startsWith("_") && !name.startsWith(".")
                ? formatClash(fs, folder.getPath())
                : null;
        if (clash != null) {
          throw LifecycleException.config(
              "Cannot use warehouse " + qualified(root) + ": its table " + name + " " + clash + "; set output.format"
                  + " to the warehouse's format, or use another warehouse");
        }
      }
    } catch (IOException e) {
      String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getName());
      throw LifecycleException.config("Cannot write to warehouse " + root + ": " + reason, e);
    }
  }

  /**
   * Why the table folder {@code table} cannot be written in this warehouse's format, or null: it
   * holds the other file format's table (Parquet partitions beside a Delta log make each reader
   * count wrong rows). Formats whose tables live in a catalog say null.
   */
  String formatClash(FileSystem fs, Path table) throws IOException {
    return null;
  }

  /**
   * Takes the snapshot's lease for this run (see {@link SnapshotLease}): another run of the same
   * snapshot is exit 2, naming it, or is waited for. While held, no other run's recovery touches
   * the snapshot's partitions.
   */
  public SnapshotLease lease(LocalDate snapshot, String runId, String command, LifecycleConfig.Lease config) {
    leaseStale = Duration.ofSeconds(config.staleSeconds());
    SnapshotLease lease =
        SnapshotLease.acquire(
            fileSystem(root), root, snapshot, runId, command, leaseStale, Duration.ofSeconds(config.waitSeconds()));
    leaseRun = runId;
    return lease;
  }

  /** The run whose lease this warehouse holds, if any. */
  Optional<String> leaseRun() {
    return Optional.ofNullable(leaseRun);
  }

  /** Whether another run holds a live lease on the snapshot: then its partitions are not ours to recover. */
  boolean leasedByOther(LocalDate snapshot) {
    return SnapshotLease.heldByOther(fileSystem(root), root, snapshot, String.valueOf(leaseRun), leaseStale);
  }

  /**
   * Writes a small text file under the warehouse and returns its full URI. The file appears whole
   * or not at all: it is written beside its place under a hidden name and renamed into it.
   */
  public String writeText(String relativePath, String text) {
    Path file = new Path(root, relativePath);
    try {
      FileSystem fs = file.getFileSystem(hadoopConf());
      Path temporary = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
      try (OutputStream out = fs.create(temporary, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(file, false);
      if (!fs.rename(temporary, file)) {
        throw new IOException("rename of " + temporary + " to " + file + " returned false");
      }
      return qualified(file).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + qualified(file) + ": " + e, e);
    }
  }

  FileSystem fileSystem(Path path) {
    try {
      return path.getFileSystem(hadoopConf());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach " + path + ": " + e, e);
    }
  }

  boolean exists(Path path) {
    try {
      return fileSystem(path).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach " + path + ": " + e, e);
    }
  }

  Path qualified(Path path) {
    return fileSystem(path).makeQualified(path);
  }

  org.apache.hadoop.conf.Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }
}
