package dev.lifecycle.bench;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.backtest.BacktestJob;
import dev.lifecycle.jobs.clv.ClvJob;
import dev.lifecycle.jobs.features.FeaturesJob;
import dev.lifecycle.jobs.ingest.IngestJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.cli.SparkProvider;
import dev.lifecycle.spark.stage.StageContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code backtest} stage beside the {@code clv} stage on the same data: a {@code lifecycle
 * sample} calibrated to CALIBRATION_END, holdout to the sample's last day. Ingest (with the holdout
 * tally) and features run once; then, after one untimed round, each round times clv and backtest
 * on that snapshot, alternating, and the medians and their ratio are printed. The backtest fits
 * all three purchase models and Gamma-Gamma, where clv fits one and Gamma-Gamma.
 *
 * <p>Arguments: SAMPLE_INPUT WORK_DIR [REPETITIONS (default 3)].
 */
public final class BacktestBenchmark {
  static final LocalDate CALIBRATION_END = LocalDate.of(2025, 6, 30);

  private BacktestBenchmark() {}

  public static void main(String[] args) {
    String input = args[0];
    String work = args[1];
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    SparkSession spark = SparkProvider.standard().open(null, Map.of(), "lifecycle bench backtest");
    LifecycleConfig config =
        SampleConfig.of(
            input, work + "/warehouse",
            Map.of(
                "snapshot.as-of", CALIBRATION_END.toString(),
                "validation.holdout-until", dev.lifecycle.jobs.sample.SampleJob.END.toString(),
                "features.time-unit", "week"));
    StageContext context = SampleConfig.context(spark, config);
    long start = System.nanoTime();
    try (IngestResult ingest = IngestJob.run(context, IngestJob.open(context, false), false)) {
      FeaturesJob.run(context, ingest);
      System.out.printf("ingest and features: %.1f s%n", Timings.secondsSince(start));
      ClvJob.run(context, CALIBRATION_END);
      BacktestJob.Result first = BacktestJob.run(context, ingest);
      System.out.printf("customers %,d, holdout purchase days %,.0f%n", first.customers(), first.holdoutPurchases());
      first.models().forEach(m -> System.out.printf("  %s%n", m));
      List<Double> clv = new ArrayList<>();
      List<Double> backtest = new ArrayList<>();
      for (int i = 0; i < repetitions; i++) {
        start = System.nanoTime();
        ClvJob.run(context, CALIBRATION_END);
        clv.add(Timings.secondsSince(start));
        start = System.nanoTime();
        BacktestJob.run(context, ingest);
        backtest.add(Timings.secondsSince(start));
        System.out.printf("repetition %d: clv %.2f s, backtest %.2f s%n", i + 1, clv.get(i), backtest.get(i));
      }
      double c = Timings.median(clv);
      double b = Timings.median(backtest);
      System.out.printf(
          "median of %d at %,d customers: clv %.2f s, backtest %.2f s, ratio %.2f%n",
          repetitions, first.customers(), c, b, b / c);
    }
    spark.stop();
  }
}
