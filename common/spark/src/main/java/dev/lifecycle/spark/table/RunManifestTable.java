package dev.lifecycle.spark.table;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.spark.io.Warehouse;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The record of each run: a JSON document in {@code _manifests/<run_id>.json}, and a row of the
 * {@code run_manifest} table with the document and its headline counts. Everything reads and
 * writes the typed {@link Manifest}; the document's keys are {@link ManifestJson}'s alone
 * (docs/tables.md describes them).
 */
public final class RunManifestTable {
  /** Not a table: the folder of the run manifests as JSON files, one per run. */
  public static final String FILES = "_manifests";

  public static final Table SPEC =
      new Table(
          "run_manifest",
          "run",
          new StructType()
              .add("run_id", DataTypes.StringType)
              .add("command", DataTypes.StringType)
              .add("status", DataTypes.StringType)
              .add("started_at", DataTypes.TimestampType)
              .add("finished_at", DataTypes.TimestampType)
              .add("rows_in", DataTypes.LongType)
              .add("rows_clean", DataTypes.LongType)
              .add("rows_rejected", DataTypes.LongType)
              .add("rows_excluded", DataTypes.LongType)
              .add("customers", DataTypes.LongType)
              .add("manifest_json", DataTypes.StringType));

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  /**
   * What ingest read: the input path or table, its format, and the version read where the format
   * has versions (a Delta version, an Iceberg snapshot id), else null.
   */
  public record InputRead(String source, String format, String version) {}

  /**
   * What ingest read, and its counts, which reconcile exactly: rows in = clean + rejected +
   * excluded.
   */
  public record IngestCounts(
      InputRead input,
      long inputFiles,
      long rowsIn,
      long clean,
      SortedMap<String, Long> rejectedByReason,
      SortedMap<String, Long> excludedByReason) {
    public long rejected() {
      return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public long excluded() {
      return excludedByReason.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * What the stages of a run counted; null where the stage did not run.
   *
   * @param customers customers with features (features)
   * @param cohorts acquisition cohorts, and the groups fitted pooled (retention)
   * @param clvPatterns distinct (x, t_x, T) patterns the purchase model was fitted on (clv)
   */
  public record Counts(IngestCounts ingest, Long customers, Long cohorts, Long cohortGroupsPooled, Long clvPatterns) {
    public static final Counts NONE = new Counts(null, null, null, null, null);
  }

  /** One run: what it was asked, what it did, and what it wrote. */
  public record Manifest(
      String runId,
      String command,
      String status,
      String error,
      LocalDate snapshot,
      List<SnapshotRows> earlierSnapshots,
      Instant startedAt,
      Instant finishedAt,
      Map<String, String> versions,
      Map<String, String> config,
      Counts counts,
      Map<String, Long> timingsMs,
      Double clvFitSeconds,
      SegmentMetrics segment,
      Churn churn,
      List<Table.Written> tables,
      String report) {}

  /**
   * A snapshot a run of many made before its last (whose tables the manifest lists), with the rows
   * of each table it wrote there.
   */
  public record SnapshotRows(LocalDate snapshot, Map<String, Long> rows) {}

  /**
   * What the propensity stage chose: the model that scored customer_churn, and each compared
   * model's AUC on the held-out customers (empty when a saved model scored).
   */
  public record Churn(String model, Map<String, Double> auc) {}

  private RunManifestTable() {}

  /**
   * Writes the manifest file, and the table row when the snapshot is known; returns the file's
   * URI.
   */
  public static String write(Warehouse warehouse, Manifest manifest) {
    String json = ManifestJson.write(manifest);
    String file = warehouse.writeText(FILES + "/" + manifest.runId() + ".json", json);
    if (manifest.snapshot() != null) {
      IngestCounts ingest = manifest.counts().ingest();
      Row row =
          RowFactory.create(
              manifest.runId(), manifest.command(), manifest.status(), Timestamp.from(manifest.startedAt()),
              Timestamp.from(manifest.finishedAt()), ingest == null ? null : ingest.rowsIn(),
              ingest == null ? null : ingest.clean(), ingest == null ? null : ingest.rejected(),
              ingest == null ? null : ingest.excluded(), manifest.counts().customers(), json,
              Date.valueOf(manifest.snapshot()));
      StructType withSnapshot = SPEC.schema().add(Columns.SNAPSHOT_DATE, DataTypes.DateType);
      warehouse.append(SPEC.name(), warehouse.spark().createDataFrame(List.of(row), withSnapshot).coalesce(1));
    }
    return file;
  }

  /** The snapshot's succeeded runs, oldest first. */
  public static List<Manifest> succeeded(Warehouse warehouse, LocalDate snapshot) {
    if (!SPEC.has(warehouse, snapshot)) {
      return List.of();
    }
    return RowOrder.sorted(
            SPEC.read(warehouse, snapshot).where(col("status").equalTo(SUCCEEDED)).select("finished_at", "manifest_json"),
            "finished_at")
        .stream()
        .map(row -> ManifestJson.read(row.getString(1)))
        .toList();
  }
}
