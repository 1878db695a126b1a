package dev.lifecycle.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.OutputFormat;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** The Delta tables, written and read by Delta Lake itself (delta-spark) under a temporary warehouse. */
class DeltaWarehouseTest extends CommitLogWarehouseContract {
  @Override
  CommitLogWarehouse warehouse() {
    return (CommitLogWarehouse)
        Warehouse.of(spark, new LifecycleConfig.Output(OutputFormat.DELTA, "unused", "unused"), dir.toString());
  }

  /** Delta's own history. */
  @Override
  List<String> commits() {
    return DeltaHistory.operations(spark, dir.resolve("t").toUri().toString());
  }

  @Override
  String replaceOperation() {
    return "WRITE";
  }

  @Test
  void aReplacementOverwritesItsSnapshotOnlyInATableFolderUnderTheWarehouse() {
    Warehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a", "b"), DAY1);
    warehouse.replacePartition("t", ids("c"), DAY2);

    warehouse.replacePartition("t", ids("d"), DAY1);

    assertThat(commits()).containsExactly("WRITE", "WRITE", "WRITE");
    assertThat(DeltaHistory.lastPredicate(spark, warehouse.tablePath("t")))
        .as("Delta's record of the replacement: an overwrite of the snapshot's rows")
        .contains("Overwrite", "2024-01-31");
    assertThat(warehouse.tablePath("t")).isEqualTo("file:" + dir.resolve("t"));
    assertThat(Files.isDirectory(dir.resolve("t").resolve("_delta_log"))).isTrue();
  }

  @Test
  void theSessionGetsDeltasExtensionBesideOthersAndItsCatalogUnlessOneIsSet() {
    assertThat(DeltaWarehouse.sessionSettings(Map.of("spark.x", "1"), key -> null))
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "spark.x", "1",
            DeltaWarehouse.EXTENSIONS, DeltaWarehouse.EXTENSION,
            DeltaWarehouse.SESSION_CATALOG, DeltaWarehouse.CATALOG));
    assertThat(DeltaWarehouse.sessionSettings(
            Map.of(DeltaWarehouse.EXTENSIONS, "my.Extension"), Map.of(DeltaWarehouse.SESSION_CATALOG, "my.Catalog")::get))
        .as("an extension of the user's stays; a session catalog set by spark-submit is theirs")
        .containsExactlyInAnyOrderEntriesOf(Map.of(DeltaWarehouse.EXTENSIONS, "my.Extension," + DeltaWarehouse.EXTENSION));
    assertThat(DeltaWarehouse.sessionSettings(Map.of(), Map.of(DeltaWarehouse.EXTENSIONS, DeltaWarehouse.EXTENSION)::get))
        .containsExactlyInAnyOrderEntriesOf(Map.of(DeltaWarehouse.SESSION_CATALOG, DeltaWarehouse.CATALOG));
  }

  @Test
  void aSessionStartedWithoutDeltaIsAConfigErrorNamingBothKeys() {
    Map<String, String> withoutCatalog = Map.of(DeltaWarehouse.EXTENSIONS, "my.Extension," + DeltaWarehouse.EXTENSION);

    assertThatThrownBy(() -> DeltaWarehouse.requireDeltaSettings(key -> withoutCatalog.getOrDefault(key, ""), "output.format = delta"))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "output.format = delta needs a Spark session started with spark.sql.extensions including"
                + " io.delta.sql.DeltaSparkSessionExtension and spark.sql.catalog.spark_catalog ="
                + " org.apache.spark.sql.delta.catalog.DeltaCatalog (this one has 'my.Extension,"
                + "io.delta.sql.DeltaSparkSessionExtension' and '')")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
    DeltaWarehouse.requireDeltaSession(spark, "the test session, started with both");
  }

  @Test
  void withANamespaceEachTableIsAlsoRegisteredByName() {
    Warehouse warehouse =
        Warehouse.of(
            spark,
            new LifecycleConfig.Output(OutputFormat.DELTA, "unused", "unused", Optional.of("bi_names"), Optional.empty()),
            dir.toString());
    warehouse.replacePartition("t", ids("a"), DAY1);
    warehouse.replacePartition("t", ids("b"), DAY2);

    assertThat(spark.table("bi_names.t").orderBy("snapshot_date").select("customer_id").as(Encoders.STRING()).collectAsList())
        .containsExactly("a", "b");
    assertThat(spark.sql("DESCRIBE DETAIL bi_names.t").select("location").first().getString(0))
        .isEqualTo(warehouse.tablePath("t"));
  }

  @Test
  void appendsAddACommitEach() {
    Warehouse warehouse = warehouse();
    Dataset<Row> row = ids("run-1").withColumn("snapshot_date", functions.lit(java.sql.Date.valueOf(DAY1)));

    warehouse.append("t", row);
    warehouse.append("t", row.withColumn("extra", functions.lit(1)));

    assertThat(commits()).containsExactly("WRITE", "WRITE");
    assertThat(warehouse.readPartition("t", DAY1).columns()).containsExactly("customer_id", "extra");
    assertThat(warehouse.readPartition("t", DAY1).count()).isEqualTo(2);
  }

  /**
   * A warehouse written in one format and then opened in the other is exit 2 naming the table: the
   * two writers would mix Parquet partitions and a Delta log in one folder (a reader of the files
   * counted each row twice, and Delta's reader failed on a file it no longer found).
   */
  @Test
  void aWarehouseOfTheOtherFormatIsRefusedNamingTheTable() {
    warehouse().replacePartition("delta_t", ids("a"), DAY1);
    Warehouse parquet =
        Warehouse.of(spark, new LifecycleConfig.Output(OutputFormat.PARQUET, "unused", "unused"), dir.toString());

    assertThatThrownBy(parquet::requireWritable)
        .isInstanceOfSatisfying(LifecycleException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage(
            "Cannot use warehouse file:" + dir + ": its table delta_t is a Delta table (it has a _delta_log), and"
                + " output.format is parquet; set output.format to the warehouse's format, or use another warehouse");

    java.nio.file.Path other = dir.resolve("parquet-warehouse");
    new ParquetWarehouse(spark, other.toString()).replacePartition("parquet_t", ids("a"), DAY1);
    Warehouse delta =
        Warehouse.of(spark, new LifecycleConfig.Output(OutputFormat.DELTA, "unused", "unused"), other.toString());

    assertThatThrownBy(delta::requireWritable)
        .isInstanceOfSatisfying(LifecycleException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage(
            "Cannot use warehouse file:" + other + ": its table parquet_t is a folder of Parquet partitions with no"
                + " _delta_log, and output.format is delta; set output.format to the warehouse's format, or use"
                + " another warehouse");
    warehouse().requireWritable(); // its own format: no complaint
  }
}
