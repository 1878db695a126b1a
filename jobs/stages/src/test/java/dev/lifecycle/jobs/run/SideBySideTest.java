package dev.lifecycle.jobs.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SideBySideTest {
  private final ExecutorService threads = Futures.daemons("side", 2);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void theFirstFailureIsThrownOnceEveryStageHasEnded() {
    SideBySide beside = new SideBySide(threads);
    AtomicBoolean slowEnded = new AtomicBoolean();
    CompletableFuture<Void> clv =
        beside.start(
            () -> {
              throw new IllegalStateException("clv broke");
            });
    beside.start(
        () -> {
          clv.exceptionally(e -> null).join();
          sleep(200);
          slowEnded.set(true);
        });
    assertThatThrownBy(
            () ->
                beside.await(
                    () -> {
                      clv.exceptionally(e -> null).join(); // ended, its failure recorded
                      throw new IllegalArgumentException("segment broke later");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("clv broke");
    assertThat(slowEnded).isTrue();
  }

  @Test
  void aStageWaitingForAnotherThatFailedSeesItsFailure() {
    SideBySide beside = new SideBySide(threads);
    CompletableFuture<Void> written = new CompletableFuture<>();
    beside.start(
        () -> {
          IllegalStateException failure = new IllegalStateException("no clv_models");
          written.completeExceptionally(failure);
          throw failure;
        });
    assertThatThrownBy(() -> beside.await(written::join)).hasMessage("no clv_models");
  }

  /**
   * The report waits for propensity; when propensity fails, the report's wait throws first, as a
   * CompletionException. That wrapper was recorded as the run's failure, an internal error (exit
   * 1) where propensity's own failure is exit 4, in 4 runs of 10.
   */
  @Test
  void aWaitersFailureIsTheFailureItWaitedFor() {
    SideBySide beside = new SideBySide(threads);
    CompletableFuture<Void> propensity = new CompletableFuture<>();
    CompletableFuture<Void> report = beside.start(propensity::join);
    IllegalArgumentException failure = new IllegalArgumentException("no churners held out");
    assertThatThrownBy(
            () ->
                beside.await(
                    () -> {
                      propensity.completeExceptionally(failure);
                      report.exceptionally(e -> null).join(); // the report's failure is recorded first
                      throw failure;
                    }))
        .isSameAs(failure);
  }

  @Test
  void withoutFailuresEveryStageHasEndedWhenItReturns() {
    SideBySide beside = new SideBySide(threads);
    AtomicBoolean ended = new AtomicBoolean();
    CompletableFuture<Void> started =
        beside.start(
            () -> {
              sleep(100);
              ended.set(true);
            });
    beside.await(() -> {});
    assertThat(started).isDone();
    assertThat(ended).isTrue();
    beside.await(() -> {}); // nothing left to wait for
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
