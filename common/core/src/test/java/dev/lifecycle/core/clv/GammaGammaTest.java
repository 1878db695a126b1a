package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.test.Gradients;
import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.util.List;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/** Against the published values in ../shared/data/REFERENCE_VALUES.md (CDNOW sample). */
class GammaGammaTest {
  private static final double[] PUBLISHED = {6.2488, 3.7446, 15.4477};

  /** The 946 customers with x &gt; 0 of cdnow_customers_summary_with_transactions.csv. */
  private static double[][] repeatBuyers() throws IOException {
    List<String[]> rows =
        Files.readAllLines(SharedData.file("cdnow/cdnow_customers_summary_with_transactions.csv"))
            .stream()
            .skip(1)
            .map(line -> line.split(","))
            .filter(f -> Double.parseDouble(f[1]) > 0)
            .toList();
    double[] x = rows.stream().mapToDouble(f -> Double.parseDouble(f[1])).toArray();
    double[] zbar = rows.stream().mapToDouble(f -> Double.parseDouble(f[4])).toArray();
    return new double[][] {x, zbar};
  }

  @Test
  void fitMatchesTheCdnowReference() throws IOException {
    double[][] data = repeatBuyers();

    BoundedMle.Estimate fit = GammaGamma.fit(data[0], data[1], null);

    assertThat(data[0]).hasSize(946);
    for (int i = 0; i < PUBLISHED.length; i++) {
      assertThat(round3(fit.parameters()[i]))
          .as(GammaGamma.PARAMETERS.get(i).name() + " = " + fit.parameters()[i])
          .isEqualTo(round3(PUBLISHED[i]));
    }
    assertThat(fit.logLikelihood()).isCloseTo(-4055.92, within(0.01));
    double[] p = fit.parameters();
    assertThat(GammaGamma.expectedValue(p, 2, 22.35)).isCloseTo(24.6586, within(5e-4));
    assertThat(p[0] * p[2] / (p[1] - 1)).isCloseTo(35.17, within(0.005));
  }

  @Test
  void cdnowIsUsableAndItsFrequencySpendCorrelationIsLifetimes() throws IOException {
    double[][] data = repeatBuyers();

    GammaGamma.SpendFit fit = GammaGamma.fitForClv(data[0], data[1], null);

    assertThat(fit.usable()).as(fit.notFitted()).isTrue();
    // lifetimes' documentation: the correlation of frequency and monetary_value is 0.113884
    assertThat(GammaGamma.frequencySpendCorrelation(data[0], data[1], null)).isCloseTo(0.113884, within(5e-7));
  }

  /**
   * The same spend in won (× 1300) and in thousands of dollars (× 0.001): γ, in money, ran to its
   * bound of 1e4 in won (15.4 × 1300), and in thousands the log-likelihood, a density's, was
   * +2479 and refused as degenerate. The fit runs in a unit of the data's own, so both are the
   * dollars' fit in another currency.
   */
  @Test
  void theCurrencyDoesNotMatter() throws IOException {
    double[][] data = repeatBuyers();
    GammaGamma.SpendFit dollars = GammaGamma.fitForClv(data[0], data[1], null);
    for (double rate : new double[] {1300, 0.001}) {
      double[] converted = java.util.Arrays.stream(data[1]).map(v -> v * rate).toArray();

      GammaGamma.SpendFit fit = GammaGamma.fitForClv(data[0], converted, null);

      assertThat(fit.usable()).as("× %s: %s", rate, fit.notFitted()).isTrue();
      double[] p = fit.estimate().parameters();
      double[] d = dollars.estimate().parameters();
      assertThat(p[0]).isCloseTo(d[0], within(1e-5 * d[0]));
      assertThat(p[1]).isCloseTo(d[1], within(1e-5 * d[1]));
      assertThat(p[2]).isCloseTo(d[2] * rate, within(1e-5 * d[2] * rate));
      assertThat(fit.estimate().standardErrors()[2])
          .isCloseTo(dollars.estimate().standardErrors()[2] * rate, within(1e-3 * dollars.estimate().standardErrors()[2] * rate));
      assertThat(fit.estimate().logLikelihood())
          .isCloseTo(dollars.estimate().logLikelihood() - 946 * Math.log(rate), within(1e-6));
    }
  }

  @Test
  void countOnlySpendIsNotFittedAndSaysWhy() {
    double[] x = {1, 2, 3, 5, 8};
    double[] ones = {1, 1, 1, 1, 1};

    GammaGamma.SpendFit fit = GammaGamma.fitForClv(x, ones, new double[] {40, 20, 10, 5, 2});

    assertThat(fit.usable()).isFalse();
    assertThat(fit.notFitted()).isEqualTo("spend does not vary: every amount is equal (1.0 per purchase)");
    assertThat(GammaGamma.frequencySpendCorrelation(x, ones, null)).isNaN();
    // one repeat buyer, whose amounts vary: it was said that every amount is equal
    assertThat(GammaGamma.fitForClv(new double[] {156}, new double[] {6.345}, new double[] {1}).notFitted())
        .isEqualTo("one customer with a repeat purchase of positive value: no spread across customers to fit");
  }

  /** Amounts that barely vary: the spread goes to 0, so p and q run to their bounds. */
  @Test
  void spendThatBarelyVariesIsDegenerateNamingEveryBound() {
    double[] x = new double[200];
    double[] mean = new double[200];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1 + i % 7;
      mean[i] = 10 + 1e-6 * (i % 13);
    }

    GammaGamma.SpendFit fit = GammaGamma.fitForClv(x, mean, null);

    assertThat(fit.usable()).isFalse();
    assertThat(fit.notFitted()).startsWith("degenerate: ");
    assertThat(fit.estimate().logLikelihood()).isPositive();
  }

  /**
   * Spend that varies little, between customers and within each (q = 400, p = 400: means within
   * about 5% of each other), fitted inside its bounds: its log-likelihood in units of the typical
   * mean spend is positive, a density above 1, and the fit is refused as too concentrated. The
   * same spend in cents gives the same verdict: the test no longer depends on the currency.
   */
  @Test
  void concentratedSpendIsDegenerateInAnyUnit() {
    double[][] spend = simulate(3, 400, 400, 400 * 20, 3000);
    double[] x = spend[0];
    double[] mean = spend[1];
    for (double unit : new double[] {1, 100}) {
      double[] converted = java.util.Arrays.stream(mean).map(v -> v * unit).toArray();

      GammaGamma.SpendFit fit = GammaGamma.fitForClv(x, converted, null);

      assertThat(fit.estimate().boundNote()).isNull();
      assertThat(fit.usable()).isFalse();
      assertThat(fit.notFitted())
          .startsWith("degenerate: positive log-likelihood (")
          .endsWith(" in units of the typical mean spend), spend too concentrated to model");
    }
  }

  /**
   * Spend simulated with q = 0.7: each customer's scale ν ~ Gamma(q, γ), their mean of x amounts
   * z̄ ~ Gamma(p x, ν x). The fit recovers q below 1, where the population's mean spend is infinite:
   * not usable, and saying why.
   */
  @Test
  void spendWithoutAFiniteMeanIsDegenerateNamingQ() {
    double[][] spend = simulate(7, 5, 0.7, 20, 5000);

    GammaGamma.SpendFit fit = GammaGamma.fitForClv(spend[0], spend[1], null);

    assertThat(fit.estimate().parameters()[1]).isLessThan(1);
    assertThat(fit.usable()).isFalse();
    assertThat(fit.notFitted())
        .startsWith("degenerate: q = ")
        .endsWith(" <= 1, so the population's mean spend p γ / (q − 1) is not finite: spend too heavy-tailed to model");
  }

  @Test
  void aCustomerWithoutRepeatPurchasesGetsThePopulationMean() {
    double[] p = PUBLISHED;

    assertThat(GammaGamma.expectedValue(p, 0, 0)).isCloseTo(p[0] * p[2] / (p[1] - 1), within(1e-12));
  }

  @Test
  void nonPositiveInputIsRefusedWithTheValues() {
    assertThatThrownBy(() -> GammaGamma.fit(new double[] {1, 0}, new double[] {5, 5}, null))
        .hasMessage("Cannot fit Gamma-Gamma on x=0.0, mean value=5.0: both must be positive");
  }

  @Test
  void gradientMatchesCentralDifferences() throws IOException {
    double[][] data = repeatBuyers();
    SpendLikelihood likelihood = new SpendLikelihood(data[0], data[1], null);
    Gradients.assertMatchCentralDifferences(likelihood, new double[] {5.0, 3.0, 12.0});
  }

  /**
   * {@code n} customers of 1 to 6 repeat purchases: each one's scale ν ~ Gamma(q, γ), their mean of
   * x amounts z̄ ~ Gamma(p x, ν x). Returns x and z̄.
   */
  private static double[][] simulate(long seed, double p, double q, double gamma, int n) {
    RandomGenerator random = new Well19937c(seed);
    GammaDistribution scales = new GammaDistribution(random, q, 1 / gamma);
    double[] x = new double[n];
    double[] mean = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 1 + i % 6;
      double nu = scales.sample();
      mean[i] = new GammaDistribution(random, p * x[i], 1 / (nu * x[i])).sample();
    }
    return new double[][] {x, mean};
  }

  private static double round3(double value) {
    return new BigDecimal(value).round(new MathContext(3)).doubleValue();
  }
}
