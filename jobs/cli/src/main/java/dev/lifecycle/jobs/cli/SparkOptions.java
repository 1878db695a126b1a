package dev.lifecycle.jobs.cli;

import picocli.CommandLine.Option;

/** Options of every command that starts Spark. */
public final class SparkOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master (default: local[*], or the one spark-submit sets).")
  String master;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the stack trace of an error.")
  boolean verbose;
}
