package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.test.Gradients;
import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against the published values in ../shared/data/REFERENCE_VALUES.md (CDNOW sample, weeks). */
class BgNbdTest {
  private static final double[] PUBLISHED = {0.2426, 4.4135, 0.7929, 2.4258};

  /** cdnow_customers_summary.csv: ID,frequency,recency,T for 2,357 customers, as patterns. */
  static RepeatPatterns cdnowSample() throws IOException {
    List<String> lines = Files.readAllLines(SharedData.file("cdnow/cdnow_customers_summary.csv"));
    Map<List<Double>, Long> counts = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      List<Double> key =
          List.of(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]));
      counts.merge(key, 1L, Long::sum);
    }
    RepeatPatterns patterns = new RepeatPatterns();
    counts.forEach((k, n) -> patterns.add(k.get(0), k.get(1), k.get(2), n));
    return patterns;
  }

  @Test
  void fitMatchesFaderHardieLee2005OnCdnow() throws IOException {
    RepeatPatterns data = cdnowSample();

    BoundedMle.Estimate fit = BgNbd.fit(data);

    assertThat(data.customers()).isEqualTo(2357);
    for (int i = 0; i < PUBLISHED.length; i++) {
      assertThat(round(fit.parameters()[i], 3))
          .as(BgNbd.PARAMETERS.get(i).name() + " = " + fit.parameters()[i])
          .isEqualTo(round(PUBLISHED[i], 3));
    }
    assertThat(fit.logLikelihood()).isCloseTo(-9582.43, within(0.005));
    assertThat(fit.standardErrors()).isNotNull();
    assertThat(java.util.Arrays.stream(fit.standardErrors()).allMatch(se -> se > 0)).isTrue();
  }

  @Test
  void perCustomerLogLikelihoodMatchesLifetimes() {
    double[] p = {0.25, 4, 0.8, 2.5};

    assertThat(BgNbd.logLikelihood(p, 0, 0, 40)).isCloseTo(-0.59947382, within(1e-8));
    assertThat(BgNbd.logLikelihood(p, 200, 38, 40)).isCloseTo(100.7957, within(1e-4));
  }

  @Test
  void probabilityAliveOfAFrequentRecentBuyer() throws IOException {
    double[] p = BgNbd.fit(cdnowSample()).parameters();

    assertThat(BgNbd.probabilityAlive(p, 26, 30.857, 31)).isCloseTo(0.9688523, within(5e-7));
    assertThat(BgNbd.probabilityAlive(p, 0, 0, 31)).isEqualTo(1.0);
  }

  @Test
  void expectationsMatchThePublishedValues() throws IOException {
    double[] p = BgNbd.fit(cdnowSample()).parameters();

    // To three significant digits, as the reference asks: at 78 weeks this gives 1.8580 (also with
    // the published parameters), where the reference says 1.8576; t = 1, 3, 32 agree to 1e-4.
    double[] t = {1, 3, 32, 78};
    double[] published = {0.0532, 0.1506, 1.0437, 1.8576};
    for (int i = 0; i < t.length; i++) {
      assertThat(round(BgNbd.expectedPurchases(p, t[i]), 3))
          .as("E[X(%s)] = %s", t[i], BgNbd.expectedPurchases(p, t[i]))
          .isEqualTo(round(published[i], 3));
    }
    // (α / (α + 39))^r gives 0.57431 here and with lifetimes' own estimates: the published
    // 0.5737864 agrees to the 3 significant digits the acceptance asks for, not beyond
    assertThat(round(BgNbd.probabilityOfNoPurchase(p, 39), 3)).isEqualTo(round(0.5737864, 3));
    // lifetimes gets 1.444004 at its own optimum, which differs from ours in the fifth digit
    assertThat(BgNbd.expectedPurchases(p, 52)).isCloseTo(1.444004, within(5e-5));
    // Within 0.01%: the frequent buyer's 25.7577 against 25.75659 reflects the same optimum
    // difference, which x = 26 amplifies.
    assertThat(BgNbd.conditionalExpectedPurchases(p, 39, 2, 30.43, 38.86))
        .isCloseTo(1.2259, withinPercentage(0.01));
    assertThat(BgNbd.conditionalExpectedPurchases(p, 52, 26, 30.857, 31))
        .isCloseTo(25.75659, withinPercentage(0.01));
  }

  @Test
  void heavyBuyersStayFinite() {
    double[] p = {0.2426, 4.4135, 0.7929, 2.4258};

    assertThat(BgNbd.logLikelihood(p, 500, 38.9, 39)).isFinite();
    assertThat(BgNbd.probabilityAlive(p, 500, 38.9, 39)).isBetween(0.0, 1.0);
    assertThat(BgNbd.probabilityAlive(p, 500, 1, 39)).isBetween(0.0, 1e-12);
    assertThat(BgNbd.conditionalExpectedPurchases(p, 52, 500, 38.9, 39)).isFinite().isPositive();
    // 5,000 purchases overflow the untransformed series. Alive, this buyer's posterior rate is
    // (r + x) / (α + T) = 115 a week, and the chance of dropping out over the next ~115 purchases
    // is about 115 a / (a + b + x) = 2%.
    assertThat(BgNbd.conditionalExpectedPurchases(p, 1, 5000, 39, 39)).isBetween(110.0, 115.2);
  }

  /**
   * A fit with a in the thousands and b near 0 (one-time buyers only): p ~ Beta(a, b) puts the
   * dropout chance at 1, so each customer makes one more purchase at most, E[X(t)] = 1 − (α / (α
   * + t))^r and E[Y(t) | x = 0, T] = 1 − ((α + T) / (α + T + t))^r. The series then passes a
   * double's range ((1 − z)^(a−1) underflows, 2F1 overflows): they were −∞ and NaN from t ≈ 47.
   */
  @Test
  void aFitWithAInTheThousandsStaysFinite() {
    double[] p = {0.05, 300, 9531, 1.107e-4};
    for (double t : new double[] {1, 47, 131, 520}) {
      assertThat(BgNbd.expectedPurchases(p, t))
          .as("t=%s", t)
          .isCloseTo(-Math.expm1(0.05 * Math.log(300 / (300 + t))), withinPercentage(1e-3));
      assertThat(BgNbd.conditionalExpectedPurchases(p, t, 0, 0, 80))
          .as("t=%s", t)
          .isCloseTo(-Math.expm1(0.05 * Math.log(380 / (380 + t))), withinPercentage(1e-3));
      assertThat(MbgNbd.expectedPurchasesIfAlive(p, new double[] {t}, 0, 80)[0]).isFinite().isPositive();
    }
  }

  /**
   * The mean of (1 − (1 + p s)^−(r+x)) / p over Beta(a, b + x), integrated, against the closed form
   * wherever the closed form holds: fits of CDNOW's shape, of dropout near certain (a in the
   * thousands) and of heavy buyers, customers new and old, periods short and long.
   */
  @Test
  void theIntegralAgreesWithTheClosedForm() {
    double[][] fits = {
      PUBLISHED, {0.5, 2, 1.5, 3}, {2, 0.5, 0.3, 0.5}, {0.05, 300, 9531, 1.107e-4}, {5, 10, 20, 0.2}
    };
    double[][] customers = {{0, 0}, {2, 38.86}, {26, 31}, {0, 80}, {500, 39}};
    for (double[] p : fits) {
      for (double[] c : customers) {
        for (double t : new double[] {0.5, 39, 520}) {
          double closed = BgNbd.expectedPurchasesIfAlive(p, new double[] {t}, c[0], c[1])[0];
          assertThat(BgNbd.ifAliveByQuadrature(p, t, c[0], c[1]))
              .as("%s, x=%s, T=%s, t=%s", java.util.Arrays.toString(p), c[0], c[1], t)
              .isCloseTo(closed, within(1e-9 * closed));
        }
      }
    }
  }

  /**
   * Purchase rates that differ little between customers make r and α large together (a fit to
   * 3,000 customers simulated with λ ~ Gamma(500, 1000) ended at r 312.5, α 654.5, a 1.06, b 3.2).
   * The transformed series' first parameter, a + b − 1 − r, is then large and negative, its terms
   * alternate and grow far past their sum, and the sum was lost to rounding: 23.38 for BG/NBD,
   * 11.99 for MBG/NBD, and −5.8e11 at r 966. The values are mpmath's 2F1 at 60 digits.
   */
  @Test
  void ratesThatDifferLittleDoNotCancelTheSeries() {
    assertThat(BgNbd.expectedPurchasesIfAlive(new double[] {312.5, 654.5, 1.06, 3.2}, new double[] {156}, 0, 44)[0])
        .isCloseTo(9.667, within(5e-4));
    assertThat(MbgNbd.expectedPurchasesIfAlive(new double[] {312.5, 654.5, 1.06, 3.2}, new double[] {156}, 0, 44)[0])
        .isCloseTo(11.59, within(5e-3));
    assertThat(BgNbd.expectedPurchasesIfAlive(new double[] {966, 1141, 4.06, 2.72}, new double[] {104}, 0, 44)[0])
        .isCloseTo(1.8888, within(5e-5));
  }

  /**
   * Parameters drawn over the whole bounded space, rates from 0.01 to 1 a period: whichever way
   * the closed form is summed, it agrees with the integral.
   */
  @Test
  void everywhereTheClosedFormAgreesWithTheIntegral() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 500; i++) {
      double r = 1e-2 * Math.pow(1e6, random.nextDouble());
      double alpha = Math.min(1e4, Math.max(1e-4, r / (0.01 * Math.pow(100, random.nextDouble()))));
      double[] p = {r, alpha, 0.05 * Math.pow(400, random.nextDouble()), 0.05 * Math.pow(400, random.nextDouble())};
      double x = new double[] {0, 1, 5, 50, 300}[random.nextInt(5)];
      double bigT = 100 * random.nextDouble();
      double t = 1 + 500 * random.nextDouble();
      double integral = BgNbd.ifAliveByQuadrature(p, t, x, bigT);
      assertThat(BgNbd.expectedPurchasesIfAlive(p, new double[] {t}, x, bigT)[0])
          .as("%s, x=%s, T=%s, t=%s", java.util.Arrays.toString(p), x, bigT, t)
          .isCloseTo(integral, within(1e-8 * integral));
    }
  }

  /**
   * The closed form's (a + b + x − 1) / (a − 1) is 0 / 0 at a = 1, and its series undefined at a +
   * b = 1 for x = 0: both gave NaN. The integral there lies between its neighbours either side.
   */
  @Test
  void theClosedFormsPolesAreFilled() {
    double atOne = BgNbd.expectedPurchases(new double[] {0.5, 1, 1, 3}, 100);
    double below = BgNbd.expectedPurchases(new double[] {0.5, 1, 1 - 1e-5, 3}, 100);
    double above = BgNbd.expectedPurchases(new double[] {0.5, 1, 1 + 1e-5, 3}, 100);
    assertThat(atOne).isBetween(above, below).isCloseTo((above + below) / 2, within(1e-8 * atOne));

    double sumOne = BgNbd.expectedPurchases(new double[] {0.5, 1, 0.4, 0.6}, 100);
    double sumBelow = BgNbd.expectedPurchases(new double[] {0.5, 1, 0.4, 0.6 - 1e-5}, 100);
    double sumAbove = BgNbd.expectedPurchases(new double[] {0.5, 1, 0.4, 0.6 + 1e-5}, 100);
    assertThat(sumOne).isBetween(sumBelow, sumAbove).isCloseTo((sumAbove + sumBelow) / 2, within(1e-8 * sumOne));
  }

  /**
   * α at its lower bound (1e-4) and T = 0 put z = t / (α + T + t) within 1e-6 of 1, where the series
   * threw after a million terms and failed the whole clv stage. As α falls to 0 every alive customer
   * buys at once, and E[X(t)] rises to the mean number of purchases before dropping out, E[1 / p] =
   * (a + b − 1) / (a − 1) = 4 here.
   */
  @Test
  void alphaAtItsLowerBoundGivesTheLimitNotAnError() {
    double previous = 0;
    for (double alpha : new double[] {1e-1, 1e-2, 1e-3, 1e-4}) {
      double purchases = BgNbd.expectedPurchases(new double[] {0.5, alpha, 2, 3}, 100);
      assertThat(purchases).as("alpha=%s", alpha).isGreaterThan(previous).isLessThan(4);
      previous = purchases;
    }
    assertThat(previous).isGreaterThan(3.98);
  }

  @Test
  void gradientMatchesCentralDifferences() throws IOException {
    PatternLikelihood likelihood = new PatternLikelihood(cdnowSample());
    Gradients.assertMatchCentralDifferences(likelihood, new double[] {0.3, 3.7, 0.6, 2.9});
  }

  /**
   * Above 20,000 patterns the multi-start search runs on a sample of the customers and Newton's
   * method finishes on the data: it must land where the multi-start search on the data itself
   * lands. The data are shaped like a real shop's: customers acquired on any day of two years,
   * purchases recorded by day, in weeks. A search on a copy with t_x and T rounded to a 25-step
   * grid, as before, ended here at r 0.158, α 0.053, 7,545 log-likelihood units short of the
   * optimum and without standard errors (as it did on the 1M-customer sample).
   */
  @Test
  void sampleSearchThenNewtonReachesTheDirectOptimumOnDailyHistories() {
    RepeatPatterns data = ClvRecoveryTest.simulateBgNbdByDay(new double[] {0.35, 0.7, 0.16, 0.7}, 30_000, 3);
    assertThat(data.size()).isGreaterThan(20_000);

    BoundedMle.Estimate fast = BgNbd.fit(data);
    BoundedMle.Estimate direct =
        BoundedMle.maximize(
            BgNbd.PARAMETERS, new double[][] {{1, 1, 1, 1}}, new PatternLikelihood(data));

    assertThat(fast.logLikelihood()).isCloseTo(direct.logLikelihood(), within(1e-6 * Math.abs(direct.logLikelihood())));
    assertThat(fast.logLikelihood()).isGreaterThanOrEqualTo(direct.logLikelihood() - 1e-6);
    for (int i = 0; i < 4; i++) {
      assertThat(fast.parameters()[i]).isCloseTo(direct.parameters()[i], withinPercentage(0.01));
      assertThat(fast.standardErrors()[i]).isCloseTo(direct.standardErrors()[i], withinPercentage(1));
    }
  }

  /** {@code digits} significant digits. */
  private static double round(double value, int digits) {
    return new BigDecimal(value).round(new MathContext(digits)).doubleValue();
  }
}
