package dev.lifecycle.core;

/**
 * A failure the user can act on: its message is one line naming what and where, and it carries
 * the documented exit code. Anything else that escapes a job is an internal error (exit 1).
 */
public class LifecycleException extends RuntimeException {
  private final int exitCode;

  protected LifecycleException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** Bad usage or configuration: exit 2. */
  public static LifecycleException config(String message) {
    return new LifecycleException(ExitCode.USAGE, message, null);
  }

  /** Bad configuration found on use (a catalog that cannot be opened): exit 2, the cause kept. */
  public static LifecycleException config(String message, Throwable cause) {
    return new LifecycleException(ExitCode.USAGE, message, cause);
  }

  /** The input cannot be used at all (missing, not Parquet, wrong schema): exit 3. */
  public static LifecycleException input(String message, Throwable cause) {
    return new LifecycleException(ExitCode.INPUT_UNUSABLE, message, cause);
  }

  /**
   * The machine failed the run, not the input or the config (a full disk): exit 1, like an
   * internal error, since a retry once it is fixed can succeed; but the message says what to fix.
   */
  public static LifecycleException environment(String message, Throwable cause) {
    return new LifecycleException(ExitCode.INTERNAL, message, cause);
  }

  /** A data-quality gate failed after the bad rows were quarantined: exit 4. */
  public static LifecycleException qualityGate(String message) {
    return new LifecycleException(ExitCode.QUALITY_GATE, message, null);
  }
}
