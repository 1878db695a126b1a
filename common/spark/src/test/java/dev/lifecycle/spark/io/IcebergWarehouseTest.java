package dev.lifecycle.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.OutputFormat;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Iceberg tables on Iceberg's real embedded Hadoop catalog. A Spark session keeps a catalog
 * once loaded, so every test names its own.
 */
class IcebergWarehouseTest {
  private static final LocalDate DAY1 = LocalDate.of(2024, 1, 31);
  private static final LocalDate DAY2 = LocalDate.of(2024, 2, 29);
  private static final AtomicInteger CATALOGS = new AtomicInteger();

  @TempDir Path dir;

  private final SparkSession spark = TestSpark.session();
  private final String catalog = "iceberg_test_" + CATALOGS.incrementAndGet();

  private Warehouse warehouse() {
    return Warehouse.of(
        spark, new LifecycleConfig.Output(OutputFormat.ICEBERG, catalog, "lifecycle"), dir.toString());
  }

  private Dataset<Row> ids(String... ids) {
    return spark.createDataset(List.of(ids), Encoders.STRING()).toDF("customer_id");
  }

  private List<String> read(Warehouse warehouse, LocalDate snapshot) {
    return warehouse.readPartition("t", snapshot).as(Encoders.STRING()).collectAsList();
  }

  /** The table's commits, oldest first, as their operations. */
  private List<String> commits() {
    return spark
        .sql("SELECT operation FROM `" + catalog + "`.lifecycle.t.snapshots ORDER BY committed_at")
        .as(Encoders.STRING())
        .collectAsList();
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
    assertThat(commits()).hasSize(before + 1).last().isEqualTo("overwrite");
    assertThat(warehouse.tablePath("t")).isEqualTo(catalog + ".lifecycle.t");
    assertThat(Files.isDirectory(dir.resolve("lifecycle").resolve("t").resolve("metadata")))
        .as("the embedded Hadoop catalog keeps its tables under the warehouse")
        .isTrue();
  }

  @Test
  void aColumnRenamedOnlyInCaseKeepsFillingItsColumn() {
    Warehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a").withColumn("Note", functions.lit("first")), DAY1);

    warehouse.replacePartition("t", ids("b").withColumn("note", functions.lit("second")).select("note", "customer_id"), DAY2);

    Dataset<Row> both = spark.table("`" + catalog + "`.lifecycle.t").orderBy("snapshot_date");
    assertThat(both.columns()).containsExactly("customer_id", "Note", "snapshot_date");
    assertThat(both.select("customer_id", "Note").collectAsList()).extracting(Row::toString)
        .containsExactly("[a,first]", "[b,second]");
  }

  @Test
  void replacingWithNoRowsLeavesNoStaleRows() {
    Warehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a"), DAY1);

    warehouse.replacePartition("t", ids(), DAY1);

    assertThat(warehouse.hasPartition("t", DAY1)).isFalse();
    assertThatThrownBy(() -> warehouse.readPartition("t", DAY1))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "Cannot read table " + catalog + ".lifecycle.t: no snapshot 2024-01-31 (run the stage"
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

  @Test
  void aCatalogConfiguredInSparkIsUsedAsItIs() {
    Path elsewhere = dir.resolve("lake");
    spark.conf().set("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set("spark.sql.catalog." + catalog + ".type", "hadoop");
    spark.conf().set("spark.sql.catalog." + catalog + ".warehouse", elsewhere.toUri().toString());
    Warehouse warehouse = warehouse();

    warehouse.replacePartition("t", ids("a"), DAY1);

    assertThat(read(warehouse, DAY1)).containsExactly("a");
    assertThat(Files.isDirectory(elsewhere.resolve("lifecycle").resolve("t").resolve("metadata"))).isTrue();
    assertThat(dir.resolve("lifecycle")).doesNotExist();
  }

  @Test
  void aJdbcCatalogWorksThroughConfigurationAlone() {
    // Iceberg's JDBC catalog, its metadata in a DuckDB database file: another catalog
    // implementation than the embedded one, chosen by spark.sql.catalog.* keys and nothing else
    String key = "spark.sql.catalog." + catalog;
    spark.conf().set(key, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set(key + ".type", "jdbc");
    spark.conf().set(key + ".uri", "jdbc:duckdb:" + dir.resolve("catalog.duckdb"));
    spark.conf().set(key + ".warehouse", dir.resolve("jdbc-lake").toUri().toString());
    Warehouse warehouse = warehouse();

    warehouse.replacePartition("t", ids("a", "b"), DAY1);
    warehouse.replacePartition("t", ids("c"), DAY1);

    assertThat(read(warehouse, DAY1)).containsExactly("c");
    assertThat(commits()).hasSize(3).last().isEqualTo("overwrite");
    assertThat(dir.resolve("catalog.duckdb")).isRegularFile();
  }

  @Test
  void aCatalogThatCannotBeReachedIsAConfigError() {
    spark.conf().set("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set("spark.sql.catalog." + catalog + ".type", "rest");
    spark.conf().set("spark.sql.catalog." + catalog + ".uri", "http://127.0.0.1:9/catalog");

    assertThatThrownBy(this::warehouse)
        .isInstanceOf(LifecycleException.class)
        .hasMessageStartingWith(
            "Cannot open Iceberg catalog " + catalog + " (spark.sql.catalog." + catalog
                + " = org.apache.iceberg.spark.SparkCatalog) for namespace lifecycle: ")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }
}
