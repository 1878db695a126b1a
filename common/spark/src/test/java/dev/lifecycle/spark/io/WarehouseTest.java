package dev.lifecycle.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseTest {
  private static final LocalDate DAY1 = LocalDate.of(2024, 1, 31);
  private static final LocalDate DAY2 = LocalDate.of(2024, 2, 29);

  @TempDir Path dir;

  private final SparkSession spark = TestSpark.session();

  private Dataset<Row> ids(String... ids) {
    return spark.createDataset(List.of(ids), Encoders.STRING()).toDF("customer_id");
  }

  @Test
  void replacingASnapshotLeavesOtherSnapshotsAlone() {
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    warehouse.replacePartition("t", ids("a", "b"), DAY1);
    warehouse.replacePartition("t", ids("c"), DAY2);

    warehouse.replacePartition("t", ids("d"), DAY1);

    assertThat(warehouse.readPartition("t", DAY1).as(Encoders.STRING()).collectAsList())
        .containsExactly("d");
    assertThat(warehouse.readPartition("t", DAY2).as(Encoders.STRING()).collectAsList())
        .containsExactly("c");
    assertThat(warehouse.latestSnapshot("t")).contains(DAY2);
  }

  @Test
  void replacingWithNoRowsLeavesNoStalePartition() {
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    warehouse.replacePartition("t", ids("a"), DAY1);

    warehouse.replacePartition("t", ids(), DAY1);

    assertThatThrownBy(() -> warehouse.readPartition("t", DAY1))
        .isInstanceOf(LifecycleException.class)
        .hasMessageStartingWith("Cannot read table t: no snapshot 2024-01-31 at ")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.INPUT_UNUSABLE);
  }

  @Test
  void missingTableHasNoSnapshot() {
    assertThat(new ParquetWarehouse(spark, dir.toString()).latestSnapshot("none")).isEmpty();
  }

  @Test
  void wholeTableReadsWithTheSnapshotColumn() {
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    warehouse.replacePartition("t", ids("a"), DAY1);

    Row row = spark.read().parquet(warehouse.tablePath("t")).first();

    assertThat(row.getAs("snapshot_date").toString()).isEqualTo("2024-01-31");
  }

  @Test
  void aWriteThatFailsLeavesThePreviousPartition() throws IOException {
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    warehouse.replacePartition("t", ids("a", "b"), DAY1);

    Dataset<Row> failing =
        ids("c").select(functions.raise_error(functions.lit("boom")).cast("string").as("customer_id"));
    assertThatThrownBy(() -> warehouse.replacePartition("t", failing, DAY1)).hasMessageContaining("boom");

    assertThat(warehouse.readPartition("t", DAY1).as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("a", "b");
    assertThat(leftovers()).as("the failed write's staging folder is gone").isEmpty();
  }

  @Test
  void aSwapKilledBetweenItsRenamesIsFinishedOnTheNextAccess() throws IOException {
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    warehouse.replacePartition("t", ids("a"), DAY1);
    Path table = dir.resolve("t");
    Path staging = dir.resolve("_staging").resolve("t");
    // killed after setting the old partition aside, before moving the new one in
    Files.move(table.resolve("snapshot_date=2024-01-31"), staging.resolve("replaced-2024-01-31-x"));
    Files.createDirectories(staging.resolve("staging-2024-01-31-y"));
    assertThat(warehouse.latestSnapshot("t")).contains(DAY1);
    assertThat(warehouse.readPartition("t", DAY1).as(Encoders.STRING()).collectAsList()).containsExactly("a");
    assertThat(leftovers()).isEmpty();

    // killed after moving the new one in, before deleting the old
    warehouse.replacePartition("t", ids("b"), DAY1);
    Files.createDirectories(staging.resolve("replaced-2024-01-31-z"));
    assertThat(warehouse.hasPartition("t", DAY1)).isTrue();
    assertThat(warehouse.readPartition("t", DAY1).as(Encoders.STRING()).collectAsList()).containsExactly("b");
    assertThat(leftovers()).isEmpty();
  }

  /** What is left in table t's staging folder. */
  private List<String> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("_staging").resolve("t"))) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }
}
