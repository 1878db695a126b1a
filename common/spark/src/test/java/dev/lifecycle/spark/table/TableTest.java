package dev.lifecycle.spark.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table is written only with its spec's columns, and read back through the spec. */
class TableTest {
  private static final LocalDate SNAPSHOT = LocalDate.of(2024, 1, 31);

  @TempDir Path dir;

  @Test
  void rowsWithTheSpecsColumnsAreWrittenAndCounted() {
    Warehouse warehouse = new ParquetWarehouse(TestSpark.session(), dir.toString());
    Dataset<Row> rows =
        TestSpark.session()
            .createDataFrame(
                List.of(RowFactory.create("a", 1, 2, 3), RowFactory.create("b", null, null, null)),
                CustomerSegmentsTable.SPEC.schema());

    Table.Written written = CustomerSegmentsTable.SPEC.replace(warehouse, rows, SNAPSHOT, rows::count);

    assertThat(written.table()).isEqualTo("customer_segments");
    assertThat(written.uri()).endsWith("/customer_segments");
    assertThat(written.rows()).isEqualTo(2);
    assertThat(CustomerSegmentsTable.SPEC.has(warehouse, SNAPSHOT)).isTrue();
    assertThat(CustomerSegmentsTable.SPEC.read(warehouse, SNAPSHOT).columns())
        .containsExactlyElementsOf(CustomerSegmentsTable.SPEC.columns());
    assertThat(CustomerSegmentsTable.SPEC.latestSnapshot(warehouse)).contains(SNAPSHOT);
  }

  @Test
  void aMissingOrMistypedColumnIsRefusedNamingTheTable() {
    Warehouse warehouse = new ParquetWarehouse(TestSpark.session(), dir.toString());
    StructType short_ = new StructType().add("customer_id", DataTypes.StringType).add("kmeans_segment", DataTypes.IntegerType);
    Dataset<Row> missing = TestSpark.session().createDataFrame(List.of(RowFactory.create("a", 1)), short_);
    StructType mistyped =
        new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("kmeans_segment", DataTypes.StringType)
            .add("som_node", DataTypes.IntegerType)
            .add("som_segment", DataTypes.IntegerType);
    Dataset<Row> wrong = TestSpark.session().createDataFrame(List.of(RowFactory.create("a", "1", 2, 3)), mistyped);

    assertThatThrownBy(() -> CustomerSegmentsTable.SPEC.replace(warehouse, missing, SNAPSHOT, () -> 1))
        .hasMessage(
            "Cannot write table customer_segments: its columns are [customer_id, kmeans_segment], the spec's"
                + " [customer_id, kmeans_segment, som_node, som_segment]");
    assertThatThrownBy(() -> CustomerSegmentsTable.SPEC.replace(warehouse, wrong, SNAPSHOT, () -> 1))
        .hasMessage("Cannot write table customer_segments: column kmeans_segment is string, the spec's int");
    assertThat(CustomerSegmentsTable.SPEC.has(warehouse, SNAPSHOT)).isFalse();
  }

  @Test
  void theRejectsStartWithTheInputsColumnsAsText() {
    Warehouse warehouse = new ParquetWarehouse(TestSpark.session(), dir.toString());
    StructType text =
        new StructType()
            .add("CustomerID", DataTypes.StringType)
            .add("reject_reason", DataTypes.StringType)
            .add("source_file", DataTypes.StringType);
    StructType typed =
        new StructType()
            .add("CustomerID", DataTypes.LongType)
            .add("reject_reason", DataTypes.StringType)
            .add("source_file", DataTypes.StringType);

    Table.Written written =
        TransactionsRejectedTable.SPEC.replace(
            warehouse, TestSpark.session().createDataFrame(List.of(RowFactory.create("17850", "missing_amount", "f")), text),
            SNAPSHOT, () -> 1);
    assertThat(written.rows()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                TransactionsRejectedTable.SPEC.replace(
                    warehouse, TestSpark.session().createDataFrame(List.of(RowFactory.create(1L, "r", "f")), typed),
                    SNAPSHOT, () -> 1))
        .hasMessage("Cannot write table transactions_rejected: input column CustomerID is bigint, not text");
  }

  @Test
  void everyTableHasItsOwnNameAndNoSnapshotColumnInItsSpec() {
    assertThat(Tables.ALL.stream().map(Table::name)).doesNotHaveDuplicates().hasSize(22);
    for (Table table : Tables.ALL) {
      assertThat(table.columns()).as(table.name()).doesNotContain(Columns.SNAPSHOT_DATE).isNotEmpty();
    }
  }
}
