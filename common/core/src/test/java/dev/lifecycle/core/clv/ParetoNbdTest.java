package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.lifecycle.core.mle.BoundedMle;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against the published values in ../shared/data/REFERENCE_VALUES.md (CDNOW sample, weeks). */
class ParetoNbdTest {
  private static BoundedMle.Estimate cdnow;

  @BeforeAll
  static void fitCdnow() throws IOException {
    cdnow = ParetoNbd.fit(BgNbdTest.cdnowSample());
  }

  @Test
  void fitMatchesThePublishedEstimatesOnCdnow() {
    double[] p = cdnow.parameters();

    assertThat(cdnow.logLikelihood()).isCloseTo(-9594.97, within(0.005));
    assertThat(round(p[0], 3)).as("r = %s", p[0]).isEqualTo(0.553);
    assertThat(round(p[1], 3)).as("alpha = %s", p[1]).isEqualTo(round(10.578, 3));
    assertThat(round(p[2], 3)).as("s = %s", p[2]).isEqualTo(0.606);
    // The likelihood is flat in beta: the published 11.669 is one point on a ridge
    assertThat(p[3]).as("beta").isCloseTo(11.669, withinPercentage(5));
    assertThat(cdnow.standardErrors()).isNotNull();
  }

  @Test
  void expectationsAndPAliveMatchThePublishedValues() {
    double[] p = cdnow.parameters();

    assertThat(round(ParetoNbd.expectedPurchases(p, 52), 3)).isEqualTo(round(1.473434, 3));
    assertThat(round(ParetoNbd.conditionalExpectedPurchases(p, 52, 26, 30.857, 31), 3))
        .isEqualTo(round(25.45647, 3));
    assertThat(ParetoNbd.probabilityAlive(p, 26, 30.857, 31)).isCloseTo(0.997874, within(5e-5));
    assertThat(ParetoNbd.probabilityAlive(p, 0, 0, 31)).isBetween(0.0, 1.0);
  }

  /** Where both work, the hypergeometric series and the direct integral give the same J. */
  @Test
  void seriesAndQuadratureAgree() {
    double[][] parameters = {{0.55, 10.6, 0.6, 11.7}, {0.55, 30, 0.6, 4}, {2, 3, 1.5, 12}, {0.3, 2, 4, 9}};
    double[][] customers = {{0, 0, 39}, {2, 10, 39}, {26, 30.857, 31}, {120, 20, 40}};
    for (double[] p : parameters) {
      for (double[] c : customers) {
        double series = ParetoNbd.logDeathIntegral(p, c[0], c[1], c[2]);
        double quadrature = ParetoNbd.logDeathIntegralByQuadrature(p, c[0], c[1], c[2]);
        assertThat(series).as("p=%s c=%s", p, c).isCloseTo(quadrature, within(1e-9 * Math.abs(quadrature)));
      }
    }
  }

  /**
   * r 1000 and s 1e4 make the integrand's log about −9.5e4 at its peak, and subtracting the peak's
   * value left rounding of 1e-11 relative: the integrator, asked for 1e-12, threw after 10,000
   * evaluations (from P(alive), an internal error). The series, long at z = 0.998 but convergent,
   * gives the same J.
   */
  @Test
  void aDeepIntegrandStillIntegrates() {
    double[] p = {1000, 0.1, 1e4, 1e4};

    double quadrature = ParetoNbd.logDeathIntegralByQuadrature(p, 2, 21, 52);

    // the note's series at both ends, a = r + s + x, b = r + x as α < β
    double a = 1000 + 1e4 + 2;
    java.util.function.DoubleUnaryOperator end =
        t -> Hypergeometric.logF21AtAPlusOne(a, 1002, (1e4 - 0.1) / (1e4 + t)) - a * Math.log(1e4 + t);
    double fromTx = end.applyAsDouble(21);
    double series = fromTx + Math.log(-Math.expm1(end.applyAsDouble(52) - fromTx)) - Math.log(a);
    assertThat(quadrature).isCloseTo(series, within(1e-9 * Math.abs(series)));
    assertThat(ParetoNbd.probabilityAlive(p, 2, 21, 52)).isBetween(0.0, 1e-12);
  }

  @Test
  void extremesStayFinite() {
    double[][] parameters = {{0.55, 10.6, 0.6, 11.7}, {0.5, 1e4, 0.6, 1e-4}, {0.5, 1e-4, 0.6, 1e4}};
    double[][] customers = {{500, 38.99, 39}, {500, 1, 39}, {0, 0, 39}, {1, 0.01, 39}, {3, 39, 39}};
    for (double[] p : parameters) {
      for (double[] c : customers) {
        assertThat(ParetoNbd.logLikelihood(p, c[0], c[1], c[2])).as("p=%s c=%s", p, c).isFinite();
        assertThat(ParetoNbd.probabilityAlive(p, c[0], c[1], c[2])).isBetween(0.0, 1.0);
        assertThat(ParetoNbd.conditionalExpectedPurchases(p, 52, c[0], c[1], c[2])).isFinite().isNotNegative();
      }
    }
  }

  /**
   * The likelihood of the patterns computes its terms once per distinct x, (x, t_x) and (x, T):
   * the sum must be each customer's own term, where J is summed by its series and where it is
   * integrated (α far above β).
   */
  @Test
  void thePatternSumIsTheSumOfEachCustomersTerm() throws IOException {
    RepeatPatterns data = BgNbdTest.cdnowSample();
    for (double[] p : new double[][] {{0.55, 10.6, 0.61, 11.7}, {0.55, 400, 0.61, 0.5}}) {
      double each = 0;
      for (int i = 0; i < data.size(); i++) {
        each += data.weight(i) * ParetoNbd.logLikelihood(p, data.x(i), data.tx(i), data.bigT(i));
      }
      assertThat(ParetoNbd.logLikelihood(p, data)).isCloseTo(each, within(1e-9 * Math.abs(each)));
    }
  }

  /**
   * Above 20,000 patterns the search runs on a sample of the customers and a short search finishes
   * on the data: it must land where a search on the data itself lands.
   */
  @Test
  void sampleSearchThenPolishReachesTheDirectOptimum() {
    RepeatPatterns data = ClvRecoveryTest.simulateParetoNbd(new double[] {0.8, 6.0, 0.7, 12.0}, 24_000, 5);
    assertThat(data.size()).isGreaterThan(20_000);

    BoundedMle.Estimate fast = ParetoNbd.fit(data);
    BoundedMle.Estimate direct =
        BoundedMle.maximize(ParetoNbd.PARAMETERS, new double[][] {fast.parameters()}, p -> ParetoNbd.logLikelihood(p, data));

    assertThat(fast.logLikelihood()).isCloseTo(direct.logLikelihood(), within(1e-6 * Math.abs(direct.logLikelihood())));
    for (int i = 0; i < 4; i++) {
      assertThat(fast.parameters()[i]).isCloseTo(direct.parameters()[i], withinPercentage(0.1));
      assertThat(fast.standardErrors()[i]).isCloseTo(direct.standardErrors()[i], withinPercentage(1));
    }
  }

  private static double round(double value, int digits) {
    return new BigDecimal(value).round(new MathContext(digits)).doubleValue();
  }
}
