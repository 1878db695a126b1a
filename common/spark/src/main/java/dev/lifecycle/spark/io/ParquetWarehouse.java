package dev.lifecycle.spark.io;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.table.Columns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tables as Parquet folders under the warehouse URI (any Hadoop file system), one folder per table,
 * partitioned by {@code snapshot_date}. Writing a snapshot replaces that partition and touches no
 * other.
 *
 * <p>Every replacement is written in full to a staging folder, {@code _staging/<table>/staging-…},
 * and published by a commit: a journal, {@code _staging/_commits/<snapshot>-<id>}, listing each
 * table's staged folder is written atomically, and then each old partition is moved aside and the
 * staged one moved in. While a run {@linkplain #holdWrites holds its writes}, its tables are staged
 * and read back from staging, and all of them are published by one commit at the end of the run,
 * or none if it fails. A run killed before its journal is written leaves every table as it was; one
 * killed after is completed by the next access to the snapshot through this class (whichever run or
 * command makes it), which also removes staging folders no journal names.
 */
public final class ParquetWarehouse extends Warehouse {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetWarehouse.class);
  private static final String PARTITION_PREFIX = StagedCommits.PARTITION_PREFIX;
  private static final Pattern PARTITION = Pattern.compile(Pattern.quote(PARTITION_PREFIX) + "\\d{4}-\\d{2}-\\d{2}");
  /** In each partition a run wrote: {@code run <run id>}. */
  public static final String RUN_FILE = "_lifecycle_run";

  /**
   * The snapshots whose writes are held, each with its held tables' staged folder names (or {@link
   * StagedCommits#NO_ROWS}). Stages that run side by side write from threads of their own: this
   * and the commits are touched only under this warehouse's lock, and the rows are written outside
   * it.
   */
  private final Map<LocalDate, Map<String, String>> held = new LinkedHashMap<>();
  /** The staging folders being written now. */
  private final Set<String> writing = ConcurrentHashMap.newKeySet();

  private final StagedCommits commits;

  public ParquetWarehouse(SparkSession spark, String uri) {
    super(spark, uri);
    commits = new StagedCommits(this, fileSystem(root), root);
  }

  @Override
  String formatClash(FileSystem fs, Path table) throws IOException {
    return fs.exists(new Path(table, "_delta_log")) ? "is a Delta table (it has a _delta_log), and output.format is parquet" : null;
  }

  @Override
  public String tablePath(String table) {
    return qualified(new Path(root, table)).toString();
  }

  /**
   * Replaces the snapshot's partition of a table with {@code rows}, which must not carry the
   * snapshot column. A snapshot with no rows leaves no partition behind, so no stale one survives.
   * While the snapshot's writes are held, the rows stay staged until {@link #publish}.
   */
  @Override
  public void replacePartition(String table, Dataset<Row> rows, LocalDate snapshot) {
    FileSystem fs = fileSystem(root);
    String name = StagedCommits.stagingName(snapshot);
    synchronized (this) {
      commits.recover(snapshot, this::ours);
      writing.add(name);
    }
    Path staging = new Path(commits.stagingDir(table), name);
    boolean written = false;
    try {
      withoutDictionaries(rows).parquet(qualified(staging).toString());
      written = true;
      boolean empty = !hasRows(fs, staging);
      if (empty) {
        fs.delete(staging, true);
      } else if (leaseRun().isPresent()) {
        // Which run wrote the partition, for lineage; Spark skips files whose names start with _.
        writeText(StagedCommits.STAGING_ROOT + "/" + table + "/" + name + "/" + RUN_FILE, "run " + leaseRun().get() + "\n");
      }
      String entry = empty ? StagedCommits.NO_ROWS : name;
      synchronized (this) {
        Map<String, String> staged = held.get(snapshot);
        if (staged != null) {
          String previous = staged.put(table, entry);
          if (previous != null && !previous.equals(StagedCommits.NO_ROWS)) {
            fs.delete(new Path(commits.stagingDir(table), previous), true); // replaced twice in one run
          }
        } else {
          commits.commit(snapshot, Map.of(table, entry));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot replace partition " + qualified(commits.partition(table, snapshot)) + ": " + e, e);
    } finally {
      writing.remove(name);
      if (!written) {
        deleteQuietly(fs, staging); // a failed write's partial output; else the next access removes it
      }
    }
  }

  /**
   * The writer of a table's rows, with Parquet's dictionary encoding off for the columns whose
   * values are nearly all distinct: the customer id and the doubles (money, probabilities,
   * indices). For those the writer filled a dictionary with every value of a file and then,
   * finding it no smaller than the values, wrote them plain; a fifth of the CPU of writing
   * customer_scores went to that. The other columns (scores, labels, days, counts) keep it.
   */
  static DataFrameWriter<Row> withoutDictionaries(Dataset<Row> rows) {
    DataFrameWriter<Row> writer = rows.write();
    for (StructField field : rows.schema().fields()) {
      if (field.name().equals(Columns.CUSTOMER_ID) || field.dataType().equals(DataTypes.DoubleType)) {
        writer = writer.option("parquet.enable.dictionary#" + field.name(), "false");
      }
    }
    return writer;
  }

  @Override
  public synchronized void holdWrites(LocalDate snapshot) {
    held.put(snapshot, new LinkedHashMap<>());
  }

  @Override
  public synchronized void publish() {
    for (LocalDate snapshot : List.copyOf(held.keySet())) {
      publish(snapshot);
    }
  }

  @Override
  public synchronized void publish(LocalDate snapshot) {
    Map<String, String> staged = held.remove(snapshot);
    // Once a journal may exist, its staged folders are the next access's to publish, never discarded.
    try {
      if (staged != null && !staged.isEmpty()) {
        commits.commit(snapshot, staged);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot publish snapshot " + snapshot + " under " + uri() + ": " + e, e);
    }
  }

  @Override
  public synchronized boolean discard() {
    if (held.isEmpty()) {
      return false;
    }
    FileSystem fs = fileSystem(root);
    for (Map<String, String> staged : held.values()) {
      for (Map.Entry<String, String> entry : staged.entrySet()) {
        if (!entry.getValue().equals(StagedCommits.NO_ROWS)) {
          deleteQuietly(fs, new Path(commits.stagingDir(entry.getKey()), entry.getValue()));
        }
      }
    }
    held.clear();
    return true;
  }

  private static void deleteQuietly(FileSystem fs, Path folder) {
    try {
      fs.delete(folder, true);
    } catch (IOException e) {
      LOG.warn("Cannot remove {}: {} (the next access to its snapshot removes it)", folder, e.toString());
    }
  }

  /** Whether a staging folder is this run's: being written, or held for its commit. */
  private boolean ours(String name) {
    return writing.contains(name) || held.values().stream().anyMatch(staged -> staged.containsValue(name));
  }

  /**
   * Whether a written folder holds a row, from its data files' Parquet footers (Spark writes a
   * file with a schema and no rows for an empty result): read on the driver, a footer or a few,
   * instead of two Spark jobs per table written.
   */
  private boolean hasRows(FileSystem fs, Path dir) throws IOException {
    return footers(fs, dir).anyMatch(footer -> rows(footer) > 0);
  }

  /**
   * The footers of a folder's data files, read on the driver one at a time as the stream is
   * consumed.
   */
  private Stream<ParquetMetadata> footers(FileSystem fs, Path dir) throws IOException {
    return Arrays.stream(fs.listStatus(dir))
        .filter(status -> status.getPath().getName().startsWith("part-"))
        .map(
            status -> {
              try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(status, hadoopConf()))) {
                return reader.getFooter();
              } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the footer of " + status.getPath() + ": " + e, e);
              }
            });
  }

  private static long rows(ParquetMetadata footer) {
    return footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
  }

  /** Appends rows to a log-like table (the run manifest), partitioned by snapshot. */
  @Override
  public void append(String table, Dataset<Row> rows) {
    rows.write().mode(SaveMode.Append).partitionBy(Columns.SNAPSHOT_DATE).parquet(tablePath(table));
  }

  /** The snapshot's rows of a table, without the snapshot column; fails if there are none. */
  @Override
  public Dataset<Row> readPartition(String table, LocalDate snapshot) {
    return spark.read().parquet(partitionToRead(table, snapshot).toString());
  }

  /**
   * As {@link #readPartition(String, LocalDate)}, read with {@code expected}'s schema when the
   * first data file holds exactly its columns, by name and in order (Spark would otherwise read a
   * footer in a Spark job of its own for every read: 20 of the 154 jobs of a run of 1,500
   * customers); files of other columns (written by another version) are read with their own.
   */
  @Override
  public Dataset<Row> readPartition(String table, LocalDate snapshot, StructType expected) {
    Path folder = partitionToRead(table, snapshot);
    List<String> columns;
    try {
      columns = firstFileColumns(fileSystem(folder), folder);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the columns of " + folder, e);
    }
    boolean same = columns.equals(List.of(expected.fieldNames()));
    return (same ? spark.read().schema(expected) : spark.read()).parquet(folder.toString());
  }

  private Path partitionToRead(String table, LocalDate snapshot) {
    Optional<Path> folder = folder(table, snapshot);
    if (folder.isEmpty()) {
      throw LifecycleException.input(
          "Cannot read table " + table + ": no snapshot " + snapshot + " at " + qualified(commits.partition(table, snapshot))
              + " (run the stage that writes it first)",
          null);
    }
    return qualified(folder.get());
  }

  /** The top-level columns of a folder's first data file, from its footer; none without one. */
  private List<String> firstFileColumns(FileSystem fs, Path dir) throws IOException {
    return footers(fs, dir)
        .findFirst()
        .map(footer -> footer.getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList())
        .orElse(List.of());
  }

  /**
   * The snapshot's rows in a table, summed from its data files' footers on the driver (where a
   * count would be a Spark job of its own for every table written).
   */
  @Override
  public long rowCount(String table, LocalDate snapshot) {
    Optional<Path> folder = folder(table, snapshot);
    if (folder.isEmpty()) {
      return 0;
    }
    Path dir = qualified(folder.get());
    try {
      return footers(fileSystem(dir), dir).mapToLong(ParquetWarehouse::rows).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot count the rows of " + dir + ": " + e, e);
    }
  }

  /** Whether the table holds the snapshot. */
  @Override
  public boolean hasPartition(String table, LocalDate snapshot) {
    return folder(table, snapshot).isPresent();
  }

  /** Where the snapshot's rows of a table are: staged by this run, or the partition; none if neither. */
  private synchronized Optional<Path> folder(String table, LocalDate snapshot) {
    Map<String, String> staged = held.getOrDefault(snapshot, Map.of());
    if (staged.containsKey(table)) {
      String name = staged.get(table);
      return name.equals(StagedCommits.NO_ROWS) ? Optional.empty() : Optional.of(new Path(commits.stagingDir(table), name));
    }
    commits.recover(snapshot, this::ours);
    Path partition = commits.partition(table, snapshot);
    return exists(partition) ? Optional.of(partition) : Optional.empty();
  }

  /**
   * Every snapshot a table holds, oldest first, counting this run's held writes. Folders that are
   * not {@code snapshot_date=YYYY-MM-DD} (a copy named {@code ….bak}) are no snapshot and are
   * skipped with a warning.
   */
  @Override
  public synchronized List<LocalDate> snapshots(String table) {
    Path tableDir = new Path(root, table);
    try {
      FileSystem fs = fileSystem(tableDir);
      commits.recover(null, this::ours);
      Stream<LocalDate> onDisk = Stream.empty();
      if (fs.exists(tableDir)) {
        onDisk =
            Arrays.stream(fs.listStatus(tableDir))
                .filter(FileStatus::isDirectory)
                .map(status -> status.getPath().getName())
                .filter(name -> name.startsWith(PARTITION_PREFIX))
                .filter(ParquetWarehouse::isPartition)
                .map(name -> LocalDate.parse(name.substring(PARTITION_PREFIX.length())));
      }
      // A snapshot this run holds counts as it will be: with the staged rows, or without any.
      Stream<LocalDate> heldHere =
          held.entrySet().stream()
              .filter(e -> e.getValue().containsKey(table) && !e.getValue().get(table).equals(StagedCommits.NO_ROWS))
              .map(Map.Entry::getKey);
      return Stream.concat(onDisk.filter(day -> !held.getOrDefault(day, Map.of()).containsKey(table)), heldHere)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list table " + qualified(tableDir) + ": " + e, e);
    }
  }

  private static boolean isPartition(String name) {
    if (PARTITION.matcher(name).matches() && StagedCommits.date(name.substring(PARTITION_PREFIX.length())).isPresent()) {
      return true;
    }
    LOG.warn("Skipping folder {}: not a snapshot partition ({}YYYY-MM-DD)", name, PARTITION_PREFIX);
    return false;
  }
}
