package dev.lifecycle.spark.table;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration status rules of models.md: a customer's period at each snapshot, from the stored
 * snapshots or from {@code migration.active-days}, and the five statuses at its edges.
 */
class MigrationPeriodsTest {
  private static final LocalDate JANUARY = LocalDate.of(2024, 1, 31);
  private static final LocalDate FEBRUARY = LocalDate.of(2024, 2, 29);
  private static final LocalDate MARCH = LocalDate.of(2024, 3, 31);

  @TempDir Path dir;

  @Test
  void withoutActiveDaysEachPeriodRunsFromTheSnapshotBefore() {
    Warehouse warehouse = withScoresAt(JANUARY, FEBRUARY);

    assertThat(MigrationPeriods.of(warehouse, JANUARY, OptionalInt.empty())).isEmpty();
    // February's period has no snapshot before it: as long as March's.
    assertThat(MigrationPeriods.of(warehouse, MARCH, OptionalInt.empty()))
        .contains(new MigrationPeriods(FEBRUARY, Optional.of(JANUARY), 29, 31));
    assertThat(MigrationPeriods.of(warehouse, FEBRUARY, OptionalInt.empty()))
        .contains(new MigrationPeriods(JANUARY, Optional.empty(), 29, 29));
  }

  @Test
  void activeDaysSetsBothPeriods() {
    Warehouse warehouse = withScoresAt(JANUARY, FEBRUARY);

    assertThat(MigrationPeriods.of(warehouse, MARCH, OptionalInt.of(90)))
        .contains(new MigrationPeriods(FEBRUARY, Optional.of(JANUARY), 90, 90));
  }

  /** Active at a snapshot with period d: recency_days below d; a day more is not. */
  @Test
  void theFiveStatusesAtTheEdgesOfThePeriods() {
    MigrationPeriods periods = new MigrationPeriods(FEBRUARY, Optional.of(JANUARY), 29, 31);
    StructType schema =
        new StructType()
            .add("customer", DataTypes.StringType)
            .add("from_recency", DataTypes.IntegerType)
            .add("to_recency", DataTypes.IntegerType);
    List<Row> rows =
        List.of(
            RowFactory.create("new", null, 3),
            RowFactory.create("repeating", 28, 30),
            RowFactory.create("reactivated", 29, 30),
            RowFactory.create("lapsed", 28, 31),
            RowFactory.create("lost", 29, 31));
    Dataset<Row> customers = TestSpark.session().createDataFrame(rows, schema);

    Map<String, String> statuses = new TreeMap<>();
    for (Row row :
        customers.select(col("customer"), periods.status(col("from_recency"), col("to_recency"))).collectAsList()) {
      statuses.put(row.getString(0), row.getString(1));
    }

    Map<String, String> expected = new TreeMap<>();
    for (Row row : rows) {
      expected.put(row.getString(0), row.getString(0));
    }
    assertThat(statuses).isEqualTo(expected);
  }

  /** A warehouse whose customer_scores holds one customer at each snapshot. */
  private Warehouse withScoresAt(LocalDate... snapshots) {
    Warehouse warehouse = new ParquetWarehouse(TestSpark.session(), dir.toString());
    StructType schema = CustomerScoresTable.SPEC.schema();
    for (LocalDate snapshot : snapshots) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < schema.size(); i++) {
        values.add(schema.fields()[i].name().equals(Columns.CUSTOMER_ID) ? "c1" : null);
      }
      Dataset<Row> rows = TestSpark.session().createDataFrame(List.of(RowFactory.create(values.toArray())), schema);
      CustomerScoresTable.SPEC.replace(warehouse, rows, snapshot, rows::count);
    }
    return warehouse;
  }
}
