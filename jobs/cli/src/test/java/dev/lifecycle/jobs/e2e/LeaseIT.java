package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code lifecycle features} processes of one snapshot started together, as an Airflow retry
 * overlapping a slow run: one writes, the other is exit 2 naming the holder; with {@code --wait}
 * the second runs after the first. Either way every table of the snapshot is one run's (by the
 * run id each partition records), and no staging folder or lease is left.
 */
@Tag("e2e")
class LeaseIT {
  @TempDir Path dir;

  /** Trials of two processes at once: 1 in the suite, 10 for the figure ({@code -Dlease.trials=10}). */
  private static final int TRIALS = Integer.getInteger("lease.trials", 1);

  @Test
  void oneWriterPerSnapshot() throws Exception {
    String[] sample = SampleRun.generated(dir, 300, 4);

    for (int trial = 0; trial < TRIALS; trial++) {
      String warehouse = "alone" + trial;
      List<Integer> codes = together(warehouse, sample);
      assertThat(codes).as("trial %d", trial).containsExactlyInAnyOrder(0, 2);
      String loser = log(warehouse + "-" + codes.indexOf(2));
      assertThat(loser).contains("lifecycle: Cannot write snapshot 2025-12-31: another run holds its lease", "of features on ");
      assertThat(succeeded(warehouse)).hasSize(1);
      assertOneRunWroteTheSnapshot(warehouse, succeeded(warehouse).get(0));
      assertNothingLeft(warehouse);
    }

    assertThat(together("waiting", sample, "--wait")).containsExactly(0, 0);
    assertThat(succeeded("waiting")).hasSize(2);
    assertOneRunWroteTheSnapshot("waiting", last(succeeded("waiting")));
    assertNothingLeft("waiting");
  }

  /** Every table's partition of the snapshot names the same run as its writer, the given one. */
  private void assertOneRunWroteTheSnapshot(String warehouse, String runId) throws IOException {
    List<Path> markers;
    try (Stream<Path> files = Files.walk(dir.resolve(warehouse))) {
      markers = files.filter(f -> f.getFileName().toString().equals(ParquetWarehouse.RUN_FILE)).toList();
    }
    assertThat(markers).extracting(m -> m.getParent().getParent().getFileName().toString())
        .contains("customer_features");
    for (Path marker : markers) {
      assertThat(Files.readString(marker)).as(marker.toString()).isEqualTo("run " + runId + "\n");
    }
  }

  private static String last(List<String> runs) {
    return runs.get(runs.size() - 1);
  }

  /** Two runs into one warehouse, started at once; their exit codes. */
  private List<Integer> together(String warehouse, String[] sample, String... extra) throws Exception {
    List<Process> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      // features (ingest and features) keeps it quick; every command that writes a snapshot leases it
      List<String> command = new ArrayList<>(List.of(SharedData.project("scripts/lifecycle").toString(), "features"));
      command.addAll(List.of("--warehouse", dir.resolve(warehouse).toString(), "--as-of", "2025-12-31"));
      command.addAll(List.of(sample));
      command.addAll(List.of(extra));
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(warehouse + "-" + i + ".log").toFile());
      CliRunner.launcherEnvironment(builder.environment());
      runs.add(builder.start());
    }
    List<Integer> codes = new ArrayList<>();
    for (Process run : runs) {
      assertThat(run.waitFor(6, TimeUnit.MINUTES)).isTrue();
      codes.add(run.exitValue());
    }
    return codes;
  }

  /** The run ids of the succeeded runs, in the order they ended. */
  private List<String> succeeded(String warehouse) {
    return TestSpark.session().read().parquet(dir.resolve(warehouse).resolve("run_manifest").toString())
        .filter("status = 'succeeded'").orderBy("finished_at").select("run_id").as(Encoders.STRING()).collectAsList();
  }

  private void assertNothingLeft(String warehouse) throws IOException {
    Path root = dir.resolve(warehouse);
    for (String folder : List.of("_leases", "_staging")) {
      if (Files.isDirectory(root.resolve(folder))) {
        try (Stream<Path> left = Files.walk(root.resolve(folder))) {
          assertThat(left.filter(Files::isRegularFile).toList()).as(folder).isEmpty();
        }
      }
    }
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"));
  }
}
