package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.LifecycleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The guard in front of {@code --model-out}. Saving a Spark ML model replaces its folder
 * wholesale, so the folder must be absent, empty, or hold a segment model saved before, and must
 * be neither the warehouse, inside it, nor above it. Anything else is exit 2 before any data is
 * read, and the folder is left as it was.
 */
final class ModelFolder {
  /** What Spark ML writes first into a saved PipelineModel's {@code metadata} folder. */
  private static final String PIPELINE_CLASS = "\"class\":\"org.apache.spark.ml.PipelineModel\"";

  private ModelFolder() {}

  /** Fails with exit 2 unless {@code uri} may be replaced by a saved segment model. */
  static void checkReplaceable(String uri, String warehouseUri, Configuration hadoop) {
    try {
      Path target = qualified(new Path(uri), hadoop);
      Path warehouse = qualified(new Path(warehouseUri), hadoop);
      if (within(target, warehouse) || within(warehouse, target)) {
        throw refuse(uri, "it " + (within(target, warehouse) ? "is inside" : "holds") + " the warehouse " + warehouse);
      }
      FileSystem fs = target.getFileSystem(hadoop);
      if (!fs.exists(target)) {
        return;
      }
      FileStatus status = fs.getFileStatus(target);
      if (!status.isDirectory()) {
        throw refuse(uri, "it is a file");
      }
      if (fs.listStatus(target).length > 0 && !isSavedPipeline(fs, target)) {
        throw refuse(uri, "it holds files that are not a saved segment model");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the segment model folder " + uri + ": " + e.getMessage(), e);
    }
  }

  private static LifecycleException refuse(String uri, String why) {
    return LifecycleException.config(
        "segment.model-out " + uri + " would be replaced, but " + why
            + "; give an absent or empty folder, or one holding a model saved before");
  }

  /** Whether the folder's {@code metadata} holds a part file naming Spark ML's PipelineModel. */
  private static boolean isSavedPipeline(FileSystem fs, Path folder) throws IOException {
    Path metadata = new Path(folder, "metadata");
    if (!fs.isDirectory(metadata)) {
      return false;
    }
    for (FileStatus part : fs.listStatus(metadata, p -> p.getName().startsWith("part-"))) {
      try (InputStream in = fs.open(part.getPath())) {
        if (new String(in.readNBytes(4096), StandardCharsets.UTF_8).contains(PIPELINE_CLASS)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code path} is {@code ancestor} or below it. */
  private static boolean within(Path path, Path ancestor) {
    for (Path p = path; p != null; p = p.getParent()) {
      if (p.equals(ancestor)) {
        return true;
      }
    }
    return false;
  }

  private static Path qualified(Path path, Configuration hadoop) throws IOException {
    return path.getFileSystem(hadoop).makeQualified(path);
  }
}
