package dev.lifecycle.spark.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.RowOrder;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Tables in a format with its own commit log (Iceberg, Delta): every write is one atomic commit,
 * so a snapshot is replaced by one overwrite of its partition and a failed write commits nothing.
 * Reads go through the format; only how a table is named, found and written differs.
 */
abstract class CommitLogWarehouse extends Warehouse {
  CommitLogWarehouse(SparkSession spark, String uri) {
    super(spark, uri);
  }

  /** Whether the table has been created. */
  abstract boolean exists(String table);

  /** All the table's rows, the snapshot column included. */
  abstract Dataset<Row> table(String table);

  @Override
  public Dataset<Row> readPartition(String table, LocalDate snapshot) {
    Dataset<Row> rows = exists(table) ? rows(table, snapshot) : null;
    if (rows == null || rows.isEmpty()) {
      throw LifecycleException.input(
          "Cannot read table " + tablePath(table) + ": no snapshot " + snapshot
              + " (run the stage that writes it first)",
          null);
    }
    return rows.drop(Columns.SNAPSHOT_DATE);
  }

  @Override
  public boolean hasPartition(String table, LocalDate snapshot) {
    return exists(table) && !rows(table, snapshot).isEmpty();
  }

  @Override
  public List<LocalDate> snapshots(String table) {
    if (!exists(table)) {
      return List.of();
    }
    return RowOrder.sorted(table(table).select(Columns.SNAPSHOT_DATE).distinct(), Columns.SNAPSHOT_DATE).stream()
        .map(row -> row.getDate(0).toLocalDate())
        .toList();
  }

  private Dataset<Row> rows(String table, LocalDate snapshot) {
    return table(table).where(isSnapshot(snapshot));
  }

  static Column isSnapshot(LocalDate snapshot) {
    return col(Columns.SNAPSHOT_DATE).equalTo(lit(Date.valueOf(snapshot)));
  }
}
