package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the driver while it writes customer_scores: the snapshot's previous partition stays
 * as it was and readable, and the re-run completes. The killed run scores with another margin, so
 * a partition it had managed to swap in would differ from the previous one.
 */
@Tag("e2e")
class KilledWriteTest {
  @TempDir Path dir;

  @Test
  void aDriverKilledDuringTheFinalWriteLeavesThePreviousSnapshot() throws Exception {
    String warehouse = SampleRun.withFeatures(dir, 20000, 4).warehouse();
    assertThat(CliRunner.run("score", "--warehouse", warehouse).exitCode()).isZero();
    List<Row> previous = scores(warehouse);

    Path stagingDir = Path.of(warehouse, "_staging", "customer_scores");
    Process killed =
        CliRunner.start(dir.resolve("killed.log"), "score", "--warehouse", warehouse, "--set", "clv.margin=0.9");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!staging(stagingDir) && killed.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(killed.isAlive()).as("the run was still writing: %s", Files.readString(dir.resolve("killed.log"))).isTrue();
    killed.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(killed.exitValue()).isEqualTo(137);

    assertThat(staging(stagingDir)).as("the killed run's staging folder is left").isTrue();
    assertThat(scores(warehouse)).as("previous partition, read directly").isEqualTo(previous);

    CliRunner.Result rerun = CliRunner.run("score", "--warehouse", warehouse, "--set", "clv.margin=0.9");
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    List<Row> after = scores(warehouse);
    assertThat(after).hasSize(previous.size()).isNotEqualTo(previous);
    assertThat(staging(stagingDir)).as("the re-run cleared the leftovers").isFalse();
  }

  /** Whether a run's staging folder for the table exists. */
  private static boolean staging(Path stagingDir) throws java.io.IOException {
    if (!Files.isDirectory(stagingDir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(stagingDir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("staging-"));
    }
  }

  private static List<Row> scores(String warehouse) {
    return TestSpark.session()
        .read()
        .parquet(warehouse + "/customer_scores")
        .select("customer_id", "current_value", "snapshot_date")
        .orderBy("customer_id")
        .collectAsList();
  }
}
