package dev.lifecycle.spark.table;

import dev.lifecycle.spark.io.Warehouse;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One output table: its name, what one row is, and its columns. Every table is partitioned by
 * {@code snapshot_date}, which the warehouse adds; the schema here is the rest. Rows are written
 * and read through the spec, so a table's columns are declared once and a stage that writes
 * other columns fails at once, naming the table.
 *
 * <p>A table with {@code inputColumnsFirst} (the rejects) starts with the input's own columns, as
 * text, whatever they are; the schema is the columns that follow them.
 */
public record Table(String name, String grain, StructType schema, boolean inputColumnsFirst) {
  public Table(String name, String grain, StructType schema) {
    this(name, grain, schema, false);
  }

  /** What one write of a table's snapshot put where: the table, its URI and its rows. */
  public record Written(String table, String uri, long rows) {}

  public List<String> columns() {
    return List.of(schema.fieldNames());
  }

  /**
   * Replaces the snapshot's partition with {@code rows}, whose columns must be the spec's (in
   * order, of the spec's types); {@code rows} counts the rows written.
   */
  public Written replace(Warehouse warehouse, Dataset<Row> rows, LocalDate snapshot, LongSupplier count) {
    warehouse.replacePartition(name, conform(rows), snapshot);
    return new Written(name, warehouse.tablePath(name), count.getAsLong());
  }

  /** Replaces the snapshot's partition with rows built on the driver, in the spec's column order. */
  public Written replace(Warehouse warehouse, List<Row> rows, LocalDate snapshot) {
    warehouse.replacePartition(name, warehouse.spark().createDataFrame(rows, schema), snapshot);
    return new Written(name, warehouse.tablePath(name), rows.size());
  }

  /**
   * Empties the snapshot's partition if the table has one: a table that this run of the snapshot
   * no longer makes (an optional stage turned off) keeps no earlier run's rows for others to join.
   */
  public void clear(Warehouse warehouse, LocalDate snapshot) {
    if (has(warehouse, snapshot)) {
      replace(warehouse, List.of(), snapshot);
    }
  }

  /**
   * The snapshot's rows, without the snapshot column. A partition written by an earlier version,
   * before a column was added to the spec, reads that column as null of its type, so a run after
   * an upgrade can compare with snapshots made before it.
   */
  public Dataset<Row> read(Warehouse warehouse, LocalDate snapshot) {
    return inputColumnsFirst
        ? warehouse.readPartition(name, snapshot)
        : withEveryColumn(warehouse.readPartition(name, snapshot, schema));
  }

  /** {@code rows} with each of the spec's columns they lack, as null of its type. */
  private Dataset<Row> withEveryColumn(Dataset<Row> rows) {
    Set<String> present = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    present.addAll(Arrays.asList(rows.columns()));
    Dataset<Row> all = rows;
    for (StructField field : schema.fields()) {
      if (!present.contains(field.name())) {
        all = all.withColumn(field.name(), functions.lit(null).cast(field.dataType()));
      }
    }
    return all;
  }

  /** The snapshot's rows, if the table holds the snapshot. */
  public Optional<Dataset<Row>> readIfPresent(Warehouse warehouse, LocalDate snapshot) {
    return has(warehouse, snapshot) ? Optional.of(read(warehouse, snapshot)) : Optional.empty();
  }

  public boolean has(Warehouse warehouse, LocalDate snapshot) {
    return warehouse.hasPartition(name, snapshot);
  }

  /** The snapshot's rows, 0 if the table does not hold it. */
  public long rows(Warehouse warehouse, LocalDate snapshot) {
    return warehouse.rowCount(name, snapshot);
  }

  public Optional<LocalDate> latestSnapshot(Warehouse warehouse) {
    return warehouse.latestSnapshot(name);
  }

  /** Every snapshot the table holds, oldest first. */
  public List<LocalDate> snapshots(Warehouse warehouse) {
    return warehouse.snapshots(name);
  }

  /** The newest snapshot before a day, if the table holds one. */
  public Optional<LocalDate> latestSnapshot(Warehouse warehouse, LocalDate before) {
    return warehouse.latestSnapshot(name, before);
  }

  public String path(Warehouse warehouse) {
    return warehouse.tablePath(name);
  }

  /**
   * {@code rows}, once checked to hold the spec's columns, in order and of the spec's types. A
   * missing column, one of another type, or one the spec does not know is a bug in the stage that
   * writes the table.
   */
  Dataset<Row> conform(Dataset<Row> rows) {
    StructType actual = rows.schema();
    int leading = inputColumnsFirst ? actual.size() - schema.size() : 0;
    for (int i = 0; i < leading; i++) {
      require(actual.fields()[i].dataType().equals(DataTypes.StringType),
          "input column " + actual.fields()[i].name() + " is " + actual.fields()[i].dataType().simpleString() + ", not text");
    }
    List<String> expected = columns();
    List<String> found = Arrays.stream(actual.fieldNames()).skip(Math.max(leading, 0)).toList();
    require(leading >= 0 && found.equals(expected), "its columns are " + found + ", the spec's " + expected);
    for (int i = 0; i < schema.size(); i++) {
      StructField field = schema.fields()[i];
      StructField written = actual.fields()[leading + i];
      require(written.dataType().sameType(field.dataType()),
          "column " + field.name() + " is " + written.dataType().simpleString() + ", the spec's "
              + field.dataType().simpleString());
    }
    return rows;
  }

  private void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalStateException("Cannot write table " + name + ": " + problem);
    }
  }
}
