package dev.lifecycle.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.spark.test.TestLog;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
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
  void aSnapshotsRowsAreCountedFromItsFilesFootersAsSparkCountsThem() {
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    warehouse.replacePartition("t", ids("a", "b", "c", "d", "e").repartition(4), DAY1); // some files empty, maybe
    warehouse.replacePartition("t", ids(), DAY2);

    assertThat(warehouse.rowCount("t", DAY1)).isEqualTo(5).isEqualTo(warehouse.readPartition("t", DAY1).count());
    assertThat(warehouse.rowCount("t", DAY2)).as("no rows, no partition").isZero();
    assertThat(warehouse.rowCount("none", DAY1)).isZero();

    Warehouse run = new ParquetWarehouse(spark, dir.toString());
    run.holdWrites(DAY1);
    run.replacePartition("t", ids("f", "g"), DAY1);
    assertThat(run.rowCount("t", DAY1)).as("the run counts its own writes").isEqualTo(2);
    assertThat(warehouse.rowCount("t", DAY1)).as("a reader before the commit").isEqualTo(5);
    run.discard();
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
  void idsAndDoublesAreWrittenWithoutADictionaryAndLabelsWithOne() throws IOException {
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    Dataset<Row> rows =
        spark
            .range(2_000)
            .select(
                // Few distinct values, which a dictionary would take, so only the option keeps them plain
                functions.concat(functions.lit("c"), functions.col("id").mod(10)).as("customer_id"),
                functions.col("id").mod(3).divide(7).as("clv"),
                functions.when(functions.col("id").mod(2).equalTo(0), "even").otherwise("odd").as("label"),
                functions.col("id").mod(5).cast("int").as("score"));
    warehouse.replacePartition("t", rows.coalesce(1), DAY1);

    Path partition = dir.resolve("t").resolve("snapshot_date=" + DAY1);
    Path file;
    try (Stream<Path> files = Files.list(partition)) {
      file = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
    }
    Map<String, Set<Encoding>> encodings = new HashMap<>();
    Configuration conf = new Configuration();
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
      for (ColumnChunkMetaData column : reader.getFooter().getBlocks().get(0).getColumns()) {
        encodings.put(column.getPath().toDotString(), column.getEncodings());
      }
    }
    assertThat(encodings.get("customer_id")).doesNotContain(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
    assertThat(encodings.get("clv")).doesNotContain(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
    assertThat(encodings.get("label")).containsAnyOf(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
    assertThat(encodings.get("score")).containsAnyOf(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
    assertThat(warehouse.readPartition("t", DAY1).count()).isEqualTo(2_000);
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


  @Test
  void heldWritesArePublishedTogetherAndReadBackBeforeThat() throws IOException {
    Warehouse before = new ParquetWarehouse(spark, dir.toString());
    before.replacePartition("t1", ids("old1"), DAY1);
    before.replacePartition("t2", ids("old2"), DAY1);
    Warehouse run = new ParquetWarehouse(spark, dir.toString());
    SnapshotLease lease = run.lease(DAY1, "run-1", "run", new LifecycleConfig.Lease(300, 0));
    run.holdWrites(DAY1);

    run.replacePartition("t1", ids("new1"), DAY1);
    run.replacePartition("t2", ids("new2"), DAY1);
    run.replacePartition("t3", ids("new3"), DAY2);

    Warehouse reader = new ParquetWarehouse(spark, dir.toString());
    assertThat(values(reader, "t1", DAY1)).as("a reader before the commit").containsExactly("old1");
    assertThat(values(reader, "t2", DAY1)).containsExactly("old2");
    assertThat(values(reader, "t3", DAY2)).as("another snapshot is not held").containsExactly("new3");
    assertThat(values(run, "t1", DAY1)).as("the run reads its own writes").containsExactly("new1");
    assertThat(run.latestSnapshot("t2")).contains(DAY1);

    run.publish();
    lease.close();

    assertThat(values(reader, "t1", DAY1)).containsExactly("new1");
    assertThat(values(reader, "t2", DAY1)).containsExactly("new2");
    assertThat(leftovers("t1")).isEmpty();
    assertThat(leftovers("_commits")).isEmpty();
  }

  @Test
  void discardedWritesLeaveEveryTableAsItWas() throws IOException {
    Warehouse run = new ParquetWarehouse(spark, dir.toString());
    run.replacePartition("t1", ids("old1"), DAY1);
    run.holdWrites(DAY1);
    run.replacePartition("t1", ids("new1"), DAY1);
    run.replacePartition("t2", ids("new2"), DAY1);

    run.discard();

    Warehouse reader = new ParquetWarehouse(spark, dir.toString());
    assertThat(values(reader, "t1", DAY1)).containsExactly("old1");
    assertThat(reader.hasPartition("t2", DAY1)).isFalse();
    assertThat(leftovers("t1")).isEmpty();
    assertThat(leftovers("t2")).isEmpty();
  }

  @Test
  void aRunKilledBeforeItsCommitLeavesTheOldTablesAndItsStagingIsRemoved() throws IOException {
    Warehouse before = new ParquetWarehouse(spark, dir.toString());
    before.replacePartition("t1", ids("old1"), DAY1);
    Warehouse killed = new ParquetWarehouse(spark, dir.toString());
    killed.holdWrites(DAY1);
    killed.replacePartition("t1", ids("new1"), DAY1); // and then killed: no publish, no discard
    // or killed while its journal was being written, under its hidden name
    Path commits = Files.createDirectories(dir.resolve("_staging/_commits"));
    Files.writeString(commits.resolve(".2024-01-31-killed.tmp"), "t1\tstaging-2024-01-31-");

    Warehouse next = new ParquetWarehouse(spark, dir.toString());
    assertThat(values(next, "t1", DAY1)).containsExactly("old1");
    assertThat(leftovers("t1")).isEmpty();
    try (Stream<Path> left = Files.list(commits)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aCommitKilledHalfwayIsCompletedByTheNextAccessToAnyOfItsTables() throws IOException {
    Warehouse before = new ParquetWarehouse(spark, dir.toString());
    before.replacePartition("t1", ids("old1"), DAY1);
    before.replacePartition("t2", ids("old2"), DAY1);
    before.replacePartition("t3", ids("old3"), DAY1);
    Warehouse killed = new ParquetWarehouse(spark, dir.toString());
    killed.holdWrites(DAY1);
    killed.replacePartition("t1", ids("new1"), DAY1);
    killed.replacePartition("t2", ids("new2"), DAY1);
    killed.replacePartition("t3", ids(), DAY1);
    // killed in the commit: the journal written, t1 swapped, t2's old partition set aside, t3 not begun
    String id = "2024-01-31-killed";
    Path staging = dir.resolve("_staging");
    String staged1 = leftovers("t1").get(0);
    String staged2 = leftovers("t2").get(0);
    Files.createDirectories(staging.resolve("_commits"));
    Files.writeString(staging.resolve("_commits").resolve(id), "t1\t" + staged1 + "\nt2\t" + staged2 + "\nt3\t-\n");
    Files.move(dir.resolve("t1/snapshot_date=2024-01-31"), staging.resolve("t1/replaced-" + id));
    Files.move(staging.resolve("t1").resolve(staged1), dir.resolve("t1/snapshot_date=2024-01-31"));
    Files.move(dir.resolve("t2/snapshot_date=2024-01-31"), staging.resolve("t2/replaced-" + id));

    Warehouse reader = new ParquetWarehouse(spark, dir.toString());
    StringWriter log = new StringWriter();
    assertThat(TestLog.capturing(log, () -> values(reader, "t2", DAY1))).containsExactly("new2");
    assertThat(log.toString())
        .isEqualTo(
            "WARN lifecycle: warehouse: finishing the publication of snapshot 2024-01-31 that an earlier run committed"
                + " and did not finish (it failed or was killed while publishing); its tables name that run"
                + " (_lifecycle_run)\n");
    assertThat(values(reader, "t1", DAY1)).containsExactly("new1");
    assertThat(reader.hasPartition("t3", DAY1)).as("t3 had no rows in the new run").isFalse();
    assertThat(leftovers("t1")).isEmpty();
    assertThat(leftovers("t2")).isEmpty();
    assertThat(leftovers("_commits")).isEmpty();
  }

  @Test
  void aFolderThatIsNoSnapshotIsSkipped() throws IOException {
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    warehouse.replacePartition("t", ids("a"), DAY1);
    Files.createDirectories(dir.resolve("t/snapshot_date=2024-02-29.bak"));
    Files.createDirectories(dir.resolve("t/snapshot_date=2024-99-99"));

    assertThat(warehouse.latestSnapshot("t")).contains(DAY1);
    assertThat(values(warehouse, "t", DAY1)).containsExactly("a");
  }

  private static List<String> values(Warehouse warehouse, String table, LocalDate snapshot) {
    return warehouse.readPartition(table, snapshot).as(Encoders.STRING()).collectAsList();
  }

  /** What is left in table t's staging folder. */
  private List<String> leftovers() throws IOException {
    return leftovers("t");
  }

  /** What is left in a table's staging folder (or the commits' folder), none if there is no folder. */
  private List<String> leftovers(String table) throws IOException {
    Path folder = dir.resolve("_staging").resolve(table);
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).filter(name -> !name.startsWith(".")).toList();
    }
  }
}
