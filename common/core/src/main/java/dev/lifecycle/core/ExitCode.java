package dev.lifecycle.core;

/** The process exit codes of the CLI contract (DESIGN.md). */
public final class ExitCode {
  public static final int OK = 0;
  public static final int INTERNAL = 1;
  public static final int USAGE = 2;
  public static final int INPUT_UNUSABLE = 3;
  public static final int QUALITY_GATE = 4;

  private ExitCode() {}
}
