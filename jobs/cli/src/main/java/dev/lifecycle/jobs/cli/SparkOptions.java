package dev.lifecycle.jobs.cli;

import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options of every command that starts Spark. */
public final class SparkOptions {
  /**
   * The loggers of a failed or cancelled task: the executor's "Exception in task …", the task
   * set's "Lost task …" and "… aborting job", and a write's "Aborting job …", "Aborting task" and
   * "Could not delete …" of its temporary files. A task failure that ends the run reaches the CLI
   * as its one-line error, and one that a retry mends ends nothing, so they are shown only with
   * {@code --verbose}. The scheduler's "Lost executor …" stays: a lost executor is the operator's
   * to know of even when the run recovers.
   */
  static final List<String> TASK_FAILURE_LOGGERS =
      List.of(
          "org.apache.spark.executor.Executor",
          "org.apache.spark.scheduler.TaskSetManager",
          "org.apache.spark.sql.execution.datasources.FileFormatWriter",
          "org.apache.spark.util.Utils",
          "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter");

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
      description = "Print the stack trace of an error, and Spark's log of failed tasks.")
  boolean verbose;

  /** The command's session, from the provider, with Spark's task-failure log as --verbose says. */
  SparkSession open(SparkProvider provider, Map<String, String> conf, String appName) {
    Level taskFailures = verbose ? Level.WARN : Level.OFF;
    TASK_FAILURE_LOGGERS.forEach(logger -> Configurator.setLevel(logger, taskFailures));
    return provider.open(master, conf, appName);
  }
}
