package dev.lifecycle.spark.io;

import static dev.lifecycle.spark.io.FileSystemProblems.firstLine;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.LifecycleException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Tables in an Iceberg catalog, {@code <catalog>.<namespace>.<table>}, partitioned by identity on
 * {@code snapshot_date}. Replacing a snapshot is one overwrite-by-filter commit: readers see the
 * old partition or the new one, never a mix, and a killed write commits nothing.
 *
 * <p>The catalog is whatever {@code spark.sql.catalog.<catalog>} configures (REST, Hive, Glue,
 * JDBC...). When that key is not set, an Iceberg Hadoop catalog is embedded at the warehouse URI,
 * so tables live under {@code <warehouse>/<namespace>/<table>}. Run manifests are files under the
 * warehouse URI in either case.
 */
final class IcebergWarehouse extends CommitLogWarehouse {
  private static final String SPARK_CATALOG = "org.apache.iceberg.spark.SparkCatalog";

  private final String catalog;
  private final String namespace;

  IcebergWarehouse(SparkSession spark, String uri, String catalog, String namespace) {
    super(spark, uri);
    this.catalog = catalog;
    this.namespace = namespace;
    String key = "spark.sql.catalog." + catalog;
    if (!spark.conf().contains(key)) {
      spark.conf().set(key, SPARK_CATALOG);
      spark.conf().set(key + ".type", "hadoop");
      spark.conf().set(key + ".warehouse", uri());
    }
    try {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS " + quote(catalog) + "." + quote(namespace));
    } catch (Exception e) {
      throw LifecycleException.config(
          "Cannot open Iceberg catalog " + catalog + " (" + key + " = " + spark.conf().get(key)
              + ") for namespace " + namespace + ": " + firstLine(e),
          e);
    }
  }

  @Override
  public String tablePath(String table) {
    return catalog + "." + namespace + "." + table;
  }

  @Override
  public void replacePartition(String table, Dataset<Row> rows, LocalDate snapshot) {
    Dataset<Row> withSnapshot = rows.withColumn(Columns.SNAPSHOT_DATE, lit(Date.valueOf(snapshot)));
    createIfMissing(table, withSnapshot.schema());
    try {
      inTableOrder(table, withSnapshot)
          .writeTo(name(table))
          .option("merge-schema", "true")
          .overwrite(isSnapshot(snapshot));
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot replace snapshot " + snapshot + " of " + tablePath(table) + ": " + e, e);
    }
  }

  @Override
  public void append(String table, Dataset<Row> rows) {
    createIfMissing(table, rows.schema());
    try {
      inTableOrder(table, rows).writeTo(name(table)).option("merge-schema", "true").append();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot append to " + tablePath(table) + ": " + e, e);
    }
  }

  /**
   * The rows with the table's columns in the table's order, then any new ones, which the write
   * adds to the table (Iceberg takes columns by name but insists on their order). Names match as
   * Spark resolves them, so without {@code spark.sql.caseSensitive} an input column renamed only in
   * case ({@code Note}, later {@code note}) goes on filling the table's column, under its name.
   */
  private Dataset<Row> inTableOrder(String table, Dataset<Row> rows) {
    boolean caseSensitive = Boolean.parseBoolean(spark.conf().get("spark.sql.caseSensitive", "false"));
    BiPredicate<String, String> same = caseSensitive ? String::equals : String::equalsIgnoreCase;
    List<String> present = Arrays.asList(rows.columns());
    List<Column> ordered = new ArrayList<>();
    List<String> matched = new ArrayList<>();
    for (String column : table(table).columns()) {
      present.stream().filter(c -> same.test(c, column)).findFirst().ifPresent(c -> {
        ordered.add(Columns.quoted(c).as(column));
        matched.add(c);
      });
    }
    present.stream().filter(c -> !matched.contains(c)).forEach(c -> ordered.add(Columns.quoted(c)));
    return rows.select(ordered.toArray(Column[]::new));
  }

  /**
   * Creates the table empty, partitioned by snapshot, with every column optional: a later snapshot
   * may hold nulls where this one had none, or columns this one lacks.
   */
  private void createIfMissing(String table, StructType schema) {
    if (exists(table)) {
      return;
    }
    try {
      spark
          .createDataFrame(List.<Row>of(), (StructType) optional(schema))
          .writeTo(name(table))
          .partitionedBy(col(Columns.SNAPSHOT_DATE))
          .tableProperty("format-version", "2")
          .tableProperty("write.spark.accept-any-schema", "true")
          .create();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create " + tablePath(table) + ": " + e, e);
    }
  }

  @Override
  boolean exists(String table) {
    return spark.catalog().tableExists(name(table));
  }

  @Override
  Dataset<Row> table(String table) {
    return spark.table(name(table));
  }

  private String name(String table) {
    return quote(catalog) + "." + quote(namespace) + "." + quote(table);
  }

  /**
   * The type with every field optional: a later snapshot may hold nulls where the first one had
   * none.
   */
  private static DataType optional(DataType type) {
    if (type instanceof StructType struct) {
      return new StructType(
          Arrays.stream(struct.fields())
              .map(f -> new StructField(f.name(), optional(f.dataType()), true, f.metadata()))
              .toArray(StructField[]::new));
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(optional(array.elementType()), true);
    }
    if (type instanceof MapType map) {
      return new MapType(map.keyType(), optional(map.valueType()), true);
    }
    return type;
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
