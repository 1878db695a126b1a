package dev.lifecycle.core.retention;

import dev.lifecycle.core.mle.BoundedMle;
import java.util.Optional;

/**
 * One model fitted to one group's lifetimes, or the reason it was not. A fitted curve has finite
 * parameters; their covariance, and so their standard errors, are absent when the likelihood is
 * flat or a parameter sits on a bound ({@code onBound}), and {@link #status()} says which.
 */
public record CurveFit(
    SurvivalModel model,
    double[] parameters,
    double[][] covariance,
    double logLikelihood,
    boolean onBound,
    String status) {

  public static final String FITTED = BoundedMle.FITTED;
  static final String NOT_FITTED = "not fitted: ";

  static CurveFit notFitted(SurvivalModel model, String reason) {
    return new CurveFit(model, null, null, Double.NaN, false, NOT_FITTED + reason);
  }

  public boolean fitted() {
    return parameters != null;
  }

  public Optional<double[]> standardErrorsIfKnown() {
    return Optional.ofNullable(standardErrors());
  }

  /** The square roots of the covariance's diagonal, or null without a covariance. */
  public double[] standardErrors() {
    return BoundedMle.standardErrors(covariance);
  }

  /** Akaike's information criterion, 2k - 2 LL. */
  public double aic() {
    return 2 * model.parameters().size() - 2 * logLikelihood;
  }

  /** The fitted S(t). */
  public double survival(double t) {
    return Math.exp(model.logSurvival(parameters, t));
  }

  /** The fitted retention rate r(t) = S(t) / S(t - 1), for t &gt;= 1. */
  public double retentionRate(int t) {
    return Math.exp(model.logSurvival(parameters, t) - model.logSurvival(parameters, t - 1));
  }
}
