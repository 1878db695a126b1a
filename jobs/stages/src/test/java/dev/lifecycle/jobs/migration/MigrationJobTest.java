package dev.lifecycle.jobs.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.table.CustomerMigrationTable;
import dev.lifecycle.spark.test.TestLog;
import dev.lifecycle.spark.test.TestSpark;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
