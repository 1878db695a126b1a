package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.PeriodUnit;
import org.junit.jupiter.api.Test;

/**
 * The per-customer scores against their definition written out step by step with the models'
 * public conditional expectations: E[Y(t_k)] at the end of each month of the horizon, the
 * purchases of each month discounted at the yearly rate and valued at the Gamma-Gamma mean.
 */
class CustomerValueTest {
  private static final double[] BG_NBD = {0.2426, 4.4135, 0.7929, 2.4258};
  private static final double[] PARETO_NBD = {0.553, 10.578, 0.606, 11.669};
  private static final double[] MBG_NBD = {0.525, 6.183, 0.891, 1.614};
  private static final double[] GAMMA_GAMMA = {6.2488, 3.7446, 15.4477};
  private static final LifecycleConfig.Clv TERMS =
      new LifecycleConfig.Clv(LifecycleConfig.PurchaseModel.BG_NBD, 12, PeriodUnit.MONTH, 0.3, 0.1, 0, 0, 5, 200, 1, 90);
  /** x, t_x, T in weeks and the mean repeat value: none, one, typical, heavy, very heavy. */
  private static final double[][] CUSTOMERS = {
    {0, 0, 38.86, Double.NaN}, {1, 2.5, 30, 20}, {2, 30.43, 38.86, 35}, {26, 30.857, 31, 50}, {500, 38.9, 39, 12}
  };

  @Test
  void bgNbdScoresAreTheDiscountedMonthlyExpectations() {
    check(LifecycleConfig.PurchaseModel.BG_NBD, BG_NBD);
  }

  @Test
  void paretoNbdScoresAreTheDiscountedMonthlyExpectations() {
    check(LifecycleConfig.PurchaseModel.PARETO_NBD, PARETO_NBD);
  }

  @Test
  void mbgNbdScoresAreTheDiscountedMonthlyExpectations() {
    check(LifecycleConfig.PurchaseModel.MBG_NBD, MBG_NBD);
  }

  /** Without a usable spend model, CLV is expected purchases × the customer's mean spend × margin, discounted. */
  @Test
  void withoutASpendModelTheCustomersOwnMeanSpendIsUsed() {
    check(LifecycleConfig.PurchaseModel.BG_NBD, BG_NBD, null);
  }

  /**
   * The interval's percentiles come from the draws' buckets, not from a sort of them all: on
   * arrays of every length up to 300, with ties, sorted, reversed, heavy-tailed and all equal,
   * they equal the sorted array's to the last bit.
   */
  @Test
  void intervalPercentilesEqualThoseOfTheSortedDraws() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int n = 1; n <= 300; n++) {
      for (int shape = 0; shape < 6; shape++) {
        double[] draws = new double[n];
        for (int i = 0; i < n; i++) {
          draws[i] =
              switch (shape) {
                case 0 -> random.nextDouble() * 100;
                case 1 -> random.nextInt(5); // many ties
                case 2 -> i; // sorted
                case 3 -> n - i; // reversed
                case 4 -> Math.exp(4 * random.nextGaussian()); // heavy tailed: most in the first bucket
                default -> 7; // all equal
              };
        }
        double[] sorted = draws.clone();
        java.util.Arrays.sort(sorted);
        CustomerValue.Interval interval = CustomerValue.Interval.of(draws);
        assertThat(interval.p10()).as("n %d shape %d", n, shape).isEqualTo(sortedQuantile(sorted, 0.1));
        assertThat(interval.p90()).as("n %d shape %d", n, shape).isEqualTo(sortedQuantile(sorted, 0.9));
      }
    }
    assertThat(CustomerValue.Interval.of(new double[] {1, Double.NaN, 2})).isEqualTo(CustomerValue.Interval.NONE);
  }

  private static double sortedQuantile(double[] sorted, double probability) {
    double h = (sorted.length - 1) * probability;
    int below = (int) Math.floor(h);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
  }

  private static void check(LifecycleConfig.PurchaseModel model, double[] p) {
    check(model, p, GAMMA_GAMMA);
  }

  private static void check(LifecycleConfig.PurchaseModel model, double[] p, double[] spendModel) {
    CustomerValue value = new CustomerValue(model, p, spendModel, 7, TERMS);
    double month = PeriodUnit.MONTH.days() / 7;
    for (double[] c : CUSTOMERS) {
      double ownMean = 1.0 + c[0];
      CustomerValue.Score score = value.score(c[0], c[1], c[2], c[3], ownMean);
      double spend =
          spendModel == null
              ? ownMean
              : c[0] > 0 ? GammaGamma.expectedValue(spendModel, c[0], c[3]) : GammaGamma.expectedValue(spendModel, 0, 0);
      double clv = 0;
      double before = 0;
      double expected = 0;
      for (int k = 1; k <= 12; k++) {
        expected = conditional(model, p, k * month, c);
        clv += (expected - before) * Math.pow(1.1, -k * PeriodUnit.MONTH.days() / 365.25);
        before = expected;
      }
      clv *= 0.3 * spend;
      double alive =
          switch (model) {
            case BG_NBD -> BgNbd.probabilityAlive(p, c[0], c[1], c[2]);
            case MBG_NBD -> MbgNbd.probabilityAlive(p, c[0], c[1], c[2]);
            case PARETO_NBD -> ParetoNbd.probabilityAlive(p, c[0], c[1], c[2]);
            case AUTO -> throw new IllegalArgumentException("not a model");
          };
      assertThat(score.pAlive()).as("P(alive) of %s", c[0]).isEqualTo(alive);
      assertThat(score.expectedPurchases()).as("purchases of %s", c[0]).isCloseTo(expected, within(1e-12 * expected));
      assertThat(score.expectedSpend()).isEqualTo(spend);
      assertThat(score.clv()).as("CLV of %s", c[0]).isPositive().isCloseTo(clv, within(1e-12 * clv));
      assertThat(value.clv(c[0], c[1], c[2], c[3], ownMean)).as("CLV alone of %s", c[0]).isEqualTo(score.clv());
    }
  }

  private static double conditional(LifecycleConfig.PurchaseModel model, double[] p, double t, double[] c) {
    return switch (model) {
      case BG_NBD -> BgNbd.conditionalExpectedPurchases(p, t, c[0], c[1], c[2]);
      case MBG_NBD -> MbgNbd.conditionalExpectedPurchases(p, t, c[0], c[1], c[2]);
      case PARETO_NBD -> ParetoNbd.conditionalExpectedPurchases(p, t, c[0], c[1], c[2]);
      case AUTO -> throw new IllegalArgumentException("not a model");
    };
  }
}
