package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    String warehouse = SampleRun.withFeatures(dir, 2000, 9).warehouse();

    List<Row> one = segmentIn("local[1]", warehouse);
    List<Row> two = segmentIn("local[2]", warehouse);

    assertThat(one).hasSize(2000);
    assertThat(two).isEqualTo(one);
  }

  /** Runs {@code lifecycle segment} in a new JVM with the given master; its customer_segments. */
  private List<Row> segmentIn(String master, String warehouse) throws IOException, InterruptedException {
    Path log = dir.resolve("segment-" + master.replaceAll("\\W", "") + ".log");
    // a short k range keeps the test quick and still chooses k by silhouette
    Process process =
        CliRunner.start(log, "segment", "--master", master, "--warehouse", warehouse, "--set", "segment.k=4..6");
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("segment on %s finished", master).isTrue();
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    return TestSpark.session()
        .read()
        .parquet(warehouse + "/customer_segments")
        .orderBy("customer_id")
        .collectAsList();
  }
}
