package dev.lifecycle.jobs.cli;

import dev.lifecycle.core.Redaction;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.run.Pipeline;
import dev.lifecycle.spark.io.DeltaWarehouse;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.table.RunManifestTable.Manifest;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A pipeline command: {@code run} or one stage. Prints the tables written and the manifest. */
@Command(mixinStandardHelpOptions = true, versionProvider = LifecycleCli.VersionProvider.class)
final class StageCommand implements Callable<Integer>, SparkOptions.Command {
  private final Set<Pipeline.Stage> stages;

  @Mixin JobOptions options;

  @ParentCommand LifecycleCli root;

  @Spec CommandSpec spec;

  StageCommand(Set<Pipeline.Stage> stages) {
    this.stages = stages;
  }

  @Override
  public SparkOptions sparkOptions() {
    return options.spark;
  }

  @Override
  public Integer call() {
    long commandStart = System.currentTimeMillis();
    long jvmMs = commandStart - ManagementFactory.getRuntimeMXBean().getStartTime();
    LifecycleConfig config = options.load();
    Map<String, String> sparkConf =
        config.usesDelta() ? DeltaWarehouse.sessionSettings(config.sparkConf(), System::getProperty) : config.sparkConf();
    SparkSession spark = options.spark.open(root.spark(), sparkConf, "lifecycle " + spec.name());
    try {
      // A missing or unwritable warehouse, or an Iceberg catalog that cannot be opened, fails
      // now, not after the input has been read.
      Warehouse warehouse = Warehouse.of(spark, config.output(), config.requireWarehouse());
      warehouse.requireWritable();
      StageContext context = new StageContext(spark, config, warehouse, UUID.randomUUID().toString(), spec.name());
      var startup = new Pipeline.Startup(jvmMs, System.currentTimeMillis() - commandStart);
      Pipeline.Outcome outcome = Pipeline.run(context, stages, startup);
      Manifest manifest = outcome.manifest();
      var out = spec.commandLine().getOut();
      if (manifest.earlierSnapshots().isEmpty()) {
        out.printf(
            "lifecycle %s: snapshot %s done%n",
            spec.name(), manifest.snapshot() == null ? "-" : manifest.snapshot().toString());
      } else {
        out.printf(
            "lifecycle %s: %d snapshots %s..%s done; the last one's tables:%n",
            spec.name(), manifest.earlierSnapshots().size() + 1, manifest.earlierSnapshots().get(0).snapshot(),
            manifest.snapshot());
      }
      manifest.tables().forEach(t -> out.printf("  %-22s %,12d rows  %s%n", t.table(), t.rows(), t.uri()));
      if (manifest.report() != null) {
        out.printf("  %-22s %12s       %s%n", "report", "", manifest.report());
      }
      out.printf("  %-22s %12s       %s%n", "run manifest", "", Redaction.text(outcome.manifestUri()));
      out.flush();
      return 0;
    } finally {
      root.spark().close(spark);
    }
  }
}
