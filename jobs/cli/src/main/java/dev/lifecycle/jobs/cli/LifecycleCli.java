package dev.lifecycle.jobs.cli;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.Redaction;
import dev.lifecycle.jobs.run.Pipeline;
import dev.lifecycle.jobs.run.Versions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.util.ShutdownHookManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lifecycle} command: the pipeline, its stages, and the sample generator. */
@Command(
    name = "lifecycle",
    mixinStandardHelpOptions = true,
    versionProvider = LifecycleCli.VersionProvider.class,
    description = "Customer lifecycle analytics on Spark: RFM features, segments, retention, CLV.")
public final class LifecycleCli implements Runnable {
  /** What Spark says when a stage calls it after it stopped the application. */
  private static final String STOPPED_CONTEXT = "Cannot call methods on a stopped SparkContext";

  private final SparkProvider spark;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public LifecycleCli(SparkProvider spark) {
    this.spark = spark;
  }

  SparkProvider spark() {
    return spark;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /**
   * A signal (SIGTERM) ends the JVM once its shutdown hooks return. This one holds the end until
   * the command has ended, its failure recorded (the run's own hook, before it) and its one-line
   * error printed; Spark's hooks, which stop its context, come after it.
   */
  private static final int SIGNALLED_PRIORITY = 55;

  private static final long COMMAND_WAIT_SECONDS = 30;

  public static void main(String[] args) {
    CountDownLatch ended = new CountDownLatch(1);
    ShutdownHookManager.get()
        .addShutdownHook(() -> awaitCommand(ended), SIGNALLED_PRIORITY, COMMAND_WAIT_SECONDS + 5, TimeUnit.SECONDS);
    int code = commandLine(SparkProvider.standard()).execute(args);
    ended.countDown();
    System.exit(code);
  }

  private static void awaitCommand(CountDownLatch ended) {
    try {
      ended.await(COMMAND_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The command line with its subcommands and the error handling of the CLI contract. */
  public static CommandLine commandLine(SparkProvider spark) {
    CommandLine cli = new CommandLine(new LifecycleCli(spark));
    addStage(
        cli,
        "run",
        "Run the whole pipeline: ingest, features, segment, retention, clv, score, migration, report (and backtest with --holdout-until, propensity with propensity.enabled).",
        Pipeline.all());
    addStage(
        cli,
        "ingest",
        "Validate the input: bad rows to transactions_rejected, counts to the manifest.",
        EnumSet.of(Pipeline.Stage.INGEST));
    addStage(
        cli,
        "features",
        "Ingest, then write customer_features (RFM, BTYD summary, scores, segments, ABC).",
        EnumSet.of(Pipeline.Stage.FEATURES));
    addStage(
        cli,
        "backtest",
        "Ingest and features to --as-of, then each purchase model's forecast against (--as-of, --holdout-until]: clv_validation.",
        Pipeline.backtest());
    addStage(
        cli,
        "segment",
        "Segment customers with k-means and a SOM: customer_segments, segment_profiles, som_codebook, segment_lineage.",
        EnumSet.of(Pipeline.Stage.SEGMENT));
    addStage(
        cli,
        "retention",
        "Ingest, then write cohort_activity, retention_curves and retention_models.",
        EnumSet.of(Pipeline.Stage.RETENTION));
    addStage(
        cli,
        "clv",
        "Fit the purchase and spend models to clv_models, and cohort_value from the retention curves.",
        EnumSet.of(Pipeline.Stage.CLV));
    addStage(
        cli,
        "propensity",
        "Ingest, features and clv, then churn models learnt at the cut (--as-of less propensity.horizon-days): propensity_models, customer_churn.",
        Pipeline.propensity());
    addStage(
        cli,
        "score",
        "Write customer_scores (RFM, P(alive), CLV, lifecycle stage and pattern, value quadrant, loyalty index, value class, churn, action), loyalty_weights and win_back.",
        EnumSet.of(Pipeline.Stage.SCORE));
    addStage(
        cli,
        "migration",
        "Compare customer_scores with its previous snapshot: customer_migration (status, from/to) and migration_matrix.",
        EnumSet.of(Pipeline.Stage.MIGRATION));
    addStage(
        cli,
        "report",
        "Write the snapshot's HTML report (charts of every table) under <warehouse>/reports/.",
        EnumSet.of(Pipeline.Stage.REPORT));
    addStage(
        cli,
        "tune",
        "Sweep segmentations (tune.k, tune.som.grid, tune.features, tune.seeds): tuning_runs and a comparison page.",
        EnumSet.of(Pipeline.Stage.TUNE));
    cli.addSubcommand("sample", new SampleCommand());
    cli.setParameterExceptionHandler(LifecycleCli::usageError);
    cli.setExecutionExceptionHandler(LifecycleCli::failure);
    return cli;
  }

  private static void addStage(
      CommandLine cli, String name, String description, java.util.Set<Pipeline.Stage> stages) {
    CommandLine stage = new CommandLine(new StageCommand(stages));
    stage.getCommandSpec().usageMessage().description(description);
    cli.addSubcommand(name, stage);
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    // picocli names a map option twice when its value has no '=': "Value for option option '--set'"
    String message = String.valueOf(e.getMessage()).replace("option option ", "option ");
    err.println(
        "lifecycle: "
            + Redaction.text(message)
            + " (see '"
            + command.getCommandSpec().qualifiedName()
            + " --help')");
    err.flush();
    return ExitCode.USAGE;
  }

  private static int failure(
      Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
    PrintWriter err = command.getErr();
    boolean verbose = command.getCommand() instanceof SparkOptions.Command c && c.sparkOptions().verbose;
    int code;
    if (e instanceof LifecycleException known) {
      err.println("lifecycle: " + Redaction.text(known.getMessage()));
      code = known.exitCode();
    } else if (firstLine(e).startsWith(STOPPED_CONTEXT)) {
      err.println(
          "lifecycle: Spark stopped the application before the run ended: its executors could not start, or"
              + " all of them were lost (the Spark log above says why)");
      code = ExitCode.INTERNAL;
    } else {
      err.println(
          "lifecycle: internal error: "
              + Redaction.text(firstLine(e))
              + (verbose ? "" : " (rerun with --verbose for the stack trace)"));
      code = ExitCode.INTERNAL;
    }
    if (verbose) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      err.print(Redaction.text(trace.toString()));
    }
    err.flush();
    return code;
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Map<String, String> v = Versions.all();
      return new String[] {
        "lifecycle " + v.get("lifecycle"),
        "Spark " + v.get("spark") + ", Scala " + v.get("scala") + ", Java " + v.get("java")
      };
    }
  }
}
