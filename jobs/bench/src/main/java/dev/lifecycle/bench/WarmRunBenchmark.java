package dev.lifecycle.bench;

import dev.lifecycle.jobs.cli.LifecycleCli;
import dev.lifecycle.jobs.cli.SparkProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/**
 * The fixed cost of a small run once the JVM is warm, as a test suite or a notebook pays it:
 * {@code lifecycle run} with the given arguments again and again in one JVM, on one Spark session
 * ({@code scripts/bench-warm}). Prints each round's wall time, the Spark jobs it started and the
 * query classes Spark compiled so far, then the median of the rounds after the first two.
 * Arguments: the rounds, then the CLI's arguments.
 */
public final class WarmRunBenchmark {
  private WarmRunBenchmark() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    String[] run = Arrays.copyOfRange(args, 1, args.length);
    AtomicInteger jobs = new AtomicInteger();
    SparkProvider standard = SparkProvider.standard();
    SparkSession[] session = new SparkSession[1];
    SparkProvider kept =
        new SparkProvider() {
          @Override
          public SparkSession open(String master, Map<String, String> conf, String appName) {
            if (session[0] == null) {
              session[0] = standard.open(master, conf, appName);
              session[0]
                  .sparkContext()
                  .addSparkListener(
                      new SparkListener() {
                        @Override
                        public void onJobStart(SparkListenerJobStart job) {
                          jobs.incrementAndGet();
                        }
                      });
            }
            return session[0];
          }

          @Override
          public void close(SparkSession spark) {} // kept for the next round
        };
    List<Double> warm = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      jobs.set(0);
      long start = System.nanoTime();
      int exit = LifecycleCli.commandLine(kept).execute(run);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (exit != 0) {
        throw new IllegalStateException("round " + round + " exited " + exit);
      }
      if (round > 2) {
        warm.add(seconds);
      }
      System.out.printf(
          Locale.ROOT, "round %d: %.2f s, %d Spark jobs, %d query classes compiled so far%n", round, seconds, jobs.get(),
          CodegenMetrics.METRIC_COMPILATION_TIME().getCount());
    }
    warm.sort(Double::compare);
    if (!warm.isEmpty()) {
      int n = warm.size();
      double median = n % 2 == 1 ? warm.get(n / 2) : (warm.get(n / 2 - 1) + warm.get(n / 2)) / 2;
      System.out.printf(Locale.ROOT, "median of rounds 3 to %d: %.2f s%n", rounds, median);
    }
    if (session[0] != null) {
      session[0].stop();
    }
  }
}
