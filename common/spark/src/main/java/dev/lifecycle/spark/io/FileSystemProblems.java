package dev.lifecycle.spark.io;

import java.net.URISyntaxException;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/** What went wrong opening a path's file system, in words a user can act on. */
public final class FileSystemProblems {
  private FileSystemProblems() {}

  /**
   * Whether opening the file system failed because its scheme has no file system on the classpath:
   * none registered ({@code s3://}), or one named whose class is missing ({@code s3a://} without
   * hadoop-aws).
   */
  public static boolean isMissingFileSystem(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof UnsupportedFileSystemException || cause instanceof ClassNotFoundException) {
        return true;
      }
    }
    return false;
  }

  /** The problem of opening {@code uri}, on one line. */
  public static String describe(String uri, Throwable e) {
    if (isMissingFileSystem(e)) {
      String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")) : uri;
      return "no file system for scheme '" + scheme + "' on the classpath (add its Hadoop connector, e.g."
          + " hadoop-aws for s3a, to the jars)";
    }
    Throwable root = rootCause(e);
    if (root instanceof URISyntaxException) {
      return "not a path or URI (" + firstLine(root) + ")";
    }
    return firstLine(e);
  }

  /** The innermost cause of a throwable. */
  public static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** A throwable's message to its first line break; its class's name when it has none. */
  public static String firstLine(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getName()
        : e.getMessage().lines().findFirst().orElse(e.getClass().getName());
  }
}
