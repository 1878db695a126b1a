package dev.lifecycle.jobs.ingest;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * What a Parquet input's footers say without a Spark job: its rows, and the newest value of a
 * timestamp column from each row group's statistics. Read on the driver, one footer per file, for
 * inputs of at most {@link #MAX_FILES} files; on a small input each Spark query it saves costs more
 * than the data.
 *
 * @param rows the rows of every file
 * @param newest the newest timestamp of the column, when every row group's statistics give it (a
 *     UTC-adjusted INT64 timestamp in micro- or milliseconds, Spark's own, with statistics in every
 *     row group that holds a value); empty when some do not, or the column holds no value
 */
record ParquetFooters(long rows, Optional<Instant> newest) {
  /** The most files whose footers the driver reads; an input of more is counted by Spark. */
  static final int MAX_FILES = 256;

  /**
   * The footers of {@code files} (URIs as {@code _metadata.file_path} spells them), with the newest
   * value of top-level column {@code timestamp}; empty for more than {@link #MAX_FILES} files, or
   * when a footer cannot be read.
   */
  static Optional<ParquetFooters> read(List<String> files, String timestamp, Configuration conf) {
    if (files.isEmpty() || files.size() > MAX_FILES) {
      return Optional.empty();
    }
    long rows = 0;
    Instant newest = null;
    boolean known = true;
    for (String file : files) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromPath(new Path(URI.create(file)), conf))) {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          rows += block.getRowCount();
          if (known) {
            Optional<Instant> max = newest(block, timestamp);
            if (max == null) {
              known = false;
            } else if (max.isPresent() && (newest == null || max.get().isAfter(newest))) {
              newest = max.get();
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        return Optional.empty(); // a file Spark cannot read either: its read says so, with the file (exit 3)
      }
    }
    return Optional.of(new ParquetFooters(rows, known ? Optional.ofNullable(newest) : Optional.empty()));
  }

  /**
   * The newest value of the column in a row group: empty when it holds only nulls; null when its
   * footer cannot say (no such column, no statistics, or not a timestamp they order).
   */
  private static Optional<Instant> newest(BlockMetaData block, String name) {
    for (ColumnChunkMetaData column : block.getColumns()) {
      String[] path = column.getPath().toArray();
      if (path.length != 1 || !path[0].equalsIgnoreCase(name)) {
        continue;
      }
      if (!path[0].equals(name)) {
        return null; // Spark matches names regardless of case: leave such files to it
      }
      PrimitiveType type = column.getPrimitiveType();
      LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
      if (type.getPrimitiveTypeName() != PrimitiveTypeName.INT64
          || !(logical instanceof TimestampLogicalTypeAnnotation timestamp)
          || !timestamp.isAdjustedToUTC()
          || timestamp.getUnit() == TimeUnit.NANOS) {
        return null;
      }
      Statistics<?> statistics = column.getStatistics();
      if (statistics == null || statistics.isEmpty()) {
        return null;
      }
      if (!statistics.hasNonNullValue()) {
        return statistics.isNumNullsSet() && statistics.getNumNulls() == block.getRowCount() ? Optional.empty() : null;
      }
      long max = (Long) statistics.genericGetMax();
      return Optional.of(
          timestamp.getUnit() == TimeUnit.MILLIS
              ? Instant.ofEpochMilli(max)
              : Instant.EPOCH.plus(max, ChronoUnit.MICROS));
    }
    return null; // a file without the column (or a partition column of that name): Spark's to read
  }
}
