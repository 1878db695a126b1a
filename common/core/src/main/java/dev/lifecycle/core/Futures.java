package dev.lifecycle.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Results of work run on another thread. */
public final class Futures {
  private Futures() {}

  /**
   * A pool of at most {@code threads} daemon threads, named {@code name}, or {@code name-1},
   * {@code name-2}... when more than one. Each thread starts when work is first submitted to it,
   * from the submitting thread, so it inherits that thread's inheritable state (Spark's job group
   * and local properties among it).
   */
  public static ExecutorService daemons(String name, int threads) {
    AtomicInteger started = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        work -> {
          Thread thread = new Thread(work, threads == 1 ? name : name + "-" + started.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * The result of {@code work}, waiting for it; its failure is thrown as it was thrown (an
   * unchecked exception or error as itself, a checked one wrapped, naming {@code what}).
   */
  public static <T> T join(Future<T> work, String what) {
    try {
      return work.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("Failed while " + what + ": " + e.getCause(), e.getCause());
    }
  }
}
