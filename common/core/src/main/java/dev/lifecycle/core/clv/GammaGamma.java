package dev.lifecycle.core.clv;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.util.List;

/**
 * The Gamma-Gamma model of spend per transaction: Fader, Hardie &amp; Lee (2005), "RFM and CLV:
 * using iso-value curves for customer base analysis", Journal of Marketing Research 42(4), with
 * the formulation of Fader &amp; Hardie's note "The Gamma-Gamma model of monetary value" (2013).
 * A customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, and
 * independent of the purchase process. Fitted on customers with at least one repeat purchase,
 * from x and the mean value of their repeat transactions (z̄).
 */
public final class GammaGamma {
  /** p, q, gamma (in money; bounded in the unit of {@link #spendUnit}). */
  public static final List<Parameter> PARAMETERS =
      List.of(Parameter.positive("p"), Parameter.positive("q"), Parameter.positive("gamma"));

  /** Starts in the unit of {@link #spendUnit}: population means p γ / (q − 1) near 1. */
  private static final double[][] STARTS = {{1, 1, 1}, {5, 3, 0.5}, {2, 2, 2}};

  private static final int SUBSAMPLE_ABOVE = 20_000;

  /**
   * A fit for CLV, and why it cannot be used when it cannot ({@code notFitted}, null when it can).
   * {@code estimate} is null when there was nothing to fit.
   */
  public record SpendFit(BoundedMle.Estimate estimate, String notFitted) {
    public boolean usable() {
      return notFitted == null;
    }
  }

  private GammaGamma() {}

  /**
   * {@link #fit}, refused where its answer would mislead: no data; every mean value equal, so the
   * spread Gamma-Gamma models is zero and its parameters run to their bounds; parameters on their
   * bounds; a positive log-likelihood in the unit of {@link #spendUnit}, which the density of
   * spread-out values does not reach (in money it would depend on the currency); q &lt;= 1,
   * where the population's mean spend p γ / (q − 1), a one-time buyer's expected spend, is not
   * finite (spend so heavy-tailed that its mean does not exist).
   */
  public static SpendFit fitForClv(double[] x, double[] meanValue, double[] weights) {
    if (x.length == 0) {
      return new SpendFit(null, "no customer with a repeat purchase of positive value");
    }
    if (totalWeight(x, weights) < 2) {
      return new SpendFit(null, "one customer with a repeat purchase of positive value: no spread across customers to fit");
    }
    if (java.util.Arrays.stream(meanValue).allMatch(v -> v == meanValue[0])) {
      return new SpendFit(null, "spend does not vary: every amount is equal (" + meanValue[0] + " per purchase)");
    }
    BoundedMle.Estimate fit = fit(x, meanValue, weights);
    if (!fit.found()) {
      return new SpendFit(fit, fit.failure());
    }
    if (fit.boundNote() != null) {
      return new SpendFit(fit, "degenerate: " + fit.boundNote());
    }
    double unitFree = fit.logLikelihood() + totalWeight(x, weights) * Math.log(spendUnit(meanValue, weights));
    if (unitFree > 0) {
      return new SpendFit(
          fit,
          "degenerate: positive log-likelihood (" + unitFree + " in units of the typical mean spend), spend too"
              + " concentrated to model");
    }
    double q = fit.parameters()[1];
    if (q <= 1) {
      return new SpendFit(
          fit,
          "degenerate: q = " + q + " <= 1, so the population's mean spend p γ / (q − 1) is not finite: spend too"
              + " heavy-tailed to model");
    }
    return new SpendFit(fit, null);
  }

  /**
   * The weighted Pearson correlation of x and z̄ across customers: Gamma-Gamma assumes spend per
   * purchase independent of how often a customer buys. NaN when either does not vary.
   */
  public static double frequencySpendCorrelation(double[] x, double[] meanValue, double[] weights) {
    double n = 0;
    double mx = 0;
    double mz = 0;
    for (int i = 0; i < x.length; i++) {
      double w = weights == null ? 1 : weights[i];
      n += w;
      mx += w * x[i];
      mz += w * meanValue[i];
    }
    mx /= n;
    mz /= n;
    double sxx = 0;
    double szz = 0;
    double sxz = 0;
    for (int i = 0; i < x.length; i++) {
      double w = weights == null ? 1 : weights[i];
      sxx += w * (x[i] - mx) * (x[i] - mx);
      szz += w * (meanValue[i] - mz) * (meanValue[i] - mz);
      sxz += w * (x[i] - mx) * (meanValue[i] - mz);
    }
    return sxx > 0 && szz > 0 ? sxz / Math.sqrt(sxx * szz) : Double.NaN;
  }

  /**
   * The weighted sum over (x, z̄) pairs of ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1)
   * ln z̄ + px ln x − (px + q) ln(γ + x z̄), a customer's log-likelihood of x transactions with
   * mean z̄; {@code weights} may be null for one customer each.
   */
  public static double logLikelihood(double[] params, double[] x, double[] meanValue, double[] weights) {
    return new SpendLikelihood(x, meanValue, weights).applyAsDouble(params);
  }

  /**
   * The maximum-likelihood fit on customers with x &gt; 0 and z̄ &gt; 0. Above {@value
   * #SUBSAMPLE_ABOVE} pairs the multi-start search runs on an evenly strided subset of that many,
   * and Newton's method with the analytic gradient finishes on all of them. The fit runs on z̄ in
   * the unit of {@link #spendUnit}, so that γ's bounds and the starts hold in any currency (γ is
   * in money: in won or in thousands of dollars it had run to its bound), and the estimate is
   * turned back into money: γ and its covariances times the unit, the log-likelihood less ln(unit)
   * per customer.
   *
   * @throws IllegalArgumentException if a customer has x or z̄ not positive
   */
  public static BoundedMle.Estimate fit(double[] x, double[] meanValue, double[] weights) {
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] > 0) || !(meanValue[i] > 0)) {
        throw new IllegalArgumentException(
            "Cannot fit Gamma-Gamma on x=" + x[i] + ", mean value=" + meanValue[i]
                + ": both must be positive");
      }
    }
    double unit = spendUnit(meanValue, weights);
    double[] inUnits = new double[meanValue.length];
    for (int i = 0; i < inUnits.length; i++) {
      inUnits[i] = meanValue[i] / unit;
    }
    SpendLikelihood likelihood = new SpendLikelihood(x, inUnits, weights);
    int stride = (likelihood.size() + SUBSAMPLE_ABOVE - 1) / SUBSAMPLE_ABOVE;
    BoundedMle.Estimate rough =
        BoundedMle.maximize(PARAMETERS, STARTS, stride > 1 ? likelihood.strided(stride) : likelihood);
    BoundedMle.Estimate fit = rough.found() ? BoundedMle.refine(PARAMETERS, rough.parameters(), likelihood) : rough;
    return fit.found() ? inMoney(fit, unit, totalWeight(x, weights)) : fit;
  }

  /** The weighted geometric mean of the mean values: the unit the fit runs in. */
  static double spendUnit(double[] meanValue, double[] weights) {
    double logSum = 0;
    double total = 0;
    for (int i = 0; i < meanValue.length; i++) {
      double w = weights == null ? 1 : weights[i];
      logSum += w * Math.log(meanValue[i]);
      total += w;
    }
    return Math.exp(logSum / total);
  }

  private static double totalWeight(double[] x, double[] weights) {
    return weights == null ? x.length : java.util.Arrays.stream(weights).sum();
  }

  /** A fit in units of {@code unit} as one in money: γ × unit, ln L − n ln(unit). */
  private static BoundedMle.Estimate inMoney(BoundedMle.Estimate fit, double unit, double customers) {
    double[] params = fit.parameters().clone();
    params[2] *= unit;
    double[][] covariance = null;
    if (fit.covariance() != null) {
      covariance = new double[3][];
      for (int i = 0; i < 3; i++) {
        covariance[i] = fit.covariance()[i].clone();
        for (int j = 0; j < 3; j++) {
          covariance[i][j] *= (i == 2 ? unit : 1) * (j == 2 ? unit : 1);
        }
      }
    }
    return new BoundedMle.Estimate(
        params, covariance, fit.logLikelihood() - customers * Math.log(unit), fit.onBound(), fit.failure());
  }

  /**
   * E[M | x, z̄] = p (γ + x z̄) / (p x + q − 1): the expected mean transaction value of a customer,
   * shrunk from their own mean towards the population's. A customer with no repeat purchase gets
   * the population mean p γ / (q − 1).
   */
  public static double expectedValue(double[] params, double x, double meanValue) {
    double p = params[0];
    double q = params[1];
    double gamma = params[2];
    return p * (gamma + x * meanValue) / (p * x + q - 1);
  }
}
