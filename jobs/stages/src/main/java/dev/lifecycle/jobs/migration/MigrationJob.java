package dev.lifecycle.jobs.migration;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.core.cluster.ExactTotals;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerMigrationTable;
import dev.lifecycle.spark.table.CustomerScoresTable;
import dev.lifecycle.spark.table.MigrationMatrixTable;
import dev.lifecycle.spark.table.MigrationPeriods;
import dev.lifecycle.spark.table.Table;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How customers moved between the previous snapshot of {@code customer_scores} and this one:
 * {@code customer_migration} (each customer's status and from/to values) and {@code
 * migration_matrix} (their counts, spend and CLV per dimension). A customer is active at a
 * snapshot when they bought in its period ({@link MigrationPeriods}). Then a customer of this
 * snapshot is
 *
 * <ul>
 *   <li>{@code new}: not a customer at the previous snapshot (first purchase since);
 *   <li>{@code repeating}: active at both;
 *   <li>{@code reactivated}: active now, not at the previous snapshot;
 *   <li>{@code lapsed}: active at the previous snapshot, not now;
 *   <li>{@code lost}: active at neither.
 * </ul>
 *
 * Without a previous snapshot there is nothing to compare: the snapshot's partitions of both
 * tables are emptied, so none of an earlier run survives.
 */
public final class MigrationJob {
  /** The previous snapshot compared with (none without one), its customers, and the tables written. */
  public record Result(Optional<LocalDate> from, long customers, List<Table.Written> tables)
      implements StageResult.OfCustomers {}

  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  private MigrationJob() {}

  public static Result run(StageContext context, LocalDate snapshot) {
    Warehouse warehouse = context.warehouse();
    warnIfInserted(warehouse, snapshot);
    Optional<MigrationPeriods> found =
        MigrationPeriods.of(warehouse, snapshot, context.config().migration().activeDays());
    if (found.isEmpty()) {
      return new Result(
          Optional.empty(), 0,
          List.of(
              CustomerMigrationTable.SPEC.replace(warehouse, List.of(), snapshot),
              MigrationMatrixTable.SPEC.replace(warehouse, List.of(), snapshot)));
    }
    MigrationPeriods periods = found.get();
    LocalDate from = periods.from();
    Dataset<Row> migration =
        customers(
            side(CustomerScoresTable.SPEC.read(warehouse, snapshot), "to_"),
            side(CustomerScoresTable.SPEC.read(warehouse, from), "from_"),
            periods.beforeFrom().map(day -> spend(CustomerScoresTable.SPEC.read(warehouse, day))),
            periods);
    Table.Written customers =
        CustomerMigrationTable.SPEC.replace(
            warehouse, migration, snapshot, () -> CustomerMigrationTable.SPEC.rows(warehouse, snapshot));
    Dataset<Row> written = CustomerMigrationTable.SPEC.read(warehouse, snapshot);
    List<Row> matrix = matrix(written, from);
    Table.Written matrixWritten = MigrationMatrixTable.SPEC.replace(warehouse, matrix, snapshot);
    return new Result(Optional.of(from), customers.rows(), List.of(customers, matrixWritten));
  }

  /**
   * A snapshot made between two stored ones (a backfill): the later one's migration still compares
   * it with the one before, over a period that now overlaps this one's. Said, not redone: only a
   * run of the later snapshot rewrites its tables.
   */
  static void warnIfInserted(Warehouse warehouse, LocalDate snapshot) {
    Optional<LocalDate> next =
        CustomerMigrationTable.SPEC.snapshots(warehouse).stream().filter(day -> day.isAfter(snapshot)).findFirst();
    if (next.isEmpty()) {
      return;
    }
    List<Row> from =
        CustomerMigrationTable.SPEC.read(warehouse, next.get()).select(CustomerMigrationTable.FROM_SNAPSHOT).limit(1)
            .collectAsList();
    if (!from.isEmpty() && !from.get(0).isNullAt(0) && from.get(0).getDate(0).toLocalDate().isBefore(snapshot)) {
      LOG.warn(
          "migration: snapshot {} lies between {} and {}, whose customer_migration and migration_matrix still compare"
              + " it with {}; run --as-of {} again to compare it with {}",
          snapshot, from.get(0).getDate(0), next.get(), from.get(0).getDate(0), next.get(), snapshot);
    }
  }

  /** The running total the revenue columns difference: the spend net of every return, whatever {@code input.returns}. */
  private static final String SPEND = "spend";

  /**
   * A customer's spend to a snapshot, net of every return: {@code net_spend}, or for scores
   * written before that column was, {@code monetary_total} (which under {@code input.returns =
   * exclude} left returns out).
   */
  private static Column netSpend() {
    return coalesce(col(Columns.NET_SPEND), col(Columns.MONETARY_TOTAL));
  }

  /** A snapshot's scores, their columns prefixed. */
  static Dataset<Row> side(Dataset<Row> scores, String prefix) {
    List<Column> columns = new ArrayList<>();
    columns.add(col(Columns.CUSTOMER_ID));
    columns.add(col(Columns.RECENCY_DAYS).as(prefix + Columns.RECENCY_DAYS));
    columns.add(netSpend().as(prefix + SPEND));
    columns.add(col(Columns.CLV).as(prefix + Columns.CLV));
    for (String dimension : CustomerMigrationTable.DIMENSIONS) {
      columns.add(col(dimension).as(prefix + dimension));
    }
    return scores.select(columns.toArray(Column[]::new));
  }

  static Dataset<Row> spend(Dataset<Row> scores) {
    return scores.select(col(Columns.CUSTOMER_ID), netSpend().as("before_" + SPEND));
  }

  /**
   * Every customer of this snapshot with their status: the statuses as the class says, the spend
   * in each period the difference of the running totals (null for the previous snapshot's period
   * when no snapshot before it is stored).
   */
  static Dataset<Row> customers(
      Dataset<Row> to, Dataset<Row> from, Optional<Dataset<Row>> beforeFrom, MigrationPeriods periods) {
    Dataset<Row> joined = to.join(from, to.col(Columns.CUSTOMER_ID).equalTo(from.col(Columns.CUSTOMER_ID)), "left")
        .drop(from.col(Columns.CUSTOMER_ID));
    Column spentBefore = lit(null).cast(DataTypes.DoubleType);
    if (beforeFrom.isPresent()) {
      Dataset<Row> before = beforeFrom.get();
      joined =
          joined.join(before, joined.col(Columns.CUSTOMER_ID).equalTo(before.col(Columns.CUSTOMER_ID)), "left")
              .drop(before.col(Columns.CUSTOMER_ID));
      spentBefore = coalesce(col("before_" + SPEND), lit(0.0));
    }
    Column known = col("from_" + Columns.RECENCY_DAYS).isNotNull();
    Column status = periods.status(col("from_" + Columns.RECENCY_DAYS), col("to_" + Columns.RECENCY_DAYS));
    List<Column> columns = new ArrayList<>();
    columns.add(col(Columns.CUSTOMER_ID));
    columns.add(lit(Date.valueOf(periods.from())).as(CustomerMigrationTable.FROM_SNAPSHOT));
    columns.add(status.as(CustomerMigrationTable.STATUS));
    for (String dimension : CustomerMigrationTable.DIMENSIONS) {
      columns.add(col("from_" + dimension));
      columns.add(col("to_" + dimension));
    }
    Column spentFrom = col("from_" + SPEND);
    columns.add(when(known, spentFrom.minus(spentBefore)).as(CustomerMigrationTable.REVENUE_FROM));
    columns.add(col("to_" + SPEND).minus(coalesce(spentFrom, lit(0.0))).as(CustomerMigrationTable.REVENUE_TO));
    columns.add(col("from_" + Columns.CLV).as(CustomerMigrationTable.CLV_FROM));
    columns.add(col("to_" + Columns.CLV).as(CustomerMigrationTable.CLV_TO));
    return joined.select(columns.toArray(Column[]::new));
  }

  /**
   * The matrix rows of every dimension and of the status, from the written migration: one pass
   * over its rows, each counted in its (dimension, from, to) cell of every dimension. Spend and
   * CLV are {@linkplain ExactTotals exact sums}, so the matrix does not depend on how the
   * migration's files split into partitions; the rows are in the order of dimension, from and to,
   * each null first.
   */
  static List<Row> matrix(Dataset<Row> migration, LocalDate from) {
    // Per dimension its from value (new for a customer not at the previous snapshot; a customer who
    // was, but had no value there, keeps the null) and its to value as text, then the status, the
    // spend and the CLV.
    Column isNew = col(CustomerMigrationTable.STATUS).equalTo(CustomerMigrationTable.Status.NEW.label());
    List<Column> columns = new ArrayList<>();
    for (String dimension : CustomerMigrationTable.DIMENSIONS) {
      columns.add(when(isNew, lit(MigrationMatrixTable.NEW)).otherwise(col("from_" + dimension).cast(DataTypes.StringType)));
      columns.add(col("to_" + dimension).cast(DataTypes.StringType));
    }
    columns.add(col(CustomerMigrationTable.STATUS));
    columns.add(col(CustomerMigrationTable.REVENUE_TO));
    columns.add(col(CustomerMigrationTable.CLV_TO));
    Map<List<String>, ExactTotals.Totals> totals =
        migration
            .select(columns.toArray(Column[]::new))
            .toJavaRDD()
            .treeAggregate(
                new ExactTotals<List<String>>(2),
                (sums, row) -> {
                  String[] dimensions = CustomerMigrationTable.DIMENSIONS;
                  int status = 2 * dimensions.length;
                  Double revenue = (Double) row.get(status + 1);
                  Double clv = (Double) row.get(status + 2);
                  for (int i = 0; i < dimensions.length; i++) {
                    sums.add(Arrays.asList(dimensions[i], row.getString(2 * i), row.getString(2 * i + 1)), revenue, clv);
                  }
                  return sums.add(
                      Arrays.asList(MigrationMatrixTable.STATUS_DIMENSION, null, row.getString(status)), revenue, clv);
                },
                ExactTotals::merge)
            .totals();
    Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.comparing(UTF8String::fromString));
    Comparator<List<String>> order =
        Comparator.comparing((List<String> key) -> key.get(0), nullsFirst)
            .thenComparing(key -> key.get(1), nullsFirst)
            .thenComparing(key -> key.get(2), nullsFirst);
    return totals.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(order))
        .map(
            cell -> {
              List<String> key = cell.getKey();
              ExactTotals.Totals sums = cell.getValue();
              return RowFactory.create(
                  Date.valueOf(from), key.get(0), key.get(1), key.get(2), sums.count(), sums.sums()[0], sums.sums()[1]);
            })
        .toList();
  }
}
