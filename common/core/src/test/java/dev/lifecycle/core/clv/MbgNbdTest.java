package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.test.Gradients;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * MBG/NBD on the CDNOW sample (2,357 customers, weeks) against BTYDplus's published estimates
 * (mbgnbd.EstimateParameters on cdnowSummary, also lifetimes' reference): r = 0.525, α = 6.183,
 * a = 0.891, b = 1.614.
 */
class MbgNbdTest {
  private static final double[] PUBLISHED = {0.525, 6.183, 0.891, 1.614};

  @Test
  void fitMatchesBtydPlusOnCdnow() throws IOException {
    RepeatPatterns data = BgNbdTest.cdnowSample();

    BoundedMle.Estimate fit = MbgNbd.fit(data);

    for (int i = 0; i < PUBLISHED.length; i++) {
      assertThat(round(fit.parameters()[i], 3))
          .as(MbgNbd.PARAMETERS.get(i).name() + " = " + fit.parameters()[i])
          .isEqualTo(round(PUBLISHED[i], 3));
    }
    assertThat(fit.standardErrors()).isNotNull();
    // One parameter's worth of freedom is not added, but the fit is at least as good as BG/NBD's
    assertThat(fit.logLikelihood()).isGreaterThanOrEqualTo(BgNbd.fit(data).logLikelihood());
  }

  /** The likelihood written out directly from the paper's beta and gamma functions. */
  @Test
  void logLikelihoodIsThePapersFormula() {
    double[] p = {0.525, 6.183, 0.891, 1.614};
    double[][] customers = {{0, 0, 38}, {1, 10, 30}, {6, 35.5, 38}, {120, 37, 39}};
    for (double[] c : customers) {
      double x = c[0];
      double prefix = Gamma.logGamma(p[0] + x) - Gamma.logGamma(p[0]) + p[0] * Math.log(p[1]);
      double logB = Beta.logBeta(p[2], p[3]);
      double alive = Beta.logBeta(p[2], p[3] + x + 1) - logB - (p[0] + x) * Math.log(p[1] + c[2]);
      double dropped = Beta.logBeta(p[2] + 1, p[3] + x) - logB - (p[0] + x) * Math.log(p[1] + c[1]);
      double max = Math.max(alive, dropped);
      double expected = prefix + max + Math.log(Math.exp(alive - max) + Math.exp(dropped - max));

      assertThat(MbgNbd.logLikelihood(p, x, c[1], c[2])).as("x = %s", x).isCloseTo(expected, within(1e-10));
    }
  }

  @Test
  void oneTimeBuyersAreNotCertainlyAliveAndFadeWithTime() throws IOException {
    double[] p = MbgNbd.fit(BgNbdTest.cdnowSample()).parameters();

    double previous = 1;
    for (double bigT : new double[] {0, 1, 10, 30, 78}) {
      double alive = MbgNbd.probabilityAlive(p, 0, 0, bigT);
      assertThat(alive).as("T = %s", bigT).isLessThan(previous).isPositive();
      previous = alive;
    }
    // At T = 0 only the drop at the first purchase counts: b / (a + b)
    assertThat(MbgNbd.probabilityAlive(p, 0, 0, 0)).isCloseTo(p[3] / (p[2] + p[3]), within(1e-12));
    assertThat(MbgNbd.probabilityAlive(p, 500, 1, 39)).isBetween(0.0, 1e-12);
  }

  @Test
  void expectationsAgreeWithEachOtherAndWithTheSeries() {
    double[] p = {0.525, 6.183, 0.891, 1.614};
    // E[X(t)] = b / (a − 1) [1 − (α / (α + t))^r 2F1(r, b + 1; a + b; t / (α + t))], by the series
    for (double t : new double[] {1, 3, 32, 78}) {
      double z = t / (p[1] + t);
      double series = 0;
      double term = 1;
      for (int n = 0; n < 5000; n++) {
        series += term;
        term *= (p[0] + n) * (p[3] + 1 + n) / ((p[2] + p[3] + n) * (n + 1)) * z;
      }
      double expected = p[3] / (p[2] - 1) * (1 - Math.pow(p[1] / (p[1] + t), p[0]) * series);

      assertThat(MbgNbd.expectedPurchases(p, t)).as("t = %s", t).isCloseTo(expected, within(1e-9));
    }
    // A customer's forecast is the one-customer case of PurchaseProcess's, and grows with x
    PurchaseProcess process = PurchaseProcess.of(dev.lifecycle.core.config.LifecycleConfig.PurchaseModel.MBG_NBD);
    assertThat(process.conditionalExpectedPurchases(p, 39, 2, 30.43, 38.86))
        .isCloseTo(MbgNbd.conditionalExpectedPurchases(p, 39, 2, 30.43, 38.86), within(1e-15))
        .isLessThan(MbgNbd.conditionalExpectedPurchases(p, 39, 6, 38, 38.86));
  }

  @Test
  void gradientMatchesCentralDifferences() throws IOException {
    PatternLikelihood likelihood = new PatternLikelihood(BgNbdTest.cdnowSample(), true);
    Gradients.assertMatchCentralDifferences(likelihood, new double[] {0.4, 5.7, 0.8, 1.9});
  }

  private static double round(double value, int digits) {
    return new BigDecimal(value).round(new MathContext(digits)).doubleValue();
  }
}
