package dev.lifecycle.jobs.e2e;

import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.CohortActivityTable;
import dev.lifecycle.spark.table.CohortValueTable;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.CustomerScoresTable;
import dev.lifecycle.spark.table.CustomerSegmentsTable;
import dev.lifecycle.spark.table.RetentionCurvesTable;
import dev.lifecycle.spark.table.RetentionModelsTable;
import dev.lifecycle.spark.table.RunManifestTable;
import dev.lifecycle.spark.table.SegmentProfilesTable;
import dev.lifecycle.spark.table.SomCodebookTable;
import dev.lifecycle.spark.table.TransactionsRejectedTable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.OutputFormat;
import dev.lifecycle.spark.io.DeltaHistory;
import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running a snapshot gives identical tables, in Parquet, in Iceberg (on Iceberg's real
 * embedded Hadoop catalog) and in Delta, and every format holds the same rows. On Iceberg and
 * Delta every table's run and re-run is exactly one commit each, the re-run's an overwrite of its
 * snapshot.
 */
@Tag("e2e")
class RerunTest {
  private static final LocalDate SNAPSHOT = LocalDate.of(2025, 12, 31);
  private static final String CATALOG = "rerun_e2e";
  /** Every table a run writes per snapshot; the manifest is a log and grows by design. */
  private static final List<String> TABLES =
      List.of(
          TransactionsRejectedTable.SPEC.name(), CustomerFeaturesTable.SPEC.name(), CohortActivityTable.SPEC.name(),
          RetentionCurvesTable.SPEC.name(), RetentionModelsTable.SPEC.name(), CustomerSegmentsTable.SPEC.name(),
          SegmentProfilesTable.SPEC.name(), SomCodebookTable.SPEC.name(), ClvModelsTable.SPEC.name(), CohortValueTable.SPEC.name(),
          CustomerScoresTable.SPEC.name());

  @TempDir static Path dir;
  private static Path parquetDir;
  private static String[] input;
  private static Map<String, List<Row>> parquetTables;
  private final SparkSession spark = TestSpark.session();

  @BeforeAll
  static void sample() {
    // a short k range keeps the runs quick and still chooses k by silhouette
    input = SampleRun.concat(SampleRun.generated(dir, 1500, 12), "--set", "segment.k=4..6");
    parquetDir = dir.resolve("parquet");
  }

  @Test
  void deltaHoldsTheParquetTablesInOneCommitPerTableAndRun() {
    String delta = dir.resolve("delta").toString();
    String[] format = {"--set", "output.format=delta", "--set", "output.delta.namespace=rerun_delta"};
    Warehouse deltaTables =
        Warehouse.of(spark, new LifecycleConfig.Output(OutputFormat.DELTA, "lifecycle", "lifecycle"), delta);
    run(delta, format);

    assertIdentical(tables(deltaTables), parquetTables(), "Delta against Parquet");
    for (String table : TABLES) {
      assertThat(DeltaHistory.operations(spark, deltaTables.tablePath(table))).as(table).containsExactly("WRITE");
    }
    run(delta, format);

    assertIdentical(tables(deltaTables), parquetTables(), "Delta re-run");
    for (String table : TABLES) {
      String path = deltaTables.tablePath(table);
      if (parquetTables().get(table).isEmpty()) {
        // Delta records no commit that changes nothing (spark.databricks.delta.skipRecordingEmptyCommits)
        assertThat(DeltaHistory.operations(spark, path)).as("%s: empty, and left so", table).containsExactly("WRITE");
        continue;
      }
      assertThat(DeltaHistory.operations(spark, path)).as("%s: one commit per run", table).containsExactly("WRITE", "WRITE");
      assertThat(DeltaHistory.lastPredicate(spark, path))
          .as("%s: the re-run replaced its snapshot", table)
          .contains("Overwrite", SNAPSHOT.toString());
    }
    assertThat(parquetTables().get(CustomerScoresTable.SPEC.name())).hasSize(1500);
    assertThat(spark.table("rerun_delta." + CustomerScoresTable.SPEC.name()).drop("snapshot_date").collectAsList())
        .as("customer_scores by its registered name")
        .containsExactlyInAnyOrderElementsOf(parquetTables().get(CustomerScoresTable.SPEC.name()));
    String manifests = deltaTables.tablePath(RunManifestTable.SPEC.name());
    assertThat(DeltaHistory.operations(spark, manifests)).as("the manifest: one append per run").hasSize(2);
    assertThat(spark.read().format("delta").load(manifests).count()).isEqualTo(2);
  }

  /** The tables of the first Parquet run, which every format must hold. */
  private static Map<String, List<Row>> parquetTables() {
    if (parquetTables == null) {
      run(parquetDir.toString());
      parquetTables = tables(new ParquetWarehouse(TestSpark.session(), parquetDir.toString()));
    }
    return parquetTables;
  }

  @Test
  void reRunningASnapshotGivesIdenticalTablesInBothFormats() {
    String parquet = parquetDir.toString();
    Map<String, List<Row>> first = parquetTables();
    run(parquet);
    Map<String, List<Row>> second = tables(new ParquetWarehouse(spark, parquet));
    assertIdentical(second, first, "Parquet re-run");
    assertThat(first.get(CustomerScoresTable.SPEC.name())).hasSize(1500);

    String iceberg = dir.resolve("iceberg").toString();
    String[] format = {"--set", "output.format=iceberg", "--set", "output.iceberg.catalog=" + CATALOG};
    run(iceberg, format);
    Warehouse icebergTables =
        Warehouse.of(spark, new LifecycleConfig.Output(OutputFormat.ICEBERG, CATALOG, "lifecycle"), iceberg);
    assertIdentical(tables(icebergTables), first, "Iceberg against Parquet");
    Map<String, Integer> commits = commits();

    run(iceberg, format);

    assertIdentical(tables(icebergTables), first, "Iceberg re-run");
    for (String table : TABLES) {
      List<String> operations = operations(table);
      if (commits.get(table) > 0) {
        assertThat(operations).as("%s: one commit per re-run", table).hasSize(commits.get(table) + 1);
        assertThat(operations.get(operations.size() - 1)).as(table).isIn("overwrite", "delete");
      }
    }
    assertThat(commits.get(CustomerScoresTable.SPEC.name())).isPositive();
    assertThat(spark.table(CATALOG + ".lifecycle." + RunManifestTable.SPEC.name()).count())
        .as("one manifest row per Iceberg run")
        .isEqualTo(2);
  }

  private static void run(String warehouse, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--warehouse", warehouse));
    args.addAll(List.of(input));
    args.addAll(List.of(extra));
    CliRunner.Result result = CliRunner.run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
  }

  /** Every table's snapshot rows; empty where the snapshot wrote none. */
  private static Map<String, List<Row>> tables(Warehouse warehouse) {
    Map<String, List<Row>> tables = new LinkedHashMap<>();
    for (String table : TABLES) {
      tables.put(
          table,
          warehouse.hasPartition(table, SNAPSHOT) ? warehouse.readPartition(table, SNAPSHOT).collectAsList() : List.of());
    }
    return tables;
  }

  private static void assertIdentical(Map<String, List<Row>> actual, Map<String, List<Row>> expected, String what) {
    for (String table : TABLES) {
      List<Row> extra = new ArrayList<>(actual.get(table));
      expected.get(table).forEach(extra::remove);
      List<Row> missing = new ArrayList<>(expected.get(table));
      actual.get(table).forEach(missing::remove);
      assertThat(extra).as("%s: %s rows not expected; missing: %s", what, table, missing.subList(0, Math.min(2, missing.size()))).isEmpty();
      assertThat(missing).as("%s: %s rows missing", what, table).isEmpty();
    }
  }

  /** Commits so far per table (0 where the table is not there). */
  private Map<String, Integer> commits() {
    Map<String, Integer> commits = new LinkedHashMap<>();
    for (String table : TABLES) {
      commits.put(
          table, spark.catalog().tableExists(CATALOG + ".lifecycle." + table) ? operations(table).size() : 0);
    }
    return commits;
  }

  private List<String> operations(String table) {
    return spark
        .sql("SELECT operation FROM " + CATALOG + ".lifecycle." + table + ".snapshots ORDER BY committed_at")
        .as(Encoders.STRING())
        .collectAsList();
  }
}
