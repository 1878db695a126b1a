package dev.lifecycle.jobs.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.Tables;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The record of one run: config (secrets redacted), versions, counts by reason, timings per stage
 * and the tables written. Written as a JSON file and as a row of the {@code run_manifest} table.
 */
public final class RunManifest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final StructType TABLE_SCHEMA =
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
          .add("manifest_json", DataTypes.StringType)
          .add(Columns.SNAPSHOT_DATE, DataTypes.DateType);

  private RunManifest() {}

  /** The manifest as a JSON document. */
  public static Map<String, Object> document(RunContext context, String status, String error) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("run_id", context.runId());
    doc.put("command", context.command());
    doc.put("status", status);
    if (error != null) {
      doc.put("error", error);
    }
    doc.put("snapshot_date", context.snapshot().map(Object::toString).orElse(null));
    doc.put("started_at", context.startedAt().toString());
    doc.put("finished_at", Instant.now().toString());
    doc.put("versions", Versions.all());
    doc.put("config", context.config().redacted());
    doc.put("counts", context.counts());
    doc.put("timings_ms", context.stageMillis());
    doc.put("metrics", context.metrics());
    doc.put("tables", context.tables());
    context.report().ifPresent(uri -> doc.put("report", uri));
    return doc;
  }

  /**
   * Writes the manifest file, and the table row when the snapshot is known; returns the file's URI.
   */
  public static String write(RunContext context, String status, String error) {
    Map<String, Object> doc = document(context, status, error);
    String json;
    try {
      json = JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the run manifest as JSON", e);
    }
    String file =
        context
            .warehouse()
            .writeText(Tables.MANIFEST_FILES + "/" + context.runId() + ".json", json);
    context
        .snapshot()
        .ifPresent(
            snapshot -> {
              Map<String, Long> counts = context.counts();
              Row row =
                  RowFactory.create(
                      context.runId(),
                      context.command(),
                      status,
                      Timestamp.from(context.startedAt()),
                      Timestamp.from(Instant.parse((String) doc.get("finished_at"))),
                      counts.get("rows_in"),
                      counts.get("rows_clean"),
                      counts.get("rows_rejected"),
                      counts.get("rows_excluded"),
                      counts.get("customers"),
                      json,
                      Date.valueOf(snapshot));
              Dataset<Row> rows =
                  context.spark().createDataFrame(List.of(row), TABLE_SCHEMA).coalesce(1);
              context.warehouse().append(Tables.RUN_MANIFEST, rows);
            });
    return file;
  }
}
