package dev.lifecycle.jobs.cli;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.run.Pipeline;
import dev.lifecycle.jobs.run.RunContext;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A pipeline command: {@code run} or one stage. Prints the tables written and the manifest. */
@Command(mixinStandardHelpOptions = true, versionProvider = LifecycleCli.VersionProvider.class)
final class StageCommand implements Callable<Integer> {
  private final Set<Pipeline.Stage> stages;

  @Mixin JobOptions options;

  @ParentCommand LifecycleCli root;

  @Spec CommandSpec spec;

  StageCommand(Set<Pipeline.Stage> stages) {
    this.stages = stages;
  }

  @Override
  public Integer call() {
    LifecycleConfig config = options.load();
    SparkSession spark =
        root.spark().open(options.spark.master, config.sparkConf(), "lifecycle " + spec.name());
    try {
      RunContext context = new RunContext(spark, config, spec.name());
      String manifest = Pipeline.run(context, stages);
      var out = spec.commandLine().getOut();
      out.printf(
          "lifecycle %s: snapshot %s done%n",
          spec.name(), context.snapshot().map(Object::toString).orElse("-"));
      context
          .tables()
          .forEach(
              (table, uri) ->
                  out.printf(
                      "  %-22s %,12d rows  %s%n", table, context.counts().get(table + "_rows"), uri));
      context.report().ifPresent(uri -> out.printf("  %-22s %12s       %s%n", "report", "", uri));
      out.printf("  %-22s %12s       %s%n", "run manifest", "", manifest);
      out.flush();
      return 0;
    } finally {
      root.spark().close(spark);
    }
  }
}
