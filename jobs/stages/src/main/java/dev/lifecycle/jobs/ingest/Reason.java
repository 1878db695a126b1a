package dev.lifecycle.jobs.ingest;

import java.util.Locale;

/** A reason code as written in tables and the manifest: the constant's name in lower case. */
public interface Reason {
  String name();

  default String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
