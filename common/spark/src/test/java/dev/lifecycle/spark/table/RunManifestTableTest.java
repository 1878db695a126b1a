package dev.lifecycle.spark.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.table.RunManifestTable.Counts;
import dev.lifecycle.spark.table.RunManifestTable.IngestCounts;
import dev.lifecycle.spark.table.RunManifestTable.Manifest;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest document's keys, its round trip through JSON, and the run_manifest row. */
class RunManifestTableTest {
  private static final LocalDate SNAPSHOT = LocalDate.of(2024, 1, 31);

  @TempDir Path dir;

  private static Manifest manifest(String runId, String status, Counts counts, SegmentMetrics segment, Instant finished) {
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("ingest", 1200L);
    timings.put("segment", 800L);
    return new Manifest(
        runId, "run", status, status.equals("failed") ? "Data-quality gate failed: ..." : null, SNAPSHOT,
        List.of(new RunManifestTable.SnapshotRows(SNAPSHOT.minusMonths(1), Map.of("customer_features", 2L))),
        Instant.parse("2024-02-01T10:00:00Z"), finished, Map.of("lifecycle", "0.1.0"), Map.of("warehouse", "/w"),
        counts, timings, 0.25, segment, new RunManifestTable.Churn("mlp", Map.of("mlp", 0.75, "logistic_regression", 0.7)),
        List.of(
            new Table.Written("transactions_rejected", "file:/w/transactions_rejected", 12),
            new Table.Written("customer_segments", "file:/w/customer_segments", 3)),
        "file:/w/reports/2024-01-31/" + runId + ".html");
  }

  private static Counts counts() {
    TreeMap<String, Long> rejected = new TreeMap<>(Map.of("duplicate_row", 1L, "missing_amount", 11L));
    TreeMap<String, Long> excluded = new TreeMap<>(Map.of("return", 2L));
    return new Counts(new IngestCounts(new RunManifestTable.InputRead("file:/in", "delta", "3"), 2, 17, 3, rejected, excluded), 3L, 2L, 0L, 3L);
  }

  private static SegmentMetrics fitted() {
    TreeMap<Integer, Double> curve = new TreeMap<>(Map.of(4, 0.5, 5, 0.625));
    return SegmentMetrics.fitted(
        "hexagonal", List.of("recency", "frequency", "monetary"), new SegmentMetrics.KMeans(5, curve, 7, 12.5, 0.5),
        new SegmentMetrics.Som("12x12", 20, 0.25, 0.0125, 1.5, 4, null));
  }

  @Test
  void theDocumentKeepsItsKeysAndReadsBackAsItWasWritten() {
    Manifest written = manifest("r1", "succeeded", counts(), fitted(), Instant.parse("2024-02-01T10:01:00Z"));

    String json = ManifestJson.write(written);

    assertThat(json)
        .contains("\"rows_in\" : 17", "\"rows_clean\" : 3", "\"rows_rejected\" : 12", "\"rows_excluded\" : 2")
        .contains("\"rejected_duplicate_row\" : 1", "\"excluded_return\" : 2", "\"customer_segments_rows\" : 3")
        .contains("\"kmeans_silhouette\" : {", "\"4\" : 0.5", "\"som_k\" : 4", "\"clv_fit_seconds\" : 0.25")
        .contains("\"segment_features\" : [ \"recency\", \"frequency\", \"monetary\" ]")
        .doesNotContain("som_silhouette", "segment_model", "\"error\"");
    assertThat(ManifestJson.read(json)).isEqualTo(written);
  }

  @Test
  void aSavedModelsRunRecordsWhereItCameFrom() {
    SegmentMetrics loaded = SegmentMetrics.loaded("/models/segments", "rectangular", List.of("recency", "tenure"));
    Manifest written = manifest("r2", "failed", Counts.NONE, loaded, Instant.parse("2024-02-01T10:02:00Z"));

    String json = ManifestJson.write(written);

    assertThat(json).contains("\"segment_model\" : \"loaded from /models/segments\"", "\"error\" : \"Data-quality gate failed")
        .doesNotContain("rows_in", "kmeans_k");
    assertThat(ManifestJson.read(json)).isEqualTo(written);
  }

  @Test
  void aSkippedSegmentationRecordsWhy() {
    SegmentMetrics skipped = SegmentMetrics.skipped("one customer", "hexagonal", List.of("recency", "frequency"));
    Manifest written = manifest("r3", "succeeded", Counts.NONE, skipped, Instant.parse("2024-02-01T10:03:00Z"));

    String json = ManifestJson.write(written);

    assertThat(json).contains("\"segment_skipped\" : \"one customer\"").doesNotContain("kmeans_k", "segment_model");
    assertThat(ManifestJson.read(json)).isEqualTo(written);
  }

  @Test
  void eachRunIsAFileAndARowAndTheSucceededOnesReadBackOldestFirst() throws Exception {
    Warehouse warehouse = new ParquetWarehouse(TestSpark.session(), dir.toString());
    Manifest later = manifest("later", "succeeded", Counts.NONE, null, Instant.parse("2024-02-01T12:00:00Z"));
    Manifest earlier = manifest("earlier", "succeeded", counts(), fitted(), Instant.parse("2024-02-01T11:00:00Z"));
    Manifest failed = manifest("failed", "failed", counts(), null, Instant.parse("2024-02-01T13:00:00Z"));

    String file = RunManifestTable.write(warehouse, later);
    RunManifestTable.write(warehouse, earlier);
    RunManifestTable.write(warehouse, failed);

    assertThat(Files.readString(dir.resolve("_manifests/later.json"))).isEqualTo(ManifestJson.write(later));
    assertThat(file).endsWith("/_manifests/later.json");
    assertThat(RunManifestTable.succeeded(warehouse, SNAPSHOT)).containsExactly(earlier, later);
    Row row =
        RunManifestTable.SPEC.read(warehouse, SNAPSHOT).where("run_id = 'earlier'").first();
    assertThat(row.<Long>getAs("rows_in")).isEqualTo(17);
    assertThat(row.<Long>getAs("rows_rejected")).isEqualTo(12);
    assertThat(row.<Long>getAs("customers")).isEqualTo(3);
    Row noIngest = RunManifestTable.SPEC.read(warehouse, SNAPSHOT).where("run_id = 'later'").first();
    assertThat(noIngest.<Long>getAs("rows_in")).isNull();
  }
}
