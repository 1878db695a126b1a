package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code lifecycle features} processes of one snapshot started together, as an Airflow retry
 * overlapping a slow run: one writes, the other is exit 2 naming the holder; with {@code --wait}
 * the second runs after the first. Either way the snapshot is one run's, and no staging folder
 * or lease is left.
 */
@Tag("e2e")
class LeaseIT {
  @TempDir Path dir;

  @Test
  void oneWriterPerSnapshot() throws Exception {
    String[] sample = SampleRun.generated(dir, 300, 4);

    List<Integer> codes = together("alone", sample);
    assertThat(codes).containsExactlyInAnyOrder(0, 2);
    String loser = log("alone-" + codes.indexOf(2));
    assertThat(loser).contains("lifecycle: Cannot write snapshot 2025-12-31: another run holds its lease", "of features on ");
    assertThat(succeeded("alone")).isEqualTo(1);
    assertNothingLeft("alone");

    assertThat(together("waiting", sample, "--wait")).containsExactly(0, 0);
    assertThat(succeeded("waiting")).isEqualTo(2);
    assertNothingLeft("waiting");
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
      builder.environment().put("LIFECYCLE_DRIVER_MEMORY", "1g");
      builder.environment().put("LIFECYCLE_NO_BUILD", "1");
      runs.add(builder.start());
    }
    List<Integer> codes = new ArrayList<>();
    for (Process run : runs) {
      assertThat(run.waitFor(6, TimeUnit.MINUTES)).isTrue();
      codes.add(run.exitValue());
    }
    return codes;
  }

  private long succeeded(String warehouse) {
    List<Row> runs = TestSpark.session().read().parquet(dir.resolve(warehouse).resolve("run_manifest").toString()).collectAsList();
    return runs.stream().filter(r -> "succeeded".equals(r.getAs("status"))).count();
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
