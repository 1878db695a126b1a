package dev.lifecycle.jobs.run;

import dev.lifecycle.core.Futures;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.jobs.backtest.BacktestJob;
import dev.lifecycle.jobs.clv.ClvJob;
import dev.lifecycle.jobs.features.FeaturesJob;
import dev.lifecycle.jobs.ingest.IngestJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.migration.MigrationJob;
import dev.lifecycle.jobs.propensity.PropensityJob;
import dev.lifecycle.jobs.report.ReportJob;
import dev.lifecycle.jobs.retention.RetentionJob;
import dev.lifecycle.jobs.score.ScoreJob;
import dev.lifecycle.jobs.segment.SegmentJob;
import dev.lifecycle.jobs.segment.SegmentTuning;
import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.table.CustomerChurnTable;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.PropensityModelsTable;
import dev.lifecycle.spark.table.RunManifestTable;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Runs the stages a command asks for, in order, at each of its snapshots (oldest first), and
 * records the run manifest whether the run succeeds or fails. Ingest, features and retention run
 * fused: what the later two need at every snapshot comes out of ingest's one pass in memory, never
 * through a copy of the input in the lake. At each snapshot, stages run side by side where they
 * do not need each other's tables: retention (which needs only ingest's tallies) beside features;
 * then clv (once retention is written: it values each cohort from its curve), propensity, score
 * and migration beside segment, which waits for clv only to total each segment's CLV; score waits
 * for segment only to join its columns, and migration only for customer_scores, beside score's
 * rank of win_back; at the last snapshot, the report follows segment, and waits for propensity,
 * score and migration only to draw the sections that read their tables (score's as soon as it has
 * written them, while it ranks win_back).
 * Their fits and queries on the driver leave the executors idle for seconds, which the others'
 * tasks fill. The run's snapshot is the last, the one ingest validates against; without ingest,
 * the configured ones or the newest of customer_features. The report is the last snapshot's.
 */
public final class Pipeline {
  /** The stages, in pipeline order. */
  public enum Stage {
    INGEST,
    FEATURES,
    /** In {@code run} only when {@code validation.holdout-until} is set. */
    BACKTEST,
    RETENTION,
    /**
     * After retention, whose curves value each cohort; beside segment, which waits for it to total
     * each segment's CLV.
     */
    CLV,
    /** After clv, whose P(alive) it uses; in {@code run} only when {@code propensity.enabled}. */
    PROPENSITY,
    SEGMENT,
    /**
     * After clv and propensity, beside segment's end: it waits for segment only to join the
     * segment columns.
     */
    SCORE,
    /**
     * After score has written customer_scores, beside its rank of win_back: how customers moved
     * since the previous snapshot of customer_scores.
     */
    MIGRATION,
    /**
     * The last snapshot's, after segment, beside propensity, score and migration: it waits for
     * them only to draw the sections that read their tables.
     */
    REPORT,
    /** Not part of {@code run}: a sweep of segmentations, with its own comparison page. */
    TUNE;

    /** The stage's name in log lines, job groups and the manifest's timings. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the operating system says a disk is full, wherever Spark and Hadoop wrap it. */
  private static final String NO_SPACE = "No space left on device";

  /**
   * What the process spent before the run began, in milliseconds: from the JVM's start to the
   * command's ({@code jvmMs}: class loading, the command line), and from there to the stages'
   * start ({@code sessionMs}: the config, the Spark session, opening the warehouse). The manifest
   * records them beside the stages' times.
   */
  public record Startup(long jvmMs, long sessionMs) {}

  /** A finished run: its manifest and the URI of the manifest file. */
  public record Outcome(RunManifestTable.Manifest manifest, String manifestUri) {}

  private Pipeline() {}

  public static Outcome run(StageContext context, Set<Stage> stages, Startup startup) {
    if (stages.equals(backtest()) && context.config().holdoutUntil().isEmpty()) {
      throw LifecycleException.config(
          "Cannot backtest: set validation.holdout-until (--holdout-until), the end of the holdout after --as-of");
    }
    RunRecord record = new RunRecord(context, startup);
    try (Termination termination = Termination.install(record, context.spark().sparkContext())) {
      try {
        runStages(context, stages, record);
        return record.succeeded();
      } catch (Throwable e) { // also what Spark and Hadoop throw checked, and errors
        LifecycleException said = termination.stopped(e);
        if (said == null) {
          said = noSpaceLeft(e, context);
        }
        if (said != null) {
          record.failed(said);
          throw said;
        }
        record.failed(e);
        throw e;
      } finally {
        record.release(); // after the manifest: the run's record is written under its lease
      }
    }
  }

  /**
   * A full disk, said as such: Spark and Hadoop bury the operating system's "No space left on
   * device" deep in a task failure (Hadoop's local file system throws it as an {@code FSError}).
   * Null if the failure is something else.
   */
  private static LifecycleException noSpaceLeft(Throwable failure, StageContext context) {
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (String.valueOf(e.getMessage()).contains(NO_SPACE)) {
        return LifecycleException.environment(
            "no space left on device (writing under warehouse " + context.warehouse().uri() + " or Spark's local folders):"
                + " free space and rerun",
            failure);
      }
    }
    return null;
  }

  /** The stages of {@code backtest}: ingest and features to the snapshot, then the holdout check. */
  public static Set<Stage> backtest() {
    return EnumSet.of(Stage.FEATURES, Stage.BACKTEST);
  }

  /**
   * The stages of {@code propensity}: ingest and features (which summarise the customers at the
   * cut too), clv for P(alive), then the churn models.
   */
  public static Set<Stage> propensity() {
    return EnumSet.of(Stage.FEATURES, Stage.CLV, Stage.PROPENSITY);
  }

  /** The stages of {@code run}: everything but tuning. */
  public static Set<Stage> all() {
    return EnumSet.range(Stage.INGEST, Stage.REPORT);
  }

  private static void runStages(StageContext context, Set<Stage> stages, RunRecord record) {
    if (stages.contains(Stage.SEGMENT)) {
      SegmentJob.checkModelOut(context);
    }
    boolean propensity =
        stages.contains(Stage.PROPENSITY) && (stages.equals(propensity()) || context.config().propensity().enabled());
    if (propensity) {
      PropensityJob.checkModelOut(context);
    }
    boolean retention = stages.contains(Stage.RETENTION);
    boolean backtest = stages.contains(Stage.BACKTEST) && context.config().holdoutUntil().isPresent();
    IngestResult ingest = null;
    ExecutorService threads = Futures.daemons("stage", 2);
    try {
      if (stages.contains(Stage.INGEST) || stages.contains(Stage.FEATURES) || retention) {
        Supplier<IngestResult> ingestion =
            () -> {
              IngestJob.Input input = IngestJob.open(context, retention);
              record.snapshots(input.snapshots());
              return IngestJob.run(context, input, retention, propensity);
            };
        ingest = record.stage(Stage.INGEST, ingestion);
        // After the counts are recorded, so a failed gate leaves them in the manifest.
        IngestResult counted = ingest;
        record.gate(
            () -> {
              String uri = context.config().requireInput().name();
              IngestJob.checkGate(counted.counts(), context.config().maxRejectedShare(), uri);
              if (stages.contains(Stage.FEATURES) || retention) {
                IngestJob.checkCustomers(counted, uri);
              }
            });
      } else {
        record.snapshots(snapshots(context));
      }
      IngestResult pass = ingest;
      for (LocalDate snapshot : record.snapshots()) {
        record.making(snapshot);
        IngestOutput ingested = pass == null ? null : pass.at(snapshot);
        boolean last = snapshot.equals(record.snapshot());
        SideBySide beside = new SideBySide(threads);
        CompletableFuture<Void> retained =
            retention
                ? beside.start(() -> record.stage(Stage.RETENTION, () -> RetentionJob.run(context, ingested)))
                : CompletableFuture.completedFuture(null);
        beside.await(
            () -> {
              if (stages.contains(Stage.FEATURES)) {
                record.stage(Stage.FEATURES, () -> FeaturesJob.run(context, ingested));
              }
              if (backtest) {
                record.stage(Stage.BACKTEST, () -> BacktestJob.run(context, ingested));
              }
              // Each completes when its stages end, exceptionally if one of them failed.
              CompletableFuture<Void> valued = new CompletableFuture<>(); // clv
              CompletableFuture<Void> modelled = new CompletableFuture<>(); // clv and propensity, failed or not
              CompletableFuture<Void> segmented = new CompletableFuture<>(); // segment
              // propensity, and score up to the tables the report and migration read (not win_back)
              CompletableFuture<Void> scoresWritten = new CompletableFuture<>();
              CompletableFuture<Void> scored = new CompletableFuture<>(); // propensity and score
              CompletableFuture<Void> migrated = new CompletableFuture<>(); // migration
              beside.start(
                  () -> {
                    try {
                      try {
                        retained.join(); // clv values each cohort from its retention curve
                        if (stages.contains(Stage.CLV)) {
                          record.stage(Stage.CLV, () -> ClvJob.run(context, snapshot));
                        }
                        valued.complete(null);
                        if (propensity) {
                          // The models learn from the customers ingest summarised at the cut, still cached
                          record.stage(Stage.PROPENSITY, () -> PropensityJob.run(context, ingested, snapshot));
                        } else if (stages.contains(Stage.PROPENSITY)) {
                          // run with propensity off: score must not join an earlier run's churn scores
                          CustomerChurnTable.SPEC.clear(context.warehouse(), snapshot);
                          PropensityModelsTable.SPEC.clear(context.warehouse(), snapshot);
                        }
                      } finally {
                        modelled.complete(null);
                      }
                      if (stages.contains(Stage.SCORE)) {
                        // Beside segment's end; the scores take its columns once it has ended.
                        record.stage(
                            Stage.SCORE,
                            () -> ScoreJob.run(context, snapshot, segmented::join, () -> scoresWritten.complete(null)));
                      }
                      scoresWritten.complete(null); // when score did not run
                      scored.complete(null);
                    } catch (Throwable e) { // a stage waiting on these fails with it
                      valued.completeExceptionally(e);
                      scoresWritten.completeExceptionally(e);
                      scored.completeExceptionally(e);
                      throw e;
                    }
                  });
              // Beside win_back's rank, which runs in one task: migration reads customer_scores only.
              beside.start(
                  () -> {
                    Throwable scoreFailed = scoresWritten.handle((none, failure) -> failure).join();
                    if (scoreFailed != null) { // the run fails with score's failure, which its thread records
                      migrated.completeExceptionally(scoreFailed);
                      return;
                    }
                    try {
                      if (stages.contains(Stage.MIGRATION)) {
                        record.stage(Stage.MIGRATION, () -> MigrationJob.run(context, snapshot));
                      }
                      migrated.complete(null);
                    } catch (Throwable e) {
                      migrated.completeExceptionally(e);
                      throw e;
                    }
                  });
              if (last && pass != null) {
                // Nothing after these needs the pass.
                CompletableFuture.allOf(retained, modelled).whenComplete((none, failure) -> pass.close());
              }
              try {
                if (stages.contains(Stage.SEGMENT)) {
                  record.stage(Stage.SEGMENT, () -> SegmentJob.run(context, snapshot, valued::join));
                }
                segmented.complete(null);
              } catch (Throwable e) {
                segmented.completeExceptionally(e);
                throw e;
              }
              if (last && stages.contains(Stage.REPORT)) {
                // Beside score: the sections that read its, propensity's and migration's tables wait.
                // Retention's and clv's are written (segment waits for clv, but not when skipped).
                valued.join();
                record.stage(
                    Stage.REPORT,
                    () ->
                        ReportJob.run(
                            context, snapshot, record.manifest(RunRecord.RUNNING, null), scoresWritten::join,
                            migrated::join, scored::join));
              }
            });
        record.made(snapshot);
      }
    } finally {
      threads.shutdown();
      if (ingest != null) {
        ingest.close();
      }
    }
    LocalDate snapshot = record.snapshot();
    if (stages.contains(Stage.TUNE)) {
      record.stage(Stage.TUNE, () -> SegmentTuning.run(context, snapshot));
      record.stage(Stage.REPORT, () -> ReportJob.tuningPage(context, snapshot));
    }
  }

  /**
   * Without ingest: the configured snapshots (every stage runs at each, oldest first), or the
   * newest one customer_features holds.
   */
  private static List<LocalDate> snapshots(StageContext context) {
    if (!context.config().snapshots().isEmpty()) {
      return context.config().snapshots();
    }
    return List.of(
        CustomerFeaturesTable.SPEC
            .latestSnapshot(context.warehouse())
            .orElseThrow(
                () ->
                    LifecycleException.input(
                        "Cannot run " + context.command() + ": table " + CustomerFeaturesTable.SPEC.name() + " at "
                            + CustomerFeaturesTable.SPEC.path(context.warehouse()) + " has no snapshot (run features first)",
                        null)));
  }
}
