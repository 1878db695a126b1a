package dev.lifecycle.jobs.cli;

import dev.lifecycle.common.LifecycleException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A stage of the design that is not built yet: it takes the usual options and exits 2. */
@Command(mixinStandardHelpOptions = true, versionProvider = LifecycleCli.VersionProvider.class)
final class PendingCommand implements Callable<Integer> {
  @Mixin JobOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw LifecycleException.config("Cannot run " + spec.name() + ": not available yet");
  }
}
