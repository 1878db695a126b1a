package dev.lifecycle.jobs.run;

import dev.lifecycle.core.LifecycleException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run stopped by the operating system (SIGTERM: a scheduler's timeout, {@code kill}, Ctrl-C)
 * ends as a failed run, not as a killed one: while the JVM shuts down, before Spark's own hooks
 * stop its context, this hook cancels the run's Spark jobs, so the run fails the way any failed
 * stage does: its staging deleted, its manifest written with {@code status = failed} and the
 * stage it was in, its leases released. A run waiting for another run's lease ({@code --wait})
 * stops waiting. It waits for that up to {@link #WAIT_SECONDS}; a stage
 * busy on the driver that long (a fit in plain Java does not see the cancel) is recorded as failed
 * by the hook itself. A run already publishing its tables is left to finish, and so succeeds. The
 * process then exits as the signal says (143 for SIGTERM). A {@code kill -9} runs no hook: then
 * the next run takes over what was left (docs/operations.md).
 */
final class Termination implements AutoCloseable {
  static final String MESSAGE =
      "the process was stopped by a signal (SIGTERM: a scheduler's timeout or kill; or Ctrl-C) before the run ended";
  /**
   * Before Spark's hooks (its manager runs them at 40 in Hadoop's, among them the one stopping
   * the context) and Hadoop's closing of its file systems (10): the run still has both to record
   * its failure.
   */
  private static final int PRIORITY = 60;
  static final long WAIT_SECONDS = 20;
  /** The job property of {@link SparkContext#setJobGroup}, set on every stage's jobs. */
  private static final String JOB_GROUP = "spark.jobGroup.id";
  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  private final RunRecord record;
  private final SparkContext spark;
  private final Runnable hook = () -> stop(WAIT_SECONDS);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean requested;
  /**
   * Once the run is stopping, cancels the stages' jobs started before the stages see it; not the
   * jobs recording the failure, which run outside every stage's job group.
   */
  private final SparkListener canceller =
      new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart job) {
          if (requested && job.properties() != null && job.properties().getProperty(JOB_GROUP) != null) {
            spark.cancelJob(job.jobId());
          }
        }
      };

  private Termination(RunRecord record, SparkContext spark) {
    this.record = record;
    this.spark = spark;
  }

  /** Watches for the process's end while {@code record}'s run goes on, until {@link #close}. */
  static Termination install(RunRecord record, SparkContext spark) {
    Termination termination = new Termination(record, spark);
    ShutdownHookManager.get().addShutdownHook(termination.hook, PRIORITY, WAIT_SECONDS + 10, TimeUnit.SECONDS);
    return termination;
  }

  /**
   * The run's {@code failure} said as what it is when the process is being stopped (Spark reports
   * its cancelled jobs, or its stopped context); null otherwise.
   */
  LifecycleException stopped(Throwable failure) {
    return requested ? LifecycleException.environment(MESSAGE, failure) : null;
  }

  /**
   * The run has ended and is recorded: the hook has nothing more to wait for, and the session
   * (shared by the runs of one JVM in tests) cancels no more jobs.
   */
  @Override
  public void close() {
    ended.countDown();
    spark.removeSparkListener(canceller);
    if (!ShutdownHookManager.get().isShutdownInProgress()) {
      ShutdownHookManager.get().removeShutdownHook(hook);
    }
  }

  /**
   * What the hook does: stops the run and waits up to {@code waitSeconds} for it to end, recording
   * its failure itself if it has not.
   */
  void stop(long waitSeconds) {
    requested = true;
    if (ended.getCount() == 0) {
      return;
    }
    if (record.stop()) {
      LOG.warn("stopping: cancelling the run's Spark jobs");
      spark.addSparkListener(canceller);
      spark.cancelAllJobs();
    } else {
      LOG.warn("stopping: the run is publishing its tables; waiting for it to finish");
    }
    try {
      if (ended.await(waitSeconds, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!record.publishing()) {
      LOG.warn("stopping: the run did not end within {} s; recording it as failed", waitSeconds);
      record.failed(LifecycleException.environment(MESSAGE, null));
      record.release();
    }
  }
}
