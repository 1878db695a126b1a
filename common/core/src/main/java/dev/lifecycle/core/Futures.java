package dev.lifecycle.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Results of work run on another thread. */
public final class Futures {
  private Futures() {}

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
