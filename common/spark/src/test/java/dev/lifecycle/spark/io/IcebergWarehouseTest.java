package dev.lifecycle.spark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.OutputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;

/**
 * The Iceberg tables on Iceberg's real embedded Hadoop catalog, and other catalogs chosen by
 * configuration. A Spark session keeps a catalog once loaded, so every test names its own.
 */
class IcebergWarehouseTest extends CommitLogWarehouseContract {
  private static final AtomicInteger CATALOGS = new AtomicInteger();

  private final String catalog = "iceberg_test_" + CATALOGS.incrementAndGet();

  @Override
  CommitLogWarehouse warehouse() {
    return (CommitLogWarehouse)
        Warehouse.of(spark, new LifecycleConfig.Output(OutputFormat.ICEBERG, catalog, "lifecycle"), dir.toString());
  }

  @Override
  List<String> commits() {
    return spark
        .sql("SELECT operation FROM `" + catalog + "`.lifecycle.t.snapshots ORDER BY committed_at")
        .as(Encoders.STRING())
        .collectAsList();
  }

  @Override
  String replaceOperation() {
    return "overwrite";
  }

  @Test
  void tablesAreNamedInTheCatalogAndKeptUnderTheWarehouse() {
    Warehouse warehouse = warehouse();
    warehouse.replacePartition("t", ids("a"), DAY1);

    assertThat(warehouse.tablePath("t")).isEqualTo(catalog + ".lifecycle.t");
    assertThat(Files.isDirectory(dir.resolve("lifecycle").resolve("t").resolve("metadata")))
        .as("the embedded Hadoop catalog keeps its tables under the warehouse")
        .isTrue();
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
