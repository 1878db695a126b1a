package dev.lifecycle.core.test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public datasets in ../shared/data beside the project, read in place, never copied in; and
 * the project's own files (scripts, docs), wherever the module's tests run from.
 */
public final class SharedData {
  private SharedData() {}

  public static Path file(String relative) {
    String dir = System.getProperty("shared.data.dir", "../../../shared/data");
    Path path = Path.of(dir).resolve(relative).normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("Cannot find shared data file " + path.toAbsolutePath());
    }
    return path;
  }

  /** A file of the project, relative to its root (the folder of the parent pom). */
  public static Path project(String relative) {
    return Path.of(System.getProperty("lifecycle.root", "../..")).resolve(relative).normalize();
  }
}
