package dev.lifecycle.jobs.run;

import dev.lifecycle.jobs.clv.ClvJob;
import dev.lifecycle.jobs.features.FeaturesJob;
import dev.lifecycle.jobs.ingest.IngestJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.report.ReportJob;
import dev.lifecycle.jobs.retention.RetentionJob;
import dev.lifecycle.jobs.score.ScoreJob;
import dev.lifecycle.jobs.segment.SegmentJob;
import dev.lifecycle.jobs.segment.SegmentTuning;
import java.util.EnumSet;
import java.util.Set;

/**
 * Runs the stages a command asks for, in order, and records the run manifest, whether the run
 * succeeds or fails. Ingest, features and retention run fused: what the later two need comes out
 * of ingest's one pass in memory, never through a copy of the input in the lake.
 */
public final class Pipeline {
  /** The stages that exist so far, in pipeline order. */
  public enum Stage {
    INGEST,
    FEATURES,
    SEGMENT,
    RETENTION,
    CLV,
    SCORE,
    REPORT,
    /** Not part of {@code run}: a sweep of segmentations, with its own comparison page. */
    TUNE
  }

  private Pipeline() {}

  /** Returns the URI of the run manifest file. */
  public static String run(RunContext context, Set<Stage> stages) {
    // A missing warehouse, or an Iceberg catalog that cannot be opened, fails now, not after the
    // input has been read.
    context.warehouse();
    try {
      boolean retention = stages.contains(Stage.RETENTION);
      if (stages.contains(Stage.INGEST) || stages.contains(Stage.FEATURES) || retention) {
        try (IngestResult ingest = IngestJob.run(context, retention)) {
          if (stages.contains(Stage.FEATURES)) {
            FeaturesJob.run(context, ingest);
          }
          if (retention) {
            RetentionJob.run(context, ingest);
          }
        }
      }
      if (stages.contains(Stage.SEGMENT)) {
        SegmentJob.run(context);
      }
      if (stages.contains(Stage.CLV)) {
        ClvJob.run(context);
      }
      if (stages.contains(Stage.SCORE)) {
        ScoreJob.run(context);
      }
      if (stages.contains(Stage.REPORT)) {
        ReportJob.run(context);
      }
      if (stages.contains(Stage.TUNE)) {
        SegmentTuning.run(context);
      }
    } catch (RuntimeException e) {
      recordFailure(context, e);
      throw e;
    }
    return RunManifest.write(context, "succeeded", null);
  }

  /** The stages of {@code run}: everything but tuning. */
  public static Set<Stage> all() {
    return EnumSet.range(Stage.INGEST, Stage.REPORT);
  }

  private static void recordFailure(RunContext context, RuntimeException failure) {
    try {
      RunManifest.write(context, "failed", failure.getMessage());
    } catch (RuntimeException secondary) {
      failure.addSuppressed(secondary);
    }
  }
}
