package dev.lifecycle.jobs.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stages that run beside the pipeline's thread, on threads of their own: while one stage waits on
 * the driver (a model's fit), another's tasks keep the executors busy. Each is started with {@link
 * #start}; {@link #await} runs the pipeline thread's own part, then waits for every stage started.
 * The first failure in time, of any of them, is the one thrown, and only once every stage started
 * has ended, so that none still writes when the run records its failure. A stage that fails
 * because a stage it waited for failed fails with that stage's failure, whichever is first.
 */
final class SideBySide {
  private final ExecutorService threads;
  private final List<CompletableFuture<Void>> started = new ArrayList<>();
  private final AtomicReference<Throwable> first = new AtomicReference<>();

  SideBySide(ExecutorService threads) {
    this.threads = threads;
  }

  /** Starts {@code work} on a thread of its own; the future ends when it does. */
  CompletableFuture<Void> start(Runnable work) {
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> failing(work), threads);
    started.add(done);
    return done;
  }

  /**
   * Runs {@code here} on this thread, then waits for every stage started; throws the first
   * failure, if any.
   */
  void await(Runnable here) {
    try {
      failing(here);
    } catch (Throwable e) { // recorded: thrown below, once the others have ended
    }
    for (CompletableFuture<Void> done : started) {
      try {
        done.join();
      } catch (CompletionException e) { // recorded
      }
    }
    started.clear();
    Throwable failure = first.getAndSet(null);
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) { // a checked exception, thrown unchecked by Spark or Hadoop
      throw new IllegalStateException(failure.toString(), failure);
    }
  }

  private void failing(Runnable work) {
    try {
      work.run();
    } catch (Throwable e) {
      // a stage that waited for another and saw it fail fails with that stage's failure
      first.compareAndSet(null, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
      throw e;
    }
  }
}
