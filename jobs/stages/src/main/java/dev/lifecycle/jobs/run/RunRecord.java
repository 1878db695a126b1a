package dev.lifecycle.jobs.run;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.Redaction;
import dev.lifecycle.jobs.clv.ClvJob;
import dev.lifecycle.jobs.features.FeaturesJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.propensity.PropensityJob;
import dev.lifecycle.jobs.report.ReportJob;
import dev.lifecycle.jobs.retention.RetentionJob;
import dev.lifecycle.jobs.segment.SegmentJob;
import dev.lifecycle.spark.io.SnapshotLease;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.RunManifestTable;
import dev.lifecycle.spark.table.RunManifestTable.Counts;
import dev.lifecycle.spark.table.RunManifestTable.Manifest;
import dev.lifecycle.spark.table.SegmentMetrics;
import dev.lifecycle.spark.table.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run has done so far: each stage run under its own Spark job group and timed, with one log
 * line when it ends, and its typed result kept. The manifest is made from those results, in
 * pipeline order whichever stage ended first: stages may run side by side, on threads of their
 * own, so what a stage records is guarded. A run of many snapshots holds the lease of each from
 * the start; it publishes each snapshot but the last when that snapshot is made, and keeps only
 * its tables' rows (the last snapshot's results make the manifest).
 */
final class RunRecord {
  static final String RUNNING = "running";
  private static final String JVM_START = "jvm_start";
  private static final String SESSION_START = "session_start";
  /** The run's time outside every stage: the checks between them, publishing the tables. */
  private static final String BETWEEN_STAGES = "between_stages";
  /** The time stages ran side by side, counted once for each stage beyond the first. */
  private static final String STAGES_OVERLAP = "stages_overlap";
  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  private final StageContext context;
  private final Instant startedAt = Instant.now();
  private final long startedNanos = System.nanoTime();
  private final Pipeline.Startup startup;
  /** Each stage's milliseconds, in pipeline order. */
  private final Map<Pipeline.Stage, Long> timings = new EnumMap<>(Pipeline.Stage.class);
  /** The stages' results, in the order they ended; {@link #inOrder} sorts them. */
  private final List<Done> results = new ArrayList<>();
  /** The stages running now, and since when (on {@link #clockMs}) that number last changed. */
  private int running;
  private long runningSince;
  /** The time counted in more than one stage, in milliseconds. */
  private long overlapMs;
  /** The run's snapshots, oldest first; the last is the run's snapshot. */
  private List<LocalDate> snapshots = List.of();
  /** The snapshot being made, when the run makes many. */
  private LocalDate making;
  /** Where the results of the snapshot being made start. */
  private int makingFrom;
  private final List<RunManifestTable.SnapshotRows> earlier = new ArrayList<>();
  private final List<SnapshotLease> leases = new ArrayList<>();
  /** The stage that failed, once one has. */
  private String failedStage;
  /** The stages running now, by name, in the order they started. */
  private final Set<String> inStages = new LinkedHashSet<>();
  /** Whether the tables the run wrote were dropped, not published: then the manifest lists none. */
  private boolean discarded;
  /** Whether ingest's data-quality gate failed: then the rejects it judged are published. */
  private boolean gateFailed;
  /** Whether the run's failure is recorded: once only, by the run or by {@link Termination}. */
  private boolean recordedFailure;
  /** Whether every stage has ended well and the run is publishing its tables. */
  private boolean publishing;
  /** Whether the process is being stopped: no stage may start, nothing may be published. */
  private boolean stopping;
  /** The thread taking the snapshots' leases, while it does: it may be waiting for another run. */
  private Thread leasing;

  /** A stage's result, with the stage. */
  private record Done(Pipeline.Stage stage, StageResult result) {}

  RunRecord(StageContext context, Pipeline.Startup startup) {
    this.context = context;
    this.startup = startup;
  }

  /** The run's snapshot: the last of its snapshots; null until settled. */
  LocalDate snapshot() {
    return snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
  }

  List<LocalDate> snapshots() {
    return snapshots;
  }

  /**
   * Settles the run's snapshots and takes each one's lease: from now on this run is their one
   * writer. The last snapshot's writes are held from now (ingest's rejects go there).
   */
  void snapshots(List<LocalDate> snapshots) {
    this.snapshots = List.copyOf(snapshots);
    synchronized (this) {
      checkNotStopping();
      leasing = Thread.currentThread();
    }
    try {
      for (LocalDate snapshot : snapshots) {
        // Outside the lock: with --wait this can take an hour, which stop() interrupts.
        SnapshotLease lease =
            context.warehouse().lease(snapshot, context.runId(), context.command(), context.config().lease());
        synchronized (this) {
          leases.add(lease);
        }
      }
    } finally {
      synchronized (this) {
        leasing = null;
        if (stopping) {
          Thread.interrupted(); // stop()'s interrupt, spent: the run records its failure next, on this thread
        }
      }
    }
    context.warehouse().holdWrites(snapshot());
  }

  /** Starts making one of many snapshots: its writes are held until {@link #made}. */
  synchronized void making(LocalDate snapshot) {
    if (snapshots.size() > 1) {
      making = snapshot;
      makingFrom = results.size();
      if (!snapshot.equals(snapshot())) {
        context.warehouse().holdWrites(snapshot);
      }
      LOG.info("snapshot {} ({} of {})", snapshot, snapshots.indexOf(snapshot) + 1, snapshots.size());
    }
  }

  /**
   * One of many snapshots is made: unless it is the last, its tables are published now and the
   * manifest keeps their rows.
   */
  synchronized void made(LocalDate snapshot) {
    if (snapshots.size() > 1 && !snapshot.equals(snapshot())) {
      context.warehouse().publish(snapshot);
      List<Done> made = results.subList(makingFrom, results.size());
      Map<String, Long> rows = new LinkedHashMap<>();
      inOrder(made).forEach(result -> result.tables().forEach(t -> rows.put(t.table(), t.rows())));
      earlier.add(new RunManifestTable.SnapshotRows(snapshot, rows));
      made.clear();
    }
  }

  /** Releases the snapshots' leases, if taken. */
  synchronized void release() {
    leases.forEach(SnapshotLease::close);
    leases.clear();
  }

  /**
   * Runs one stage on this thread under a Spark job group of its name (so the Spark UI shows where
   * the run is), timed, and logs one line when it ends: its rows, in its unit, and its time, e.g.
   * {@code segment done in 6.5 s: 1,000,000 customers}. The first stage to fail is the one the
   * manifest names.
   */
  <T extends StageResult> T stage(Pipeline.Stage stage, Supplier<T> work) {
    String name = stage.label();
    synchronized (this) {
      checkNotStopping();
      inStages.add(name);
    }
    SparkContext spark = context.spark().sparkContext();
    spark.setJobGroup(name, "lifecycle " + name + " (run " + context.runId() + ")", false);
    long start = System.nanoTime();
    long startMs = running(+1);
    boolean done = false;
    try {
      T result = work.get();
      done = true;
      synchronized (this) {
        results.add(new Done(stage, result));
      }
      LOG.info(
          "{} done in {} s: {} {}", name, seconds(start), String.format(Locale.ROOT, "%,d", result.rows()), result.unit());
      return result;
    } finally {
      synchronized (this) {
        timings.merge(stage, running(-1) - startMs, Long::sum);
        inStages.remove(name);
        if (!done && failedStage == null) {
          failedStage = where(name);
        }
      }
      spark.clearJobGroup();
      if (!done) {
        LOG.info("{} failed after {} s", name, seconds(start));
      }
    }
  }

  /** The stage {@code name}, with the snapshot it was making when the run makes many. */
  private String where(String name) {
    return making == null ? name : name + " at snapshot " + making;
  }

  /**
   * One stage more or fewer running, now: the time since the last change counts once as overlap
   * for each stage beyond the first. Returns the time now on {@link #clockMs}.
   */
  private synchronized long running(int change) {
    long now = clockMs();
    if (running > 1) {
      overlapMs += (running - 1) * (now - runningSince);
    }
    running += change;
    runningSince = now;
    return now;
  }

  /**
   * The run's clock, in whole milliseconds since it started. Every stage's time and the overlap
   * are differences of its readings, so they add up exactly: the stages' times, less the
   * overlap, are the time at least one stage ran.
   */
  private long clockMs() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** The results in pipeline order; stages that ran side by side may have ended in any order. */
  private static List<StageResult> inOrder(List<Done> done) {
    return done.stream().sorted(Comparator.comparing(Done::stage)).map(Done::result).toList();
  }

  private static String seconds(long start) {
    return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
  }

  /** The manifest of the run as it stands, with the given status. */
  synchronized Manifest manifest(String status, String error) {
    RunManifestTable.IngestCounts ingest = null;
    Long customers = null;
    Long cohorts = null;
    Long pooled = null;
    Long patterns = null;
    Double clvFitSeconds = null;
    SegmentMetrics segment = null;
    RunManifestTable.Churn churn = null;
    String report = null;
    List<Table.Written> tables = new ArrayList<>();
    for (StageResult result : inOrder(results)) {
      if (!discarded) {
        result.tables().forEach(t -> tables.add(new Table.Written(t.table(), Redaction.text(t.uri()), t.rows())));
      }
      if (result instanceof IngestResult r) {
        ingest = r.counts();
      } else if (result instanceof FeaturesJob.Result r) {
        customers = r.customers();
      } else if (result instanceof RetentionJob.Result r) {
        cohorts = r.cohorts();
        pooled = r.pooledGroups();
      } else if (result instanceof SegmentJob.Result r) {
        segment = r.metrics();
      } else if (result instanceof ClvJob.Result r) {
        patterns = r.patterns();
        clvFitSeconds = r.fitSeconds();
      } else if (result instanceof PropensityJob.Result r) {
        Map<String, Double> auc = new LinkedHashMap<>();
        r.models().stream().filter(m -> m.auc() != null).forEach(m -> auc.put(m.model(), m.auc()));
        churn = new RunManifestTable.Churn(r.model(), auc);
      } else if (result instanceof ReportJob.Result r) {
        report = Redaction.text(r.uri());
      }
    }
    // One reading of the run's clock for both: the timings then add up to finished_at - started_at
    // exactly, where a second reading, taken after the config and versions were gathered, came
    // milliseconds later on a busy machine.
    long elapsedMs = clockMs();
    return new Manifest(
        context.runId(), context.command(), status, Redaction.text(error), snapshot(), List.copyOf(earlier), startedAt,
        startedAt.plusMillis(elapsedMs), Versions.all(), context.config().redacted(),
        new Counts(ingest, customers, cohorts, pooled, patterns), timingsSoFar(elapsedMs), clvFitSeconds, segment, churn,
        tables, report);
  }

  /**
   * The start-up, each stage's time, the run's time so far outside every stage, and the time
   * stages overlapped (counted once more for each stage beyond the first): the stages, less their
   * overlap, and the time between them add up to the run's, {@code elapsedMs} on its clock.
   */
  private Map<String, Long> timingsSoFar(long elapsedMs) {
    Map<String, Long> all = new LinkedHashMap<>();
    all.put(JVM_START, startup.jvmMs());
    all.put(SESSION_START, startup.sessionMs());
    timings.forEach((stage, ms) -> all.put(stage.label(), ms));
    long inStages = timings.values().stream().mapToLong(Long::longValue).sum() - overlapMs;
    all.put(BETWEEN_STAGES, elapsedMs - inStages);
    all.put(STAGES_OVERLAP, overlapMs);
    return all;
  }

  /**
   * The process is being stopped: from now on no stage starts and the run publishes nothing; a
   * wait for another run's lease ends. False if it is publishing already: then it is left to
   * finish.
   */
  synchronized boolean stop() {
    stopping = !publishing;
    if (leasing != null) {
      leasing.interrupt(); // waiting for another run's lease: give up now
    }
    return stopping;
  }

  /** Whether the run is publishing its tables, every stage having ended well. */
  synchronized boolean publishing() {
    return publishing;
  }

  private synchronized void checkNotStopping() {
    if (stopping) {
      throw new CancellationException("the run is being stopped");
    }
  }

  /**
   * Runs ingest's data-quality gate, once ingest has staged its rejects and nothing else: a
   * failure (exit 4) publishes them when the run is recorded as failed.
   */
  void gate(Runnable check) {
    try {
      check.run();
    } catch (LifecycleException e) {
      synchronized (this) {
        gateFailed = e.exitCode() == ExitCode.QUALITY_GATE;
      }
      throw e;
    }
  }

  /** Publishes the run's tables together, then records the run as succeeded. */
  Pipeline.Outcome succeeded() {
    synchronized (this) {
      checkNotStopping();
      publishing = true;
    }
    context.warehouse().publish();
    Manifest manifest = manifest(RunManifestTable.SUCCEEDED, null);
    return new Pipeline.Outcome(manifest, RunManifestTable.write(context.warehouse(), manifest));
  }

  /**
   * Records the run as failed, whatever the failure's type (Spark and Hadoop throw checked
   * exceptions unchecked): the error names the stage that failed, if one had started. A failure
   * to record it is added to {@code failure}. None of the run's tables is published, except after
   * ingest's failed data-quality gate ({@link #gate}): then the rejected rows it judged (the only
   * table written before the gate) are published, the quarantine the user inspects. Another exit
   * 4, such as propensity's, publishes nothing: stages before it have written their tables. Only the first failure recorded
   * counts: the run's own, or {@link Termination}'s when the run did not end in time.
   */
  synchronized void failed(Throwable failure) {
    if (recordedFailure) {
      return;
    }
    recordedFailure = true;
    try {
      if (gateFailed) {
        context.warehouse().publish();
      } else {
        discarded = context.warehouse().discard();
      }
    } catch (Exception secondary) { // Spark throws checked exceptions unchecked
      failure.addSuppressed(secondary);
    }
    String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
    // No stage has failed when the run is recorded while its stages still run (Termination's).
    String stage = failedStage != null ? failedStage : inStages.isEmpty() ? null : where(String.join(", ", inStages));
    String error = stage == null ? message : stage + ": " + message;
    try {
      RunManifestTable.write(context.warehouse(), manifest(RunManifestTable.FAILED, error));
    } catch (Exception secondary) { // Spark throws checked exceptions unchecked
      failure.addSuppressed(secondary);
    }
  }
}
