package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * 20,000 customers simulated from known parameters. With three or four parameters, each must lie
 * within three standard errors of the truth (about 1% chance of a false alarm in all).
 */
class ClvRecoveryTest {
  private static final int CUSTOMERS = 20_000;

  @Test
  void bgNbdRecoversItsParameters() {
    double[] truth = {0.6, 5.0, 0.9, 3.5};
    RepeatPatterns data = simulateBgNbd(truth, CUSTOMERS, 1);

    assertRecovered(BgNbd.PARAMETERS, BgNbd.fit(data), truth);
  }

  @Test
  void mbgNbdRecoversItsParameters() {
    double[] truth = {0.6, 5.0, 0.9, 3.5};
    RepeatPatterns data = simulate(truth, CUSTOMERS, 4, true);

    assertRecovered(MbgNbd.PARAMETERS, MbgNbd.fit(data), truth);
  }

  /** Customers observed for 20 to 52 periods from their first purchase, one pattern each. */
  static RepeatPatterns simulateBgNbd(double[] truth, int customers, long seed) {
    return simulate(truth, customers, seed, false);
  }

  /** BG/NBD customers, or MBG/NBD's with {@code dropAtStart}: the first purchase may be the last. */
  private static RepeatPatterns simulate(double[] truth, int customers, long seed, boolean dropAtStart) {
    return simulate(truth, customers, seed, dropAtStart, false);
  }

  /**
   * BG/NBD customers first seen on a random day of 728 (T from 1 to 728 days, in weeks), each
   * purchase recorded on the day it falls in: a shop's two years of daily history.
   */
  static RepeatPatterns simulateBgNbdByDay(double[] truth, int customers, long seed) {
    return simulate(truth, customers, seed, false, true);
  }

  private static RepeatPatterns simulate(
      double[] truth, int customers, long seed, boolean dropAtStart, boolean byDay) {
    RandomGenerator random = new MersenneTwister(seed);
    GammaDistribution rates = new GammaDistribution(random, truth[0], 1 / truth[1]);
    BetaDistribution dropout = new BetaDistribution(random, truth[2], truth[3]);
    RepeatPatterns data = new RepeatPatterns();
    for (int i = 0; i < customers; i++) {
      double lambda = rates.sample();
      double p = dropout.sample();
      double bigT = byDay ? (1 + random.nextInt(728)) / 7.0 : 20 + 32 * random.nextDouble();
      double[] history = history(random, lambda, p, bigT, dropAtStart);
      // a purchase at t falls on day ceil(7t); T is a whole day, so it is in (0, T] exactly when t is
      data.add(history[0], byDay ? Math.ceil(7 * history[1]) / 7 : history[1], bigT, 1);
    }
    return data;
  }

  /**
   * One BG/NBD customer's x and t_x: from the first purchase at 0, exponential gaps at rate lambda
   * until T; after each repeat purchase (and with {@code dropAtStart} at 0 too, as MBG/NBD), drop
   * out with probability p.
   */
  static double[] history(RandomGenerator random, double lambda, double p, double bigT, boolean dropAtStart) {
    double t = 0;
    double tx = 0;
    int x = 0;
    boolean dropped = dropAtStart && random.nextDouble() < p;
    while (!dropped) {
      t += -Math.log(random.nextDouble()) / lambda;
      if (t > bigT) {
        break;
      }
      x++;
      tx = t;
      if (random.nextDouble() < p) {
        break;
      }
    }
    return new double[] {x, tx};
  }

  @Test
  void paretoNbdRecoversItsParameters() {
    double[] truth = {0.8, 6.0, 0.7, 12.0};
    RepeatPatterns data = simulateParetoNbd(truth, 8_000, 2);

    assertRecovered(ParetoNbd.PARAMETERS, ParetoNbd.fit(data), truth);
  }

  /** Pareto/NBD customers observed for 20 to 52 periods from their first purchase. */
  static RepeatPatterns simulateParetoNbd(double[] truth, int customers, long seed) {
    RandomGenerator random = new MersenneTwister(seed);
    GammaDistribution rates = new GammaDistribution(random, truth[0], 1 / truth[1]);
    GammaDistribution deaths = new GammaDistribution(random, truth[2], 1 / truth[3]);
    RepeatPatterns data = new RepeatPatterns();
    for (int i = 0; i < customers; i++) {
      double lambda = rates.sample();
      double bigT = 20 + 32 * random.nextDouble();
      // Alive for an exponential time with rate mu; Poisson purchases until death or T
      double end = Math.min(bigT, -Math.log(random.nextDouble()) / deaths.sample());
      double t = 0;
      double tx = 0;
      int x = 0;
      while ((t += -Math.log(random.nextDouble()) / lambda) <= end) {
        x++;
        tx = t;
      }
      data.add(x, tx, bigT, 1);
    }
    return data;
  }

  @Test
  void gammaGammaRecoversItsParameters() {
    double[] truth = {4.0, 3.0, 20.0};
    RandomGenerator random = new MersenneTwister(1);
    GammaDistribution scales = new GammaDistribution(random, truth[1], 1 / truth[2]);
    double[] x = new double[CUSTOMERS];
    double[] mean = new double[CUSTOMERS];
    for (int i = 0; i < CUSTOMERS; i++) {
      // nu ~ Gamma(q, rate gamma); values ~ Gamma(p, rate nu); 1 to 10 repeat transactions
      double nu = scales.sample();
      GammaDistribution values = new GammaDistribution(random, truth[0], 1 / nu);
      x[i] = 1 + random.nextInt(10);
      double sum = 0;
      for (int j = 0; j < x[i]; j++) {
        sum += values.sample();
      }
      mean[i] = sum / x[i];
    }

    assertRecovered(GammaGamma.PARAMETERS, GammaGamma.fit(x, mean, null), truth);
  }

  private static void assertRecovered(List<Parameter> names, BoundedMle.Estimate fit, double[] truth) {
    assertThat(fit.found()).as(fit.failure()).isTrue();
    assertThat(fit.standardErrors()).isNotNull();
    for (int i = 0; i < truth.length; i++) {
      double z = (fit.parameters()[i] - truth[i]) / fit.standardErrors()[i];
      assertThat(Math.abs(z))
          .as(
              "%s: true %s, fitted %s, standard error %s", names.get(i).name(), truth[i],
              fit.parameters()[i], fit.standardErrors()[i])
          .isLessThan(3);
    }
  }
}
