package dev.lifecycle.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every warehouse with a commit log (Iceberg, Delta) must do, checked on the format's real
 * library: a replacement is one commit that leaves other snapshots alone, a failed write commits
 * nothing, no rows leave no stale rows, and schemas evolve.
 */
abstract class CommitLogWarehouseContract {
  static final LocalDate DAY1 = LocalDate.of(2024, 1, 31);
  static final LocalDate DAY2 = LocalDate.of(2024, 2, 29);

  @TempDir Path dir;

  final SparkSession spark = TestSpark.session();

  abstract CommitLogWarehouse warehouse();

  /** Table t's commits, oldest first, as the format names their operations. */
  abstract List<String> commits();

  /** The operation of a commit that replaces a snapshot. */
  abstract String replaceOperation();

  Dataset<Row> ids(String... ids) {
    return spark.createDataset(List.of(ids), Encoders.STRING()).toDF("customer_id");
  }

  List<String> read(Warehouse warehouse, LocalDate snapshot) {
    return warehouse.readPartition("t", snapshot).as(Encoders.STRING()).collectAsList();
  }

  @Test
  void replacingASnapshotIsOneCommitAndLeavesOtherSnapshotsAlone() {
    Warehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a", "b"), DAY1);
    warehouse.replacePartition("t", ids("c"), DAY2);
    int before = commits().size();

    warehouse.replacePartition("t", ids("d"), DAY1);

    assertThat(read(warehouse, DAY1)).containsExactly("d");
    assertThat(read(warehouse, DAY2)).containsExactly("c");
    assertThat(warehouse.latestSnapshot("t")).contains(DAY2);
    assertThat(commits()).hasSize(before + 1).last().isEqualTo(replaceOperation());
  }

  @Test
  void aColumnRenamedOnlyInCaseKeepsFillingItsColumn() {
    CommitLogWarehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a").withColumn("Note", functions.lit("first")), DAY1);

    warehouse.replacePartition("t", ids("b").withColumn("note", functions.lit("second")).select("note", "customer_id"), DAY2);

    Dataset<Row> both = warehouse.table("t").orderBy("snapshot_date");
    assertThat(both.columns()).containsExactly("customer_id", "Note", "snapshot_date");
    assertThat(both.select("customer_id", "Note").collectAsList()).extracting(Row::toString)
        .containsExactly("[a,first]", "[b,second]");
  }

  @Test
  void replacingWithNoRowsLeavesNoStaleRows() {
    Warehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a"), DAY1);

    assertThat(warehouse.rowCount("t", DAY1)).isEqualTo(1);

    warehouse.replacePartition("t", ids(), DAY1);

    assertThat(warehouse.hasPartition("t", DAY1)).isFalse();
    assertThat(warehouse.rowCount("t", DAY1)).isZero();
    assertThatThrownBy(() -> warehouse.readPartition("t", DAY1))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "Cannot read table " + warehouse.tablePath("t") + ": no snapshot 2024-01-31 (run the stage"
                + " that writes it first)")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.INPUT_UNUSABLE);
  }

  @Test
  void missingTableHasNoSnapshot() {
    Warehouse warehouse = warehouse();
    assertThat(warehouse.latestSnapshot("none")).isEmpty();
    assertThat(warehouse.hasPartition("none", DAY1)).isFalse();
  }

  @Test
  void aWriteThatFailsCommitsNothing() {
    Warehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a", "b"), DAY1);
    List<String> before = commits();

    Dataset<Row> failing =
        ids("c").select(functions.raise_error(functions.lit("boom")).cast("string").as("customer_id"));
    assertThatThrownBy(() -> warehouse.replacePartition("t", failing, DAY1)).hasMessageContaining("boom");

    assertThat(read(warehouse, DAY1)).containsExactlyInAnyOrder("a", "b");
    assertThat(commits()).isEqualTo(before);
  }

  @Test
  void aLaterSnapshotMayAddColumnsAndNulls() {
    Warehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a"), DAY1);

    warehouse.replacePartition(
        "t", ids("b", "c").withColumn("segment", functions.expr("IF(customer_id = 'b', 1, NULL)")), DAY2);

    assertThat(warehouse.readPartition("t", DAY2).orderBy("customer_id").collectAsList())
        .extracting(Row::toString)
        .containsExactly("[b,1]", "[c,null]");
    assertThat(warehouse.readPartition("t", DAY1).collectAsList())
        .extracting(Row::toString)
        .containsExactly("[a,null]");
  }
}
