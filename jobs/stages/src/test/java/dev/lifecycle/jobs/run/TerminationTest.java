package dev.lifecycle.jobs.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.Futures;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.RunManifestTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.FilterFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook's own path: a stage busy on the driver (a fit in plain Java, which no cancelled Spark
 * job stops) past the wait. The usual path, a run whose jobs the hook cancels and which records
 * its own failure, is {@code KillPointsTest}'s SIGTERM on a real process.
 */
class TerminationTest {
  @TempDir Path dir;

  @Test
  void aRunStillBusyAfterTheWaitIsRecordedAsFailedByTheHookItsLeaseReleasedAndNoStageStartsAfter() throws Exception {
    Path warehouse = dir.resolve("warehouse");
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults().with(Map.of("input.path", dir.toString(), "warehouse", warehouse.toString()), "test"));
    StageContext context = Fixtures.context(config, "run");
    RunRecord record = new RunRecord(context, new Pipeline.Startup(0, 0));
    record.snapshots(List.of(LocalDate.parse("2025-12-31")));
    assertThat(files(warehouse.resolve("_leases"))).hasSize(1);

    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch fitting = new CountDownLatch(1);
    ExecutorService threads = Futures.daemons("busy", 1);
    try (Termination termination = Termination.install(record, context.spark().sparkContext())) {
      CompletableFuture<Void> clv =
          CompletableFuture.runAsync(
              () ->
                  record.stage(
                      Pipeline.Stage.CLV,
                      () -> {
                        fitting.countDown();
                        await(busy);
                        return (StageResult) null;
                      }),
              threads);
      fitting.await();
      termination.stop(1);

      List<Path> manifests = files(warehouse.resolve(RunManifestTable.FILES));
      assertThat(manifests).hasSize(1);
      String json = Files.readString(manifests.get(0));
      assertThat(json).contains("\"status\" : \"failed\"").contains("\"error\" : \"clv: " + Termination.MESSAGE + "\"");
      assertThat(files(warehouse.resolve("_leases"))).as("leases").isEmpty();
      assertThatThrownBy(() -> record.stage(Pipeline.Stage.SEGMENT, () -> (StageResult) null))
          .isInstanceOf(CancellationException.class);
      assertThat(termination.stopped(new IllegalStateException("job cancelled")))
          .hasMessage(Termination.MESSAGE);

      busy.countDown();
      clv.exceptionally(e -> null).join();
      record.failed(new IllegalStateException("the run's own failure, too late"));
      assertThat(files(warehouse.resolve(RunManifestTable.FILES))).as("recorded once").hasSize(1);
    } finally {
      threads.shutdownNow();
    }
    // Closed, it cancels no job of the session the next run shares: a job slow enough for the
    // listener, told of its start, to have cancelled it.
    context.spark().sparkContext().setJobGroup("segment", "a later run's stage", false);
    try {
      assertThat(context.spark().range(0, 2, 1, 2).filter((FilterFunction<Long>) TerminationTest::slowly).count())
          .isEqualTo(2);
    } finally {
      context.spark().sparkContext().clearJobGroup();
    }
  }

  @Test
  void aRunWaitingForAnotherRunsLeaseStopsWaitingAndIsRecordedAsFailed() throws Exception {
    Path warehouse = dir.resolve("warehouse");
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .with(
                    Map.of("input.path", dir.toString(), "warehouse", warehouse.toString(), "lease.wait-seconds", "3600"),
                    "test"));
    LocalDate day = LocalDate.parse("2025-12-31");
    StageContext other = Fixtures.context(config, "run");
    ExecutorService threads = Futures.daemons("waiting", 1);
    try (var held = other.warehouse().lease(day, other.runId(), "run", config.lease())) {
      StageContext context = Fixtures.context(config, "run");
      RunRecord record = new RunRecord(context, new Pipeline.Startup(0, 0));
      Termination termination = Termination.install(record, context.spark().sparkContext());
      CountDownLatch waiting = new CountDownLatch(1);
      // What Pipeline.run does around the stages, here around the lease the run waits for.
      CompletableFuture<Void> run =
          CompletableFuture.runAsync(
              () -> {
                try {
                  waiting.countDown();
                  record.snapshots(List.of(day));
                } catch (RuntimeException e) {
                  LifecycleException said = termination.stopped(e);
                  record.failed(said == null ? e : said);
                } finally {
                  record.release();
                  termination.close();
                }
              },
              threads);
      waiting.await();
      Thread.sleep(1500); // in the lease's poll
      long start = System.nanoTime();
      termination.stop(Termination.WAIT_SECONDS);
      assertThat((System.nanoTime() - start) / 1e9).as("seconds to stop").isLessThan(10);
      run.join();

      List<Path> manifests = files(warehouse.resolve(RunManifestTable.FILES));
      assertThat(manifests).hasSize(1);
      assertThat(Files.readString(manifests.get(0)))
          .contains("\"status\" : \"failed\"")
          .contains("\"error\" : \"" + Termination.MESSAGE + "\"");
      assertThat(files(warehouse.resolve("_leases"))).as("the other run's lease, still held").hasSize(1);
      assertThat(Thread.interrupted()).isFalse();
    } finally {
      threads.shutdownNow();
    }
  }

  private static boolean slowly(long row) throws InterruptedException {
    Thread.sleep(1000);
    return true;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Path> files(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    }
  }
}
