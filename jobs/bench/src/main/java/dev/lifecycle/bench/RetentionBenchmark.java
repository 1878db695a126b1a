package dev.lifecycle.bench;

import dev.lifecycle.core.retention.Cohort;
import dev.lifecycle.core.retention.CohortFits;
import dev.lifecycle.core.retention.Lifetimes;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The retention stage's fitting on its own: COHORTS monthly cohorts of CUSTOMERS each, as a
 * history of that many months leaves them (the oldest observed longest), drawn from sBG with
 * parameters varying by cohort. Every model is fitted with its holdout, as the stage does. After
 * one untimed round, prints the median wall time of REPETITIONS rounds.
 *
 * <p>Arguments: [COHORTS (default 100)] [CUSTOMERS (default 10000)] [REPETITIONS (default 5)].
 */
public final class RetentionBenchmark {
  private RetentionBenchmark() {}

  public static void main(String[] args) {
    int cohorts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int customers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    List<CohortFits.Group> groups = CohortFits.groups(simulate(cohorts, customers), 100);
    CohortFits.fitAll(groups, 3);
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      CohortFits.fitAll(groups, 3);
      seconds.add(Timings.secondsSince(start));
    }
    System.out.printf(
        "retention fits: %d cohorts x %d customers, %d models with holdout: median %.2f s"
            + " (runs: %s)%n",
        cohorts, customers, 4, Timings.median(seconds), seconds);
  }


  private static List<Cohort> simulate(int cohorts, int customers) {
    RandomGenerator random = new MersenneTwister(1);
    List<Cohort> simulated = new ArrayList<>();
    for (int c = 0; c < cohorts; c++) {
      int window = cohorts - c;
      BetaDistribution churn = new BetaDistribution(random, 0.5 + c % 5 * 0.2, 1.0 + c % 7 * 0.3);
      Lifetimes data = Lifetimes.observedThrough(window);
      for (int i = 0; i < customers; i++) {
        double theta = churn.sample();
        double lifetime = Math.ceil(Math.log(random.nextDouble()) / Math.log1p(-theta));
        if (lifetime > window) {
          data.add(window, true, 1);
        } else {
          data.add((int) Math.max(1, lifetime) - 1, false, 1);
        }
      }
      simulated.add(new Cohort("all", c, data));
    }
    return simulated;
  }
}
