package dev.lifecycle.jobs.cli;

import dev.lifecycle.common.test.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs the real command line in-process on the shared test session. */
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

  private CliRunner() {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = LifecycleCli.commandLine(SHARED);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
