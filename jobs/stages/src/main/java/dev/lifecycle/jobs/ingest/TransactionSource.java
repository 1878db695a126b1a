package dev.lifecycle.jobs.ingest;

import static dev.lifecycle.spark.io.FileSystemProblems.firstLine;
import static dev.lifecycle.spark.io.FileSystemProblems.rootCause;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.InputFormat;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.LifecycleConfig.InputColumns;
import dev.lifecycle.spark.io.DeltaWarehouse;
import dev.lifecycle.spark.io.FileSystemProblems;
import dev.lifecycle.spark.table.RunManifestTable.InputRead;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Opens the transactions input, Parquet files, a Delta table's folder or a catalog table, and
 * checks what makes it unusable as a whole: a missing path or table, files that are not Parquet, a
 * version that does not exist, a mapped column that is missing or has a type that cannot be cast.
 * Each gives one line naming the path, table or column (exit 3). An Iceberg or Delta input is read
 * at one version, which the manifest records, so a re-run can read the same data.
 */
public final class TransactionSource {
  private static final String ICEBERG = "iceberg";
  private static final String DELTA = "delta";

  private TransactionSource() {}

  /**
   * The opened input: its rows, the column naming each row's data file with the files it can
   * name, and what was read.
   */
  public record Opened(Dataset<Row> raw, SourceFiles files, InputRead read) {
    Opened withRows(Dataset<Row> rows) {
      return new Opened(rows, files, read);
    }
  }

  /**
   * How a row's data file is named: by the file source's {@code _metadata.file_path}, by Iceberg's
   * {@code _file}, or, where the format names no files, by the table's name; and every name the
   * column can hold (spelt as the column spells it).
   */
  public record SourceFiles(Kind kind, List<String> paths) {
    public enum Kind {
      FILE_METADATA,
      ICEBERG_FILE,
      TABLE_NAME
    }

    Column path(Dataset<Row> raw) {
      return switch (kind) {
        case FILE_METADATA -> raw.metadataColumn("_metadata").getField("file_path");
        case ICEBERG_FILE -> raw.metadataColumn("_file");
        case TABLE_NAME -> lit(paths.get(0));
      };
    }

    /** The data files read; none where the format names none. */
    long count() {
      return kind == Kind.TABLE_NAME ? 0 : paths.size();
    }
  }

  public static Opened open(SparkSession spark, LifecycleConfig.Input input, InputColumns columns) {
    Opened opened =
        input.table().isPresent()
            ? openTable(spark, input.table().get(), input.version().or(input::snapshotId))
            : input.format() == InputFormat.DELTA
                ? openDelta(spark, input.path().orElseThrow(), input.version())
                : openParquet(spark, input.path().orElseThrow());
    String name = opened.read().source();
    StructType schema = opened.raw().schema();
    for (String column : schema.fieldNames()) {
      if (Transactions.isReserved(column)) {
        throw LifecycleException.input(
            "Cannot use input " + name + ": its column name '" + column + "' is reserved for ingest",
            null);
      }
    }
    requireColumn(schema, columns.customerId(), "customer id", name, TransactionSource::isIdType);
    requireColumn(schema, columns.timestamp(), "timestamp", name, TransactionSource::isTimeType);
    requireColumn(schema, columns.amount(), "amount", name, TransactionSource::isAmountType);
    columns
        .orderId()
        .ifPresent(
            column -> requireColumn(schema, column, "order id", name, TransactionSource::isIdType));
    return opened;
  }

  private static Opened openParquet(SparkSession spark, String uri) {
    requireFiles(spark, uri, true);
    Dataset<Row> raw;
    try {
      // The union of every file's columns by name, not the first file's: results must not depend
      // on file names. Types that differ between files fail here (exit 3).
      raw = spark.read().option("mergeSchema", "true").parquet(uri);
    } catch (Exception e) { // Spark's own exceptions are checked ones in Java's eyes
      if (e instanceof LifecycleException known) {
        throw known;
      }
      String conflict = String.valueOf(rootCause(e).getMessage()).contains("CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE")
          ? typeConflict(spark, uri)
          : null;
      throw LifecycleException.input(
          "Cannot read input " + uri + (conflict != null ? ": " + conflict : " as Parquet: " + failure(e)), e);
    }
    return new Opened(raw, listedFiles(raw), new InputRead(uri, "parquet", null));
  }

  /** Spark's name for a file it failed to read: "... while reading file file:/in/part-1.parquet. ..." */
  private static final Pattern FAILED_FILE =
      Pattern.compile("reading file (\\S+?)\\.?(\\s|$)");

  /**
   * Why reading the input failed, in one line: the root cause, after the file it failed on when
   * Spark names one that the cause does not (a corrupt footer or page in one file of many).
   */
  static String failure(Throwable e) {
    String cause = firstLine(rootCause(e));
    return failedRead(e)
        .map(read -> FAILED_FILE.matcher(String.valueOf(read.getMessage())))
        .filter(file -> file.find() && !cause.contains(file.group(1)))
        .map(file -> "file " + file.group(1) + ": " + cause)
        .orElse(cause);
  }

  /** Spark's FAILED_READ_FILE error among {@code e}'s causes: one of the input's files is unreadable. */
  static Optional<Throwable> failedRead(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkThrowable spark
          && spark.getCondition() != null
          && spark.getCondition().startsWith("FAILED_READ_FILE")) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** A Delta table's folder, at the pinned version or the newest, which is then pinned. */
  private static Opened openDelta(SparkSession spark, String uri, Optional<Long> pinned) {
    DeltaWarehouse.requireDeltaSession(spark, "input.format = delta");
    requireFiles(spark, uri, false);
    Path log = new Path(uri, "_delta_log");
    try {
      if (!log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log)) {
        throw LifecycleException.input(
            "Cannot open input " + uri + ": not a Delta table (no _delta_log folder; input.format = delta)", null);
      }
    } catch (IOException e) {
      throw LifecycleException.input("Cannot open input " + uri + ": " + FileSystemProblems.describe(uri, e), e);
    }
    long version = version(spark, "delta.`" + uri.replace("`", "``") + "`", uri, pinned);
    Dataset<Row> raw =
        atVersion(uri, version, () -> spark.read().format(DELTA).option("versionAsOf", version).load(uri));
    return new Opened(raw, listedFiles(raw), new InputRead(uri, DELTA, String.valueOf(version)));
  }

  /**
   * A table in a Spark catalog. Iceberg and Delta tables are read at the pinned version (an
   * Iceberg snapshot id, a Delta version) or the current one, which is then pinned.
   */
  private static Opened openTable(SparkSession spark, String table, Optional<Long> pinned) {
    boolean exists;
    try {
      exists = spark.catalog().tableExists(table);
    } catch (Exception e) { // an unknown catalog, say; Spark's exceptions are checked ones in Java's eyes
      throw LifecycleException.input("Cannot open input table " + table + ": " + firstLine(rootCause(e)), e);
    }
    if (!exists) {
      throw LifecycleException.input(
          "Cannot open input table " + table + ": no such table (is its catalog set with spark.sql.catalog.*?)", null);
    }
    String provider = provider(spark, table);
    if (provider.equals(ICEBERG)) {
      long snapshot = icebergSnapshot(spark, table, pinned);
      Dataset<Row> raw =
          atVersion(table, snapshot, () -> spark.read().option("versionAsOf", String.valueOf(snapshot)).table(table));
      List<String> files =
          spark.read().option("versionAsOf", String.valueOf(snapshot)).table(table + ".data_files")
              .select("file_path").as(Encoders.STRING()).collectAsList();
      return new Opened(
          raw, new SourceFiles(SourceFiles.Kind.ICEBERG_FILE, files), new InputRead(table, ICEBERG, String.valueOf(snapshot)));
    }
    if (provider.equals(DELTA)) {
      DeltaWarehouse.requireDeltaSession(spark, "A Delta input.table");
      long version = version(spark, table, table, pinned);
      Dataset<Row> raw =
          atVersion(table, version, () -> spark.read().option("versionAsOf", String.valueOf(version)).table(table));
      return new Opened(raw, listedFiles(raw), new InputRead(table, DELTA, String.valueOf(version)));
    }
    if (pinned.isPresent()) {
      throw LifecycleException.input(
          "Cannot pin input table " + table + " to a version: it is a " + provider + " table, which has none", null);
    }
    Dataset<Row> raw = spark.read().table(table);
    SourceFiles files = listedFiles(raw);
    return new Opened(
        raw,
        files.paths().isEmpty() ? new SourceFiles(SourceFiles.Kind.TABLE_NAME, List.of(table)) : files,
        new InputRead(table, provider, null));
  }

  /** The input's files as the file source's {@code _metadata.file_path} spells them. */
  private static SourceFiles listedFiles(Dataset<Row> raw) {
    return new SourceFiles(
        SourceFiles.Kind.FILE_METADATA, Arrays.stream(raw.inputFiles()).map(Transactions::asMetadataPath).toList());
  }

  /** The table's provider as the catalog reports it (iceberg, delta, parquet, hive...), lower case. */
  private static String provider(SparkSession spark, String table) {
    return spark.sql("DESCRIBE TABLE EXTENDED " + table).collectAsList().stream()
        .filter(row -> "Provider".equals(row.getString(0)))
        .map(row -> row.getString(1).trim().toLowerCase(Locale.ROOT))
        .findFirst()
        .orElse("unknown");
  }

  /** A Delta table's newest version, or the pinned one, which must exist. */
  private static long version(SparkSession spark, String sqlName, String name, Optional<Long> pinned) {
    long newest = spark.sql("DESCRIBE HISTORY " + sqlName + " LIMIT 1").select("version").first().getLong(0);
    if (pinned.isPresent() && pinned.get() > newest) {
      throw LifecycleException.input(
          "Cannot open input " + name + ": no version " + pinned.get() + " (its newest is " + newest + ")", null);
    }
    return pinned.orElse(newest);
  }

  /** An Iceberg table's current snapshot id, or the pinned one, which must exist. */
  private static long icebergSnapshot(SparkSession spark, String table, Optional<Long> pinned) {
    List<Long> snapshots =
        spark.sql("SELECT snapshot_id FROM " + table + ".history WHERE is_current_ancestor ORDER BY made_current_at")
            .as(Encoders.LONG()).collectAsList();
    if (snapshots.isEmpty()) {
      throw LifecycleException.input("Cannot open input table " + table + ": it has no snapshot (no data was ever written)", null);
    }
    long current = snapshots.get(snapshots.size() - 1);
    if (pinned.isPresent()
        && spark.sql("SELECT 1 FROM " + table + ".snapshots WHERE snapshot_id = " + pinned.get()).isEmpty()) {
      throw LifecycleException.input(
          "Cannot open input table " + table + ": no snapshot id " + pinned.get() + " (its current one is " + current + ")",
          null);
    }
    return pinned.orElse(current);
  }

  /** Reads the input at a version; a version the format cannot read (cleaned up, say) is exit 3. */
  private static Dataset<Row> atVersion(String name, long version, Supplier<Dataset<Row>> read) {
    try {
      return read.get();
    } catch (Exception e) { // Spark's own exceptions are checked ones in Java's eyes
      throw LifecycleException.input(
          "Cannot read input " + name + " at version " + version + ": " + firstLine(rootCause(e)), e);
    }
  }

  /**
   * Which column has two types, and in which files: read file by file, as the merge that failed
   * does not say. Null if the files cannot be told apart that way.
   */
  private static String typeConflict(SparkSession spark, String uri) {
    try {
      String[] files = spark.read().parquet(uri).inputFiles();
      Arrays.sort(files);
      Map<String, String[]> seen = new HashMap<>(); // column -> {type, file}
      for (String file : files) {
        for (StructField field : spark.read().parquet(file).schema().fields()) {
          String type = field.dataType().simpleString();
          String[] first = seen.putIfAbsent(field.name(), new String[] {type, file});
          if (first != null && !first[0].equals(type)) {
            return "column '" + field.name() + "' is " + first[0] + " in " + first[1] + " but " + type + " in " + file
                + " (a column's type must be the same in every file)";
          }
        }
      }
      return null;
    } catch (Exception e) { // Spark's own exceptions are checked ones in Java's eyes
      return null;
    }
  }

  /** The input column that splits cohorts into segments: any column whose values have a text. */
  public static void requireAttribute(Dataset<Row> raw, String name, String uri) {
    requireColumn(
        raw.schema(),
        name,
        "cohort attribute (retention.cohort-attribute)",
        uri,
        type -> type instanceof org.apache.spark.sql.types.AtomicType);
  }

  /**
   * That the input names data files. {@code parquetFolders}: as Spark reads a folder of Parquet
   * files, where only partition folders ({@code name=value}) are read below the top; a Delta
   * table's own layout (random prefixes, deletion vectors) is its log's business.
   */
  private static void requireFiles(SparkSession spark, String uri, boolean parquetFolders) {
    FileStatus[] matches;
    try {
      Path path = new Path(uri);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      matches = fs.globStatus(path);
    } catch (IOException | RuntimeException e) {
      throw LifecycleException.input("Cannot open input " + uri + ": " + FileSystemProblems.describe(uri, e), e);
    }
    if (matches == null || matches.length == 0) {
      throw LifecycleException.input("Cannot open input " + uri + ": no such file or folder", null);
    }
    boolean data = false;
    for (FileStatus match : matches) {
      data |= scan(spark, match, uri, parquetFolders);
    }
    if (!data) {
      throw LifecycleException.input("Cannot open input " + uri + ": it holds no data files", null);
    }
  }

  /**
   * Whether a file, or a folder at any depth, holds a data file (names starting with {@code _} or
   * {@code .} are not data). Spark reads only the partition folders ({@code region=EU/}) of a
   * folder that has them and skips data files beside them without a word, so such a folder is
   * refused, naming the files. With {@code parquetFolders}, so is a folder whose data lies in a
   * sub-folder that is no partition folder ({@code 2024/}, {@code backfill/}): Spark skips that
   * too, or finds no file at all; and a Delta table's folder.
   */
  private static boolean scan(SparkSession spark, FileStatus status, String uri, boolean parquetFolders) {
    if (!status.isDirectory()) {
      return true;
    }
    Path folder = status.getPath();
    try {
      FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      List<String> files = new ArrayList<>();
      boolean partitions = false;
      boolean data = false;
      for (FileStatus child : fs.listStatus(folder)) {
        String name = child.getPath().getName();
        if (parquetFolders && child.isDirectory() && name.equals("_delta_log")) {
          // Read as Parquet, every file the table ever had counts: deleted and replaced rows too.
          throw LifecycleException.input(
              "Cannot read input " + uri + " as Parquet: folder " + folder + " is a Delta table (it has a _delta_log),"
                  + " whose files include deleted and replaced rows; set input.format = delta",
              null);
        }
        if (name.startsWith("_") || name.startsWith(".")) {
          continue;
        }
        if (child.isDirectory()) {
          boolean partition = name.contains("=");
          boolean held = scan(spark, child, uri, parquetFolders);
          if (held && !partition && parquetFolders) {
            throw LifecycleException.input(
                "Cannot read input " + uri + ": folder " + folder + " has data files in its sub-folder " + name
                    + ", which is not a partition folder (name=value) and which Spark would skip; list the"
                    + " folders with a glob (" + new Path(folder, "*") + ") or move the files",
                null);
          }
          partitions |= partition;
          data |= held;
        } else {
          files.add(name);
        }
      }
      if (partitions && !files.isEmpty()) {
        throw LifecycleException.input(
            "Cannot read input " + uri + ": folder " + folder + " has data files beside its partition folders ("
                + String.join(", ", files.subList(0, Math.min(3, files.size())))
                + (files.size() > 3 ? ", ..." : "") + "), which Spark would skip; move them into a partition folder",
            null);
      }
      return data || !files.isEmpty();
    } catch (IOException e) {
      throw LifecycleException.input("Cannot list input " + folder + ": " + e, e);
    }
  }

  private static void requireColumn(
      StructType schema,
      String name,
      String role,
      String uri,
      java.util.function.Predicate<DataType> castable) {
    StructField field =
        Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst().orElse(null);
    if (field == null) {
      throw LifecycleException.input(
          "Cannot find the "
              + role
              + " column '"
              + name
              + "' in input "
              + uri
              + " (columns: "
              + String.join(", ", schema.fieldNames())
              + ")",
          null);
    }
    if (!castable.test(field.dataType())) {
      throw LifecycleException.input(
          "Cannot use column '"
              + name
              + "' of input "
              + uri
              + " as the "
              + role
              + ": type "
              + field.dataType().simpleString()
              + " cannot be cast",
          null);
    }
  }

  static boolean isIdType(DataType type) {
    return type == DataTypes.StringType
        || type == DataTypes.IntegerType
        || type == DataTypes.LongType
        || type == DataTypes.ShortType
        || type == DataTypes.ByteType
        || type instanceof DecimalType decimal && decimal.scale() == 0;
  }

  static boolean isTimeType(DataType type) {
    return type == DataTypes.TimestampType
        || type == DataTypes.TimestampNTZType
        || type == DataTypes.DateType
        || type == DataTypes.StringType;
  }

  static boolean isAmountType(DataType type) {
    return type instanceof org.apache.spark.sql.types.NumericType || type == DataTypes.StringType;
  }
}
