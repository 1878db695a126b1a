package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a {@code run} at five points: while ingest writes, between two tables, while
 * score writes, during the report and during the manifest (after the commit). At each, what a reader of the
 * Parquet folders sees is printed and checked: every table readable, every table's snapshot from
 * one run (by the run id each partition records), the killed run's or the one before. Each killed
 * run is the re-run of the one killed before it: it takes over the dead run's lease and removes
 * what that run left before writing. A last re-run completes with every table its own and nothing
 * left in staging. Then a SIGTERM (a scheduler's timeout) while score writes: exit 143, one error
 * line, a failed manifest naming the stage, nothing published, no staging, no lease. (Replaces a
 * test that killed one point with 20,000 customers.)
 */
@Tag("e2e")
class KillPointsTest {
  private static final String SNAPSHOT = "snapshot_date=2025-12-31";
  private static final String STOPPED =
      "the process was stopped by a signal (SIGTERM: a scheduler's timeout or kill; or Ctrl-C) before the run ended";

  @TempDir Path dir;

  @Test
  void aRunKilledAtAnyPointLeavesAReadableSnapshotOfOneRunAndTheReRunCompletes() throws Exception {
    String warehouse = dir.resolve("warehouse").toString();
    String[] run = SampleRun.concat(new String[] {"run"}, SampleRun.generated(dir, 1000, 5));
    run = SampleRun.concat(run, "--warehouse", warehouse, "--as-of", "2025-12-31");
    assertThat(CliRunner.run(run).exitCode()).isZero();
    Path root = Path.of(warehouse);
    Map<String, String> before = writers(root);
    assertThat(before).containsKeys("customer_features", "customer_scores");

    // Each point is seen in a file or folder the run makes: a new one, not one left from before.
    Map<String, Probe> points = new LinkedHashMap<>();
    points.put("while ingest writes", new Probe("_staging", 2, "staging-"));
    points.put("between two tables", new Probe("_staging", 3, "_SUCCESS"));
    points.put("while score writes", new Probe("_staging/customer_scores", 1, "staging-"));
    points.put("during the report", new Probe("_staging/customer_scores", 2, ParquetWarehouse.RUN_FILE));
    points.put("during the manifest", new Probe("_manifests", 1, ".json"));

    List<Path> left = List.of();
    for (Map.Entry<String, Probe> point : points.entrySet()) {
      Path log = dir.resolve("killed.log");
      List<Path> old = point.getValue().matches(root);
      Process killed = CliRunner.start(log, run);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (old.containsAll(point.getValue().matches(root)) && killed.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(killed.isAlive()).as("%s: the run was still going: %s", point.getKey(), Files.readString(log)).isTrue();
      killed.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();

      // What a reader of the folders sees now, before any lifecycle command touches the warehouse.
      Map<String, String> seen = writers(root);
      boolean journal = !new Probe("_staging/_commits", 1, "").matches(root).isEmpty();
      System.out.printf(
          "kill -9 %s: a reader sees tables %s written by %s (the run before: %s); journal left: %s%n",
          point.getKey(), seen.keySet(), new TreeSet<>(seen.values()), before.values().iterator().next(), journal);
      if (seen.keySet().equals(before.keySet()) && seen.values().stream().distinct().count() == 1) {
        // one run's snapshot, the previous one or the killed run's if its commit had ended: readable
        for (String table : seen.keySet()) {
          assertThat(TestSpark.session().read().parquet(warehouse + "/" + table).count()).as(table).isPositive();
        }
        before = seen;
      } else {
        // Killed inside the commit: a reader of the bare folders sees it half done until the next
        // access through lifecycle finishes it from the journal.
        assertThat(!new Probe("_staging/_commits", 1, "").matches(root).isEmpty()).as("%s: a mixed snapshot has its journal", point.getKey()).isTrue();
      }

      assertThat(left).as("%s: what the run killed before left", point.getKey()).allSatisfy(f -> assertThat(f).doesNotExist());
      left = leftovers(root);
    }

    // SIGTERM (a scheduler's timeout) while score writes: a failed run, cleaned up and recorded.
    Probe scoring = new Probe("_staging/customer_scores", 1, "staging-");
    List<Path> old = scoring.matches(root);
    Path log = dir.resolve("terminated.log");
    Process stopped = CliRunner.start(log, run);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (old.containsAll(scoring.matches(root)) && stopped.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(stopped.isAlive()).as("the run was still going: %s", Files.readString(log)).isTrue();
    stopped.destroy(); // SIGTERM: the JVM's shutdown hooks run
    assertThat(stopped.waitFor(1, TimeUnit.MINUTES)).isTrue();
    String said = Files.readString(log);
    System.out.printf("SIGTERM while score writes: exit %d%n", stopped.exitValue());
    assertThat(stopped.exitValue()).as(said).isEqualTo(143);
    assertThat(said).contains("lifecycle: " + STOPPED).doesNotContain("\tat ");
    assertThat(writers(root)).as("nothing of the stopped run published").isEqualTo(before);
    assertThat(leftovers(root)).as("staging after SIGTERM").isEmpty();
    try (Stream<Path> leases = Files.list(root.resolve("_leases"))) {
      assertThat(leases.filter(f -> f.toString().endsWith(".lease"))).as("leases after SIGTERM").isEmpty();
    }
    List<Row> failed =
        TestSpark.session().read().parquet(warehouse + "/run_manifest").where("status = 'failed'").selectExpr("get_json_object(manifest_json, '$.error')").collectAsList();
    assertThat(failed).as("the stopped run's manifest").hasSize(1);
    assertThat(failed.get(0).getString(0)).matches("[a-z]+: " + Pattern.quote(STOPPED));

    CliRunner.Result rerun = CliRunner.run(run);
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    Map<String, String> after = writers(root);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    assertThat(after.values().stream().distinct()).hasSize(1).doesNotContain(before.values().iterator().next());
    assertThat(leftovers(root)).as("staging after the re-run").isEmpty();
  }

  /** Each table's writer of the snapshot, from the run id its partition records. */
  private static Map<String, String> writers(Path root) throws IOException {
    Map<String, String> writers = new TreeMap<>();
    try (Stream<Path> tables = Files.list(root)) {
      for (Path table : tables.toList()) {
        Path marker = table.resolve(SNAPSHOT).resolve(ParquetWarehouse.RUN_FILE);
        if (Files.exists(marker)) {
          writers.put(table.getFileName().toString(), Files.readString(marker).trim());
        }
      }
    }
    return writers;
  }

  /**
   * The files and folders whose names contain {@code part}, at most {@code depth} below {@code
   * folder}, hidden ones too (a file being written under a hidden name).
   */
  private record Probe(String folder, int depth, String part) {
    List<Path> matches(Path root) {
      Path under = root.resolve(folder);
      if (!Files.isDirectory(under)) {
        return List.of();
      }
      try (Stream<Path> files = Files.walk(under, depth)) {
        return files.filter(f -> !f.equals(under))
            .filter(f -> f.getFileName().toString().contains(part))
            .toList();
      } catch (IOException | UncheckedIOException e) {
        return List.of(); // a folder renamed while walked: look again
      }
    }
  }

  /** Files left under the staging folder. */
  private static List<Path> leftovers(Path root) throws IOException {
    if (!Files.isDirectory(root.resolve("_staging"))) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root.resolve("_staging"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
