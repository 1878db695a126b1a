package dev.lifecycle.jobs.cli;

import dev.lifecycle.jobs.sample.PlantedSegment;
import dev.lifecycle.jobs.sample.SampleJob;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    versionProvider = LifecycleCli.VersionProvider.class,
    description = {
      "Writes synthetic transactions with known truth: BG/NBD purchases, Gamma-Gamma spend,"
          + " five planted segments (or one population with --parameters), acquisition over the"
          + " 30 months up to 2025-12-31.",
      "OUT/transactions holds customer_id, order_id, timestamp, amount; OUT/truth the planted"
          + " segment and true parameters per customer."
    })
final class SampleCommand implements Callable<Integer>, SparkOptions.Command {
  @Option(names = "--customers", required = true, paramLabel = "N", description = "Number of customers.")
  long customers;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "URI", description = "Output folder (replaced).")
  String out;

  @Option(
      names = "--parameters",
      split = ",",
      paramLabel = "NAME=VALUE",
      description = {
        "One population instead of the five segments, with known BG/NBD (r, alpha per week, a, b)"
            + " and Gamma-Gamma (p, q, gamma) parameters, all seven given,"
            + " e.g. r=0.25,alpha=4,a=0.8,b=2.4,p=6,q=3.7,gamma=15."
      })
  Map<String, Double> parameters;

  @Option(names = "--partitions", paramLabel = "P", description = "Output files (default: one per 125,000 customers, at least 2). The data does not depend on it.")
  Integer partitions;

  @Mixin SparkOptions spark;

  @ParentCommand LifecycleCli root;

  @Spec CommandSpec spec;

  @Override
  public SparkOptions sparkOptions() {
    return spark;
  }

  @Override
  public Integer call() {
    if (customers < 1) {
      throw new ParameterException(spec.commandLine(), "--customers must be at least 1, got " + customers);
    }
    if (partitions != null && partitions < 1) {
      throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
    }
    List<PlantedSegment> segments = PlantedSegment.DEFAULTS;
    if (parameters != null) {
      try {
        segments = List.of(PlantedSegment.homogeneous(parameters));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--parameters: " + e.getMessage());
      }
    }
    int files = partitions != null ? partitions : (int) Math.max(2, Math.min(10_000, customers / 125_000));
    SparkSession session = spark.open(root.spark(), Map.of(), "lifecycle sample");
    try {
      SampleJob.Result result = SampleJob.run(session, segments, customers, seed, files, out);
      var printer = spec.commandLine().getOut();
      printer.printf(
          "lifecycle sample: %,d customers, %,d transactions%n  transactions  %s%n  truth         %s%n",
          result.customers(), result.transactions(), result.transactionsUri(), result.truthUri());
      printer.flush();
      return 0;
    } finally {
      root.spark().close(session);
    }
  }
}
