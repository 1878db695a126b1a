package dev.lifecycle.jobs.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.table.CustomerMigrationTable;
import dev.lifecycle.spark.table.CustomerScoresTable;
import dev.lifecycle.spark.table.MigrationPeriods;
import dev.lifecycle.spark.test.TestLog;
import dev.lifecycle.spark.test.TestSpark;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationJobTest {
  @TempDir Path dir;

  /** One customer_migration row of the later snapshot, compared with {@code from}. */
  private static Row migratedFrom(LocalDate from) {
    List<Object> values = new ArrayList<>();
    for (StructField field : CustomerMigrationTable.SPEC.schema().fields()) {
      DataType type = field.dataType();
      Object value = 0.0;
      if (type.equals(DataTypes.StringType)) {
        value = "x";
      } else if (type.equals(DataTypes.DateType)) {
        value = Date.valueOf(from);
      } else if (type.equals(DataTypes.LongType)) {
        value = 0L;
      } else if (type.equals(DataTypes.IntegerType)) {
        value = 0;
      }
      values.add(value);
    }
    return RowFactory.create(values.toArray());
  }

  /** A customer_scores row: the named columns' values, every other column null. */
  private static Row score(Map<String, Object> values) {
    List<Object> row = new ArrayList<>();
    for (StructField field : CustomerScoresTable.SPEC.schema().fields()) {
      row.add(values.get(field.name()));
    }
    return RowFactory.create(row.toArray());
  }

  private static Dataset<Row> scores(Row... rows) {
    return TestSpark.session().createDataFrame(List.of(rows), CustomerScoresTable.SPEC.schema());
  }

  /**
   * The revenue of each period is the difference of the spend net of every return: under {@code
   * input.returns = exclude} monetary_total leaves returns out, net_spend does not; scores written
   * before net_spend was fall back on monetary_total. In the matrix only a new customer comes
   * from {@code (new)}: a known one without a value at the previous snapshot (no CLV, so no value
   * quadrant) keeps the null.
   */
  @Test
  void revenueIsTheDifferenceOfNetSpendAndOnlyNewCustomersComeFromNew() {
    Dataset<Row> september = scores(score(Map.of("customer_id", "a", "recency_days", 0, "monetary_total", 10.0, "net_spend", 10.0)));
    Dataset<Row> november =
        scores(
            score(Map.of("customer_id", "a", "recency_days", 0, "monetary_total", 100.0, "net_spend", 70.0, "rfm_segment", "Loyal")),
            score(Map.of("customer_id", "b", "recency_days", 0, "monetary_total", 50.0, "value_quadrant", "high_high")));
    Dataset<Row> december =
        scores(
            score(
                Map.of(
                    "customer_id", "a", "recency_days", 0, "monetary_total", 150.0, "net_spend", 110.0, "value_quadrant",
                    "low_high", "rfm_segment", "Loyal")),
            score(Map.of("customer_id", "b", "recency_days", 0, "monetary_total", 80.0, "value_quadrant", "high_high")),
            score(Map.of("customer_id", "c", "recency_days", 0, "monetary_total", 20.0, "net_spend", 20.0, "value_quadrant", "low_low")));
    LocalDate from = LocalDate.of(2025, 11, 30);
    Dataset<Row> migration =
        MigrationJob.customers(
            MigrationJob.side(december, "to_"), MigrationJob.side(november, "from_"),
            Optional.of(MigrationJob.spend(september)), new MigrationPeriods(from, Optional.of(LocalDate.of(2025, 9, 30)), 61, 31));

    assertThat(migration.collectAsList())
        .extracting(
            r -> r.getAs("customer_id") + " " + r.getAs("status") + " " + r.getAs("revenue_from") + " " + r.getAs("revenue_to"))
        .containsExactlyInAnyOrder("a repeating 60.0 40.0", "b repeating 50.0 30.0", "c new null 20.0");
    Map<String, Long> quadrants =
        MigrationJob.matrix(migration, from).stream()
            .filter(r -> r.getString(1).equals("value_quadrant"))
            .collect(Collectors.toMap(r -> r.getString(2) + " > " + r.getString(3), r -> r.getLong(4)));
    assertThat(quadrants).isEqualTo(Map.of("null > low_high", 1L, "high_high > high_high", 1L, "(new) > low_low", 1L));
  }

  /**
   * A backfill between two stored snapshots: the later one's migration still compares with the one
   * before, and the log says to run it again; once it compares with the backfill, nothing is said.
   */
  @Test
  void aSnapshotMadeBetweenTwoStoredOnesIsWarnedOf() {
    ParquetWarehouse warehouse = new ParquetWarehouse(TestSpark.session(), dir.toString());
    LocalDate december = LocalDate.of(2025, 12, 31);
    CustomerMigrationTable.SPEC.replace(warehouse, List.of(migratedFrom(LocalDate.of(2025, 9, 30))), december);
    StringWriter between = new StringWriter();
    StringWriter after = new StringWriter();

    TestLog.capturing(between, () -> { MigrationJob.warnIfInserted(warehouse, LocalDate.of(2025, 11, 30)); return null; });
    CustomerMigrationTable.SPEC.replace(warehouse, List.of(migratedFrom(LocalDate.of(2025, 11, 30))), december);
    TestLog.capturing(after, () -> { MigrationJob.warnIfInserted(warehouse, LocalDate.of(2025, 11, 30)); return null; });

    assertThat(between.toString())
        .isEqualTo(
            "WARN lifecycle: migration: snapshot 2025-11-30 lies between 2025-09-30 and 2025-12-31, whose"
                + " customer_migration and migration_matrix still compare it with 2025-09-30; run --as-of 2025-12-31"
                + " again to compare it with 2025-11-30\n");
    assertThat(after.toString()).isEmpty();
  }
}
