package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.common.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.jobs.cli.LifecycleCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed gives the same segments on local[1] and local[2]: the segment stage runs in two
 * fresh JVMs of its own, one per master, on the same customer_features.
 */
@Tag("e2e")
class SegmentReproducibilityTest {
  @TempDir Path dir;

  @Test
  void sameSegmentsOnOneAndTwoCores() throws Exception {
    String sample = dir.resolve("sample").toString();
    String warehouse = dir.resolve("warehouse").toString();
    assertThat(CliRunner.run("sample", "--customers", "2000", "--seed", "9", "--out", sample).exitCode()).isZero();
    CliRunner.Result features =
        CliRunner.run(
            "features", "--input", sample + "/transactions", "--warehouse", warehouse,
            "--set", "input.columns.timestamp=order_ts", "--set", "input.columns.order-id=order_id");
    assertThat(features.exitCode()).as(features.err()).isZero();

    List<Row> one = segmentIn("local[1]", warehouse);
    List<Row> two = segmentIn("local[2]", warehouse);

    assertThat(one).hasSize(2000);
    assertThat(two).isEqualTo(one);
  }

  /** Runs {@code lifecycle segment} in a new JVM with the given master; its customer_segments. */
  private List<Row> segmentIn(String master, String warehouse) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String line : Files.readAllLines(Path.of("..", "scripts", "jvm-options"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        command.add(line.trim());
      }
    }
    command.addAll(
        List.of(
            "-Xmx1g", "-cp", System.getProperty("java.class.path"), LifecycleCli.class.getName(),
            "segment", "--master", master, "--warehouse", warehouse,
            // a short k range keeps the test quick and still chooses k by silhouette
            "--set", "segment.k=4..6"));
    Path log = dir.resolve("segment-" + master.replaceAll("\\W", "") + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("segment on %s finished", master).isTrue();
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    return TestSpark.session()
        .read()
        .parquet(warehouse + "/customer_segments")
        .orderBy("customer_id")
        .collectAsList();
  }
}
