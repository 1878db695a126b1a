package dev.lifecycle.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Cohorts of 10,000 customers simulated from known parameters, observed for 12 periods. */
class SurvivalRecoveryTest {
  private static final int CUSTOMERS = 10_000;
  private static final int WINDOW = 12;

  @Test
  void sbgRecoversItsParameters() {
    RandomGenerator random = new MersenneTwister(7);
    BetaDistribution churnProbability = new BetaDistribution(random, 1.2, 3.0);
    Lifetimes data =
        simulate(
            () -> {
              double theta = churnProbability.sample();
              // Periods survived before the first churn of a geometric with this churn probability
              return Math.ceil(Math.log(random.nextDouble()) / Math.log1p(-theta));
            });

    assertRecovered(SurvivalFit.fit(SurvivalModel.SBG, data), 1.2, 3.0);
  }

  @Test
  void weibullRecoversItsParameters() {
    RandomGenerator random = new MersenneTwister(11);
    double shape = 0.7;
    double scale = 8.0;
    Lifetimes data =
        simulate(() -> Math.ceil(scale * Math.pow(-Math.log(random.nextDouble()), 1 / shape)));

    assertRecovered(SurvivalFit.fit(SurvivalModel.WEIBULL, data), shape, scale);
  }

  /** Customers churn at the simulated period; those still alive after the window are censored. */
  private static Lifetimes simulate(DoubleSupplier churnPeriod) {
    Lifetimes data = Lifetimes.observedThrough(WINDOW);
    for (int i = 0; i < CUSTOMERS; i++) {
      double t = Math.max(1, churnPeriod.getAsDouble());
      if (t > WINDOW) {
        data.add(WINDOW, true, 1);
      } else {
        data.add((int) t - 1, false, 1);
      }
    }
    return data;
  }

  /** Each estimate lies within two of its standard errors of the truth. */
  private static void assertRecovered(CurveFit fit, double... truth) {
    assertThat(fit.status()).isEqualTo(CurveFit.FITTED);
    for (int i = 0; i < truth.length; i++) {
      double z = (fit.parameters()[i] - truth[i]) / fit.standardErrors()[i];
      assertThat(Math.abs(z))
          .as(
              "%s: true %s, fitted %s, standard error %s",
              fit.model().parameters().get(i).name(), truth[i], fit.parameters()[i],
              fit.standardErrors()[i])
          .isLessThan(2);
    }
  }
}
