package dev.lifecycle.core.retention;

import dev.lifecycle.core.mle.BoundedMle;

/**
 * Maximum-likelihood fit of a {@link SurvivalModel} to aggregated lifetimes, with censoring. The
 * search is bounded (BOBYQA, or Brent for one parameter) on log / logit scales from several
 * starts; standard errors come from the inverse of the observed information (a central-difference
 * Hessian). Data that cannot identify a curve get a "not fitted" reason instead of a guess.
 */
public final class SurvivalFit {
  private SurvivalFit() {}

  public static CurveFit fit(SurvivalModel model, Lifetimes data) {
    String unusable = whyUnfittable(data);
    if (unusable != null) {
      return CurveFit.notFitted(model, unusable);
    }
    int periods = observedPeriods(data);
    int k = model.parameters().size();
    if (k > periods) {
      return CurveFit.notFitted(
          model,
          k + " parameters from " + periods + (periods == 1 ? " observed period" : " observed periods")
              + ", which cannot tell them apart");
    }
    BoundedMle.Estimate estimate =
        BoundedMle.maximize(
            model.parameters(),
            model.starts(meanLifetime(data)),
            p -> model.logLikelihood(p, data));
    if (!estimate.found()) {
      return CurveFit.notFitted(model, estimate.failure());
    }
    return new CurveFit(
        model,
        estimate.parameters(),
        estimate.covariance(),
        estimate.logLikelihood(),
        !estimate.onBound().isEmpty(),
        estimate.fittedStatus());
  }

  /** Why these lifetimes cannot identify a survival curve, or null when they can. */
  static String whyUnfittable(Lifetimes data) {
    if (data.customers() == 0) {
      return "no customers";
    }
    if (data.atRisk(1) == 0) {
      return "no customer observed for a full period yet";
    }
    if (data.customers() == 1) {
      return "a single customer";
    }
    if (data.churnedTotal() == 0) {
      return "nobody churned";
    }
    if (data.atRisk(1) == data.churned(1)) {
      return "every customer observed past period 0 churned in period 1";
    }
    return null;
  }

  /**
   * The periods with a customer at risk. The likelihood depends on the curve only through its
   * retention rate in each of them, so a model of more parameters than that has a ridge of equal
   * likelihood: a cohort observed for one period identifies sBG's α / (α + β), not α and β, and
   * its standard errors (199 and 465 in one such case) described rounding, not the data.
   */
  static int observedPeriods(Lifetimes data) {
    int periods = 0;
    for (int t = 1; t <= data.window(); t++) {
      if (data.atRisk(t) > 0) {
        periods++;
      }
    }
    return periods;
  }

  /** Periods lived per churn: a rough scale for the starting points. */
  private static double meanLifetime(Lifetimes data) {
    double exposure = 0;
    for (int t = 1; t <= data.lastPeriod(); t++) {
      exposure += data.atRisk(t);
    }
    return Math.min(1e4, Math.max(1, exposure / Math.max(1, data.churnedTotal())));
  }
}
