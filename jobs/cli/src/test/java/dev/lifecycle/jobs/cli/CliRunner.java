package dev.lifecycle.jobs.cli;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs the real command line in-process on the shared test session, or in a JVM of its own. */
public final class CliRunner {
  /** What a command printed and returned. */
  public record Result(int exitCode, String out, String err) {}

  private static final SparkProvider SHARED =
      new SparkProvider() {
        @Override
        public SparkSession open(String master, Map<String, String> conf, String appName) {
          return TestSpark.session();
        }

        @Override
        public void close(SparkSession spark) {}
      };

  /**
   * The quick JIT compiler only: these processes run a few thousand customers, where the optimising
   * compiler's work costs more than it saves (docs/cli.md, LIFECYCLE_JAVA_OPTIONS).
   */
  private static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";

  private CliRunner() {}

  /**
   * What a test sets for {@code scripts/lifecycle} started in a process of its own: a 1 GB heap,
   * the jar as built (never Maven, inside a build), and the quick JIT.
   */
  public static void launcherEnvironment(Map<String, String> environment) {
    environment.put("LIFECYCLE_DRIVER_MEMORY", "1g");
    environment.put("LIFECYCLE_NO_BUILD", "1");
    environment.put("LIFECYCLE_JAVA_OPTIONS", QUICK_JIT);
  }

  /**
   * The real command line in a new JVM of its own (the test's classpath and Spark's JVM flags,
   * Spark bound to loopback), its output and errors to {@code log}.
   */
  public static Process start(Path log, String... args) throws IOException {
    return start(log, Map.of(), args);
  }

  /** As {@link #start(Path, String...)}, with more environment variables for the new JVM. */
  public static Process start(Path log, Map<String, String> environment, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String line : Files.readAllLines(SharedData.project("scripts/jvm-options"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        command.add(line.trim());
      }
    }
    command.addAll(List.of(QUICK_JIT, "-Xmx1g", "-cp", System.getProperty("java.class.path"), LifecycleCli.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().putAll(environment);
    return builder.start();
  }

  public static Result run(String... args) {
    return run(SHARED, args);
  }

  /** The command line with Spark sessions from {@code spark}. */
  public static Result run(SparkProvider spark, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = LifecycleCli.commandLine(spark);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
