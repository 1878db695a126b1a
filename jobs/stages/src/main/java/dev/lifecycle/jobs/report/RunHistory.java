package dev.lifecycle.jobs.report;

import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.table.RunManifestTable;
import dev.lifecycle.spark.table.RunManifestTable.IngestCounts;
import dev.lifecycle.spark.table.RunManifestTable.Manifest;
import dev.lifecycle.spark.table.SegmentMetrics;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What the snapshot's runs recorded that its tables do not hold: the ingest counts of the newest
 * run that ingested, and the segment metrics of the newest run that segmented. This run's own
 * record wins over the table's, which holds only the runs that have ended.
 */
record RunHistory(Optional<IngestCounts> ingest, Optional<SegmentMetrics> segment) {
  static RunHistory of(Warehouse warehouse, LocalDate snapshot, Manifest thisRun) {
    IngestCounts ingest = null;
    SegmentMetrics segment = null;
    for (Manifest run : RunManifestTable.succeeded(warehouse, snapshot)) {
      ingest = run.counts().ingest() != null ? run.counts().ingest() : ingest;
      segment = run.segment() != null ? run.segment() : segment;
    }
    ingest = thisRun.counts().ingest() != null ? thisRun.counts().ingest() : ingest;
    segment = thisRun.segment() != null ? thisRun.segment() : segment;
    return new RunHistory(Optional.ofNullable(ingest), Optional.ofNullable(segment));
  }
}
