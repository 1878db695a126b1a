package dev.lifecycle.spark.ml;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.ConfigKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;

/**
 * Where saved Spark ML models live ({@code segment.model-out}, {@code propensity.model-out}): the
 * guard in front of a save, and the save and load themselves. Saving a model replaces its folder
 * wholesale, so the folder must be absent, empty, or hold a model saved before, and must be
 * neither the warehouse, inside it, nor above it. Anything else is exit 2 before any data is read,
 * and the folder is left as it was.
 */
public final class ModelFolder {
  /** What Spark ML writes first into a saved PipelineModel's {@code metadata} folder. */
  private static final String PIPELINE_CLASS = "\"class\":\"org.apache.spark.ml.PipelineModel\"";

  private ModelFolder() {}

  /** Fails with exit 2, naming {@code key}, unless {@code uri} may be replaced by a saved model. */
  public static void checkReplaceable(ConfigKey key, String uri, String warehouseUri, Configuration hadoop) {
    try {
      Path target = qualified(new Path(uri), hadoop);
      Path warehouse = qualified(new Path(warehouseUri), hadoop);
      if (within(target, warehouse) || within(warehouse, target)) {
        throw refuse(key, uri, "it " + (within(target, warehouse) ? "is inside" : "holds") + " the warehouse " + warehouse);
      }
      FileSystem fs = target.getFileSystem(hadoop);
      if (!fs.exists(target)) {
        return;
      }
      FileStatus status = fs.getFileStatus(target);
      if (!status.isDirectory()) {
        throw refuse(key, uri, "it is a file");
      }
      if (fs.listStatus(target).length > 0 && !isSavedPipeline(fs, target)) {
        throw refuse(key, uri, "it holds files that are not a saved model");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the model folder " + uri + ": " + e.getMessage(), e);
    }
  }

  /** A saved PipelineModel; one that cannot be read is exit 3, naming {@code what} it is. */
  public static PipelineModel load(String uri, String what) {
    try {
      return PipelineModel.load(uri);
    } catch (Exception e) {
      throw LifecycleException.input("Cannot load the " + what + " at " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Saves a PipelineModel, replacing the folder (checked with {@link #checkReplaceable} first). */
  public static void save(PipelineModel model, String uri, String what) {
    try {
      model.write().overwrite().save(uri);
    } catch (IOException e) {
      throw LifecycleException.input("Cannot save the " + what + " to " + uri + ": " + e.getMessage(), e);
    }
  }

  private static LifecycleException refuse(ConfigKey key, String uri, String why) {
    return LifecycleException.config(
        key.key() + " " + uri + " would be replaced, but " + why
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
