package dev.lifecycle.jobs.ingest;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig.InputColumns;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Opens the transactions input and checks what makes it unusable as a whole: a missing path, files
 * that are not Parquet, a mapped column that is missing or has a type that cannot be cast. Each
 * gives one line naming the path or column (exit 3).
 */
public final class TransactionSource {
  private TransactionSource() {}

  public static Dataset<Row> open(SparkSession spark, String uri, InputColumns columns) {
    requireFiles(spark, uri);
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
          "Cannot read input " + uri + (conflict != null ? ": " + conflict : " as Parquet: " + firstLine(rootCause(e))),
          e);
    }
    StructType schema = raw.schema();
    for (String name : schema.fieldNames()) {
      if (Transactions.isReserved(name)) {
        throw LifecycleException.input(
            "Cannot use input " + uri + ": its column name '" + name + "' is reserved for ingest",
            null);
      }
    }
    requireColumn(schema, columns.customerId(), "customer id", uri, TransactionSource::isIdType);
    requireColumn(schema, columns.timestamp(), "timestamp", uri, TransactionSource::isTimeType);
    requireColumn(schema, columns.amount(), "amount", uri, TransactionSource::isAmountType);
    columns
        .orderId()
        .ifPresent(
            name -> requireColumn(schema, name, "order id", uri, TransactionSource::isIdType));
    return raw;
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

  private static void requireFiles(SparkSession spark, String uri) {
    FileStatus[] matches;
    try {
      Path path = new Path(uri);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      matches = fs.globStatus(path);
    } catch (IOException | RuntimeException e) {
      throw LifecycleException.input("Cannot open input " + uri + ": " + fileSystemProblem(uri, e), e);
    }
    if (matches == null || matches.length == 0) {
      throw LifecycleException.input("Cannot open input " + uri + ": no such file or folder", null);
    }
    boolean data = false;
    for (FileStatus match : matches) {
      data |= scan(spark, match, uri);
    }
    if (!data) {
      throw LifecycleException.input("Cannot open input " + uri + ": it holds no data files", null);
    }
  }

  /**
   * Whether a file, or a folder at any depth, holds a data file (names starting with {@code _} or
   * {@code .} are not data). Spark reads only the partition folders ({@code region=EU/}) of a
   * folder that has them and skips data files beside them without a word, so such a folder is
   * refused, naming the files.
   */
  private static boolean scan(SparkSession spark, FileStatus status, String uri) {
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
        if (name.startsWith("_") || name.startsWith(".")) {
          continue;
        }
        if (child.isDirectory()) {
          partitions |= name.contains("=");
          data |= scan(spark, child, uri);
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

  /**
   * Why a path's file system cannot be reached, in a user's words: a scheme with no file system on
   * the classpath (such as {@code s3a} without hadoop-aws), a path that is not a URI, or the
   * file system's own first line.
   */
  static String fileSystemProblem(String uri, Throwable e) {
    Throwable root = rootCause(e);
    if (e instanceof UnsupportedFileSystemException || root instanceof ClassNotFoundException) {
      String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")) : uri;
      return "no file system for scheme '" + scheme + "' on the classpath (add its Hadoop connector, e.g."
          + " hadoop-aws for s3a, to the jars)";
    }
    if (root instanceof URISyntaxException) {
      return "not a path or URI (" + firstLine(root) + ")";
    }
    return firstLine(e);
  }

  static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
