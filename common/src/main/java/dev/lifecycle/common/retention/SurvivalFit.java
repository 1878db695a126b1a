package dev.lifecycle.common.retention;

import java.util.List;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * Maximum-likelihood fit of a {@link SurvivalModel} to aggregated lifetimes, with censoring. The
 * search is bounded (BOBYQA, or Brent for one parameter) on log / logit scales from several
 * starts; standard errors come from the inverse of the observed information (a central-difference
 * Hessian). Data that cannot identify a curve get a "not fitted" reason instead of a guess.
 */
public final class SurvivalFit {
  private static final int MAX_EVALUATIONS = 20_000;
  /** How close, on the search scale, a parameter may come to a bound before it counts as on it. */
  private static final double AT_BOUND = 1e-3;

  private SurvivalFit() {}

  public static CurveFit fit(SurvivalModel model, Lifetimes data) {
    String unusable = whyUnfittable(data);
    if (unusable != null) {
      return CurveFit.notFitted(model, data.customers(), unusable);
    }
    List<SurvivalModel.Parameter> parameters = model.parameters();
    double[] best = null;
    double bestLl = Double.NEGATIVE_INFINITY;
    String failure = null;
    for (double[] start : model.starts(meanLifetime(data))) {
      double[] u;
      try {
        u = search(model, data, toSearch(parameters, start));
      } catch (MathIllegalStateException e) { // e.g. BOBYQA's step failing on a flat likelihood
        failure = e.getMessage();
        continue;
      }
      double ll = model.logLikelihood(fromSearch(parameters, u), data);
      if (Double.isFinite(ll) && ll > bestLl) {
        bestLl = ll;
        best = u;
      }
    }
    if (best == null) {
      String reason =
          failure == null
              ? "the likelihood is not finite at any optimum found"
              : "the optimiser failed from every start (" + failure + ")";
      return CurveFit.notFitted(model, data.customers(), reason);
    }
    double[] p = fromSearch(parameters, best);
    String onBound = onBound(parameters, best);
    double[] se = onBound == null ? standardErrors(model, data, p) : null;
    String status =
        onBound != null
            ? CurveFit.FITTED + "; " + onBound + " at its bound, no standard errors"
            : se == null ? CurveFit.FITTED + "; flat likelihood, no standard errors" : CurveFit.FITTED;
    return new CurveFit(model, p, se, bestLl, data.customers(), status);
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
      return "every customer churned in period 1";
    }
    return null;
  }

  /** Periods lived per churn: a rough scale for the starting points. */
  private static double meanLifetime(Lifetimes data) {
    double exposure = 0;
    for (int t = 1; t <= data.lastPeriod(); t++) {
      exposure += data.atRisk(t);
    }
    return Math.min(1e4, Math.max(1, exposure / Math.max(1, data.churnedTotal())));
  }

  private static double[] search(SurvivalModel model, Lifetimes data, double[] start) {
    List<SurvivalModel.Parameter> parameters = model.parameters();
    double[] lower = toSearch(parameters, parameters.stream().mapToDouble(p -> p.lower()).toArray());
    double[] upper = toSearch(parameters, parameters.stream().mapToDouble(p -> p.upper()).toArray());
    for (int i = 0; i < start.length; i++) {
      start[i] = Math.min(upper[i], Math.max(lower[i], start[i]));
    }
    if (start.length == 1) {
      UnivariatePointValuePair optimum =
          new BrentOptimizer(1e-12, 1e-14)
              .optimize(
                  new MaxEval(MAX_EVALUATIONS),
                  new UnivariateObjectiveFunction(
                      u -> objective(model, data, new double[] {u})),
                  GoalType.MAXIMIZE,
                  new SearchInterval(lower[0], upper[0], start[0]));
      return new double[] {optimum.getPoint()};
    }
    PointValuePair optimum =
        new BOBYQAOptimizer(2 * start.length + 1, 0.5, 1e-10)
            .optimize(
                new MaxEval(MAX_EVALUATIONS),
                new ObjectiveFunction(u -> objective(model, data, u)),
                GoalType.MAXIMIZE,
                new InitialGuess(start),
                new SimpleBounds(lower, upper));
    return optimum.getPoint();
  }

  /** The log-likelihood, with non-finite values made the worst, so the search moves away. */
  private static double objective(SurvivalModel model, Lifetimes data, double[] u) {
    double ll = model.logLikelihood(fromSearch(model.parameters(), u), data);
    return Double.isFinite(ll) ? ll : -Double.MAX_VALUE;
  }

  private static String onBound(List<SurvivalModel.Parameter> parameters, double[] u) {
    for (int i = 0; i < u.length; i++) {
      SurvivalModel.Parameter p = parameters.get(i);
      if (u[i] - p.toSearch(p.lower()) < AT_BOUND || p.toSearch(p.upper()) - u[i] < AT_BOUND) {
        return p.name();
      }
    }
    return null;
  }

  /**
   * Square roots of the diagonal of the inverse observed information, in natural parameters, or
   * null when the information is singular or not positive definite.
   */
  static double[] standardErrors(SurvivalModel model, Lifetimes data, double[] p) {
    int n = p.length;
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      h[i] = 1e-4 * (model.parameters().get(i).fraction() ? Math.min(p[i], 1 - p[i]) : p[i]);
    }
    RealMatrix information = new Array2DRowRealMatrix(n, n);
    double centre = model.logLikelihood(p, data);
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double second =
            i == j
                ? (ll(model, data, p, i, h[i], j, 0) - 2 * centre + ll(model, data, p, i, -h[i], j, 0))
                    / (h[i] * h[i])
                : (ll(model, data, p, i, h[i], j, h[j])
                        - ll(model, data, p, i, h[i], j, -h[j])
                        - ll(model, data, p, i, -h[i], j, h[j])
                        + ll(model, data, p, i, -h[i], j, -h[j]))
                    / (4 * h[i] * h[j]);
        information.setEntry(i, j, -second);
        information.setEntry(j, i, -second);
      }
    }
    LUDecomposition lu = new LUDecomposition(information);
    if (!lu.getSolver().isNonSingular()) {
      return null;
    }
    RealMatrix covariance = lu.getSolver().getInverse();
    double[] se = new double[n];
    for (int i = 0; i < n; i++) {
      double variance = covariance.getEntry(i, i);
      if (!(variance > 0) || !Double.isFinite(variance)) {
        return null;
      }
      se[i] = Math.sqrt(variance);
    }
    return se;
  }

  private static double ll(
      SurvivalModel model, Lifetimes data, double[] p, int i, double di, int j, double dj) {
    double[] moved = p.clone();
    moved[i] += di;
    moved[j] += dj;
    return model.logLikelihood(moved, data);
  }

  private static double[] toSearch(List<SurvivalModel.Parameter> parameters, double[] values) {
    double[] u = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      u[i] = parameters.get(i).toSearch(values[i]);
    }
    return u;
  }

  private static double[] fromSearch(List<SurvivalModel.Parameter> parameters, double[] u) {
    double[] values = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      values[i] = parameters.get(i).fromSearch(u[i]);
    }
    return values;
  }
}
