package dev.lifecycle.spark.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lifecycle.spark.table.RunManifestTable.Counts;
import dev.lifecycle.spark.table.RunManifestTable.IngestCounts;
import dev.lifecycle.spark.table.RunManifestTable.InputRead;
import dev.lifecycle.spark.table.RunManifestTable.Manifest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The run manifest as JSON, both ways: the one place its keys are spelled. {@code counts} and
 * {@code metrics} are flat maps (e.g. {@code rows_in}, {@code rejected_<reason>}, {@code
 * <table>_rows}, {@code kmeans_k}) for readers outside the product; here they map to and from
 * the typed {@link Manifest}.
 */
final class ManifestJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestJson() {}

  static String write(Manifest m) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("run_id", m.runId());
    doc.put("command", m.command());
    doc.put("status", m.status());
    if (m.error() != null) {
      doc.put("error", m.error());
    }
    doc.put("snapshot_date", m.snapshot() == null ? null : m.snapshot().toString());
    if (!m.earlierSnapshots().isEmpty()) {
      List<Map<String, Object>> earlier = new ArrayList<>();
      for (RunManifestTable.SnapshotRows snapshot : m.earlierSnapshots()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("snapshot_date", snapshot.snapshot().toString());
        entry.put("rows", snapshot.rows());
        earlier.add(entry);
      }
      doc.put("earlier_snapshots", earlier);
    }
    doc.put("started_at", m.startedAt().toString());
    doc.put("finished_at", m.finishedAt().toString());
    doc.put("versions", m.versions());
    doc.put("config", m.config());
    if (m.counts().ingest() != null && m.counts().ingest().input() != null) {
      InputRead input = m.counts().ingest().input();
      Map<String, String> read = new LinkedHashMap<>();
      read.put("source", input.source());
      read.put("format", input.format());
      read.put("version", input.version());
      doc.put("input", read);
    }
    doc.put("counts", counts(m));
    doc.put("timings_ms", m.timingsMs());
    doc.put("metrics", metrics(m));
    Map<String, String> tables = new LinkedHashMap<>();
    m.tables().forEach(t -> tables.put(t.table(), t.uri()));
    doc.put("tables", tables);
    if (m.report() != null) {
      doc.put("report", m.report());
    }
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the run manifest as JSON", e);
    }
  }

  private static Map<String, Long> counts(Manifest m) {
    Map<String, Long> counts = new LinkedHashMap<>();
    Counts c = m.counts();
    if (c.ingest() != null) {
      counts.put("input_files", c.ingest().inputFiles());
      counts.put("rows_in", c.ingest().rowsIn());
      counts.put("rows_clean", c.ingest().clean());
      counts.put("rows_rejected", c.ingest().rejected());
      counts.put("rows_excluded", c.ingest().excluded());
      c.ingest().rejectedByReason().forEach((reason, n) -> counts.put("rejected_" + reason, n));
      c.ingest().excludedByReason().forEach((reason, n) -> counts.put("excluded_" + reason, n));
    }
    putIfKnown(counts, "customers", c.customers());
    putIfKnown(counts, "cohorts", c.cohorts());
    putIfKnown(counts, "cohort_groups_pooled", c.cohortGroupsPooled());
    putIfKnown(counts, "clv_patterns", c.clvPatterns());
    m.tables().forEach(t -> counts.put(t.table() + "_rows", t.rows()));
    return counts;
  }

  private static Map<String, Object> metrics(Manifest m) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    SegmentMetrics s = m.segment();
    if (s != null) {
      putIfKnown(metrics, "segment_model", s.loadedFrom() == null ? null : "loaded from " + s.loadedFrom());
      putIfKnown(metrics, "segment_skipped", s.skipped());
      if (s.kmeans() != null) {
        putIfKnown(metrics, "kmeans_silhouette", curve(s.kmeans().silhouette()));
        metrics.put("kmeans_k", s.kmeans().k());
        if (s.kmeans().silhouette() != null) {
          metrics.put("kmeans_k_at_range_end", s.kmeans().atRangeEnd());
        }
        metrics.put("kmeans_iterations", s.kmeans().iterations());
        metrics.put("kmeans_cost", s.kmeans().cost());
        metrics.put("kmeans_seconds", s.kmeans().seconds());
      }
      putIfKnown(metrics, "som_grid", s.som() == null ? null : s.som().grid());
      metrics.put("som_topology", s.somTopology());
      metrics.put("segment_features", s.features());
      if (s.som() != null) {
        metrics.put("som_iterations", s.som().iterations());
        metrics.put("som_quantization_error", s.som().quantizationError());
        metrics.put("som_topographic_error", s.som().topographicError());
        metrics.put("som_seconds", s.som().seconds());
        putIfKnown(metrics, "som_silhouette", curve(s.som().silhouette()));
        metrics.put("som_k", s.som().k());
        if (s.som().silhouette() != null) {
          metrics.put("som_k_at_range_end", s.som().atRangeEnd());
        }
      }
    }
    putIfKnown(metrics, "clv_fit_seconds", m.clvFitSeconds());
    if (m.churn() != null) {
      metrics.put("churn_model", m.churn().model());
      metrics.put("churn_model_auc", m.churn().auc());
    }
    return metrics;
  }

  private static Map<String, Double> curve(SortedMap<Integer, Double> curve) {
    if (curve == null) {
      return null;
    }
    Map<String, Double> byName = new LinkedHashMap<>();
    curve.forEach((k, v) -> byName.put(Integer.toString(k), v));
    return byName;
  }

  private static <T> void putIfKnown(Map<String, T> map, String key, T value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  static Manifest read(String json) {
    JsonNode doc;
    try {
      doc = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read a run manifest: " + e.getOriginalMessage(), e);
    }
    JsonNode counts = doc.path("counts");
    JsonNode metrics = doc.path("metrics");
    List<Table.Written> tables = new ArrayList<>();
    doc.path("tables")
        .fields()
        .forEachRemaining(
            t -> tables.add(new Table.Written(t.getKey(), t.getValue().asText(), counts.path(t.getKey() + "_rows").asLong())));
    return new Manifest(
        text(doc, "run_id"), text(doc, "command"), text(doc, "status"), text(doc, "error"),
        doc.hasNonNull("snapshot_date") ? LocalDate.parse(doc.get("snapshot_date").asText()) : null, earlier(doc),
        Instant.parse(doc.get("started_at").asText()), Instant.parse(doc.get("finished_at").asText()),
        texts(doc.path("versions")), texts(doc.path("config")), counts(doc.path("input"), counts), longs(doc.path("timings_ms")),
        number(metrics, "clv_fit_seconds"), segment(metrics), churn(metrics), tables, text(doc, "report"));
  }

  private static List<RunManifestTable.SnapshotRows> earlier(JsonNode doc) {
    List<RunManifestTable.SnapshotRows> earlier = new ArrayList<>();
    for (JsonNode entry : doc.path("earlier_snapshots")) {
      earlier.add(
          new RunManifestTable.SnapshotRows(LocalDate.parse(entry.get("snapshot_date").asText()), longs(entry.path("rows"))));
    }
    return earlier;
  }

  private static Counts counts(JsonNode input, JsonNode counts) {
    IngestCounts ingest = null;
    if (counts.has("rows_in")) {
      SortedMap<String, Long> rejected = new TreeMap<>();
      SortedMap<String, Long> excluded = new TreeMap<>();
      counts.fields().forEachRemaining(e -> {
        if (e.getKey().startsWith("rejected_")) {
          rejected.put(e.getKey().substring("rejected_".length()), e.getValue().asLong());
        } else if (e.getKey().startsWith("excluded_")) {
          excluded.put(e.getKey().substring("excluded_".length()), e.getValue().asLong());
        }
      });
      ingest =
          new IngestCounts(
              input.has("source") ? new InputRead(text(input, "source"), text(input, "format"), text(input, "version")) : null,
              counts.path("input_files").asLong(), counts.get("rows_in").asLong(), counts.path("rows_clean").asLong(),
              rejected, excluded);
    }
    return new Counts(
        ingest, whole(counts, "customers"), whole(counts, "cohorts"), whole(counts, "cohort_groups_pooled"),
        whole(counts, "clv_patterns"));
  }

  private static SegmentMetrics segment(JsonNode m) {
    if (!m.has("som_topology")) {
      return null;
    }
    List<String> features = new ArrayList<>();
    m.path("segment_features").forEach(f -> features.add(f.asText()));
    String topology = m.get("som_topology").asText();
    if (m.has("segment_skipped")) {
      return SegmentMetrics.skipped(m.get("segment_skipped").asText(), topology, features);
    }
    if (m.has("segment_model")) {
      return SegmentMetrics.loaded(m.get("segment_model").asText().replaceFirst("^loaded from ", ""), topology, features);
    }
    return SegmentMetrics.fitted(
        topology, features,
        new SegmentMetrics.KMeans(
            m.path("kmeans_k").asInt(), curve(m.get("kmeans_silhouette")), m.path("kmeans_iterations").asInt(),
            m.path("kmeans_cost").asDouble(), m.path("kmeans_seconds").asDouble()),
        new SegmentMetrics.Som(
            m.path("som_grid").asText(), m.path("som_iterations").asInt(), m.path("som_quantization_error").asDouble(),
            m.path("som_topographic_error").asDouble(), m.path("som_seconds").asDouble(), m.path("som_k").asInt(),
            curve(m.get("som_silhouette"))));
  }

  private static SortedMap<Integer, Double> curve(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    SortedMap<Integer, Double> curve = new TreeMap<>();
    node.fields().forEachRemaining(e -> curve.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
    return curve;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static RunManifestTable.Churn churn(JsonNode metrics) {
    if (!metrics.hasNonNull("churn_model")) {
      return null;
    }
    Map<String, Double> auc = new LinkedHashMap<>();
    metrics.path("churn_model_auc").fields().forEachRemaining(e -> auc.put(e.getKey(), e.getValue().asDouble()));
    return new RunManifestTable.Churn(metrics.get("churn_model").asText(), auc);
  }

  private static Double number(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asDouble() : null;
  }

  private static Long whole(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asLong() : null;
  }

  private static Map<String, String> texts(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static Map<String, Long> longs(JsonNode node) {
    Map<String, Long> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), e.getValue().asLong());
    }
    return map;
  }
}
