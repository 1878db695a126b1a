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
  /** p, q, gamma (in money). */
  public static final List<Parameter> PARAMETERS =
      List.of(Parameter.positive("p"), Parameter.positive("q"), Parameter.positive("gamma"));

  private static final double[][] STARTS = {{1, 1, 1}, {5, 3, 15}, {2, 2, 50}};

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
   * bounds; a positive log-likelihood, which the density of spread-out values does not reach; q
   * &lt;= 1, where the population's mean spend p γ / (q − 1), a one-time buyer's expected spend,
   * is not finite (spend so heavy-tailed that its mean does not exist).
   */
  public static SpendFit fitForClv(double[] x, double[] meanValue, double[] weights) {
    if (x.length == 0) {
      return new SpendFit(null, "no customer with a repeat purchase of positive value");
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
    if (fit.logLikelihood() > 0) {
      return new SpendFit(
          fit, "degenerate: positive log-likelihood (" + fit.logLikelihood() + "), spend too concentrated to model");
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
   * and Newton's method with the analytic gradient finishes on all of them.
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
    SpendLikelihood likelihood = new SpendLikelihood(x, meanValue, weights);
    int stride = (likelihood.size() + SUBSAMPLE_ABOVE - 1) / SUBSAMPLE_ABOVE;
    BoundedMle.Estimate rough =
        BoundedMle.maximize(PARAMETERS, STARTS, stride > 1 ? likelihood.strided(stride) : likelihood);
    return rough.found() ? BoundedMle.refine(PARAMETERS, rough.parameters(), likelihood) : rough;
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
