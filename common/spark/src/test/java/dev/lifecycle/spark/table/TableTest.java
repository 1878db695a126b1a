package dev.lifecycle.spark.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
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
  void aTableIsReadWithItsSpecsSchemaWithoutASparkJobAndAnEarlierVersionsFilesWithNullsForNewColumns() {
    SparkSession spark = TestSpark.session();
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    List<Row> written = List.of(RowFactory.create("a", 1, 2, 3), RowFactory.create("b", null, null, null));
    CustomerSegmentsTable.SPEC.replace(
        warehouse, spark.createDataFrame(written, CustomerSegmentsTable.SPEC.schema()), SNAPSHOT, () -> 2);
    // Another version's files: fewer columns, written straight into a snapshot folder.
    LocalDate older = SNAPSHOT.minusMonths(1);
    StructType fewer = new StructType().add("customer_id", DataTypes.StringType).add("kmeans_segment", DataTypes.IntegerType);
    spark.createDataFrame(List.of(RowFactory.create("c", 4)), fewer)
        .write()
        .parquet(dir.resolve("customer_segments").resolve("snapshot_date=" + older).toString());

    Dataset<Row>[] read = new Dataset[2];
    assertThat(jobsWhile(spark, () -> read[0] = CustomerSegmentsTable.SPEC.read(warehouse, SNAPSHOT)))
        .as("Spark jobs to read a snapshot the spec's columns were written to")
        .isZero();
    assertThat(read[0].schema()).isEqualTo(CustomerSegmentsTable.SPEC.schema().asNullable());
    assertThat(read[0].collectAsList()).containsExactlyInAnyOrderElementsOf(written);

    // read with their own columns, and the spec's columns they lack (added since) as nulls
    read[1] = CustomerSegmentsTable.SPEC.read(warehouse, older);
    assertThat(read[1].columns()).containsExactlyElementsOf(CustomerSegmentsTable.SPEC.columns());
    assertThat(read[1].schema().apply("som_node").dataType()).isEqualTo(DataTypes.IntegerType);
    assertThat(read[1].collectAsList()).containsExactly(RowFactory.create("c", 4, null, null));
  }

  @Test
  void aSnapshotsRowsAreCountedWithoutASparkJob() {
    SparkSession spark = TestSpark.session();
    Warehouse warehouse = new ParquetWarehouse(spark, dir.toString());
    List<Row> written = List.of(RowFactory.create("a", 1, 2, 3), RowFactory.create("b", null, null, null));
    CustomerSegmentsTable.SPEC.replace(
        warehouse, spark.createDataFrame(written, CustomerSegmentsTable.SPEC.schema()), SNAPSHOT, () -> 2);

    long[] rows = new long[2];
    assertThat(
            jobsWhile(
                spark,
                () -> {
                  rows[0] = CustomerSegmentsTable.SPEC.rows(warehouse, SNAPSHOT);
                  rows[1] = CustomerSegmentsTable.SPEC.rows(warehouse, SNAPSHOT.minusDays(1));
                }))
        .as("Spark jobs to count a snapshot's rows")
        .isZero();
    assertThat(rows).containsExactly(2, 0);
  }

  /**
   * The Spark jobs {@code action} starts on this thread, counted by a listener: a job of another
   * group after it, once seen, shows that the listener has seen every job before it.
   */
  private static int jobsWhile(SparkSession spark, Runnable action) {
    AtomicInteger jobs = new AtomicInteger();
    CountDownLatch marked = new CountDownLatch(1);
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart job) {
            String group = job.properties() == null ? null : job.properties().getProperty("spark.jobGroup.id");
            if ("counted".equals(group)) {
              jobs.incrementAndGet();
            } else if ("marker".equals(group)) {
              marked.countDown();
            }
          }
        };
    spark.sparkContext().addSparkListener(listener);
    try {
      spark.sparkContext().setJobGroup("counted", "counted", false);
      action.run();
      spark.sparkContext().setJobGroup("marker", "marker", false);
      spark.range(1).count();
      assertThat(marked.await(1, TimeUnit.MINUTES)).as("the marker job seen").isTrue();
      return jobs.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      spark.sparkContext().clearJobGroup();
      spark.sparkContext().removeSparkListener(listener);
    }
  }

  @Test
  void everyTableHasItsOwnNameAndNoSnapshotColumnInItsSpec() {
    assertThat(Tables.ALL.stream().map(Table::name)).doesNotHaveDuplicates().hasSize(22);
    for (Table table : Tables.ALL) {
      assertThat(table.columns()).as(table.name()).doesNotContain(Columns.SNAPSHOT_DATE).isNotEmpty();
    }
  }
}
