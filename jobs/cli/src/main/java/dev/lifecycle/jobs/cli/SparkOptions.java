package dev.lifecycle.jobs.cli;

import picocli.CommandLine.Option;

/** Options of every command that starts Spark. */
public final class SparkOptions {
  /** A command with these options, which the CLI's error handling reads once they are parsed. */
  interface Command {
    SparkOptions sparkOptions();
  }

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
