package dev.lifecycle.common.mle;

import java.util.List;
import java.util.function.ToDoubleFunction;
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
 * Bounded maximum likelihood for the models here. The search runs with commons-math3: BOBYQA, or
 * Brent for a single parameter, on log / logit scales (see {@link Parameter}), from several starts.
 * A start the optimiser fails on is skipped, and a non-finite log-likelihood counts as the worst
 * value, so the result is never NaN. Standard errors come from the inverse of the observed
 * information, a central-difference Hessian in the natural parameters.
 */
public final class BoundedMle {
  private static final int MAX_EVALUATIONS = 20_000;
  /** How close, on the search scale, a parameter may come to a bound before it counts as on it. */
  private static final double AT_BOUND = 1e-3;

  private BoundedMle() {}

  /**
   * The best estimate found, or why there is none ({@code failure}). {@code onBound} names a
   * parameter that ended on its bound, if any; standard errors are then absent, and also when the
   * information is singular or not positive definite.
   */
  public record Estimate(
      double[] parameters,
      double[] standardErrors,
      double logLikelihood,
      String onBound,
      String failure) {
    public boolean found() {
      return parameters != null;
    }
  }

  /** Maximises {@code logLikelihood} over the bounded parameters from each start (natural scale). */
  public static Estimate maximize(
      List<Parameter> parameters, double[][] starts, ToDoubleFunction<double[]> logLikelihood) {
    double[] best = null;
    double bestLl = Double.NEGATIVE_INFINITY;
    String failure = null;
    for (double[] start : starts) {
      double[] u;
      try {
        u = search(parameters, toSearch(parameters, start), logLikelihood);
      } catch (MathIllegalStateException e) { // e.g. BOBYQA's step failing on a flat likelihood
        failure = e.getMessage();
        continue;
      }
      double ll = logLikelihood.applyAsDouble(fromSearch(parameters, u));
      if (Double.isFinite(ll) && ll > bestLl) {
        bestLl = ll;
        best = u;
      }
    }
    if (best == null) {
      String why =
          failure == null
              ? "the likelihood is not finite at any optimum found"
              : "the optimiser failed from every start (" + failure + ")";
      return new Estimate(null, null, Double.NaN, null, why);
    }
    double[] p = fromSearch(parameters, best);
    String onBound = onBound(parameters, best);
    double[] se = onBound == null ? standardErrors(parameters, p, logLikelihood) : null;
    return new Estimate(p, se, bestLl, onBound, null);
  }

  private static double[] search(
      List<Parameter> parameters, double[] start, ToDoubleFunction<double[]> logLikelihood) {
    double[] lower = toSearch(parameters, parameters.stream().mapToDouble(Parameter::lower).toArray());
    double[] upper = toSearch(parameters, parameters.stream().mapToDouble(Parameter::upper).toArray());
    for (int i = 0; i < start.length; i++) {
      start[i] = Math.min(upper[i], Math.max(lower[i], start[i]));
    }
    if (start.length == 1) {
      UnivariatePointValuePair optimum =
          new BrentOptimizer(1e-12, 1e-14)
              .optimize(
                  new MaxEval(MAX_EVALUATIONS),
                  new UnivariateObjectiveFunction(
                      u -> objective(parameters, new double[] {u}, logLikelihood)),
                  GoalType.MAXIMIZE,
                  new SearchInterval(lower[0], upper[0], start[0]));
      return new double[] {optimum.getPoint()};
    }
    PointValuePair optimum =
        new BOBYQAOptimizer(2 * start.length + 1, 0.5, 1e-10)
            .optimize(
                new MaxEval(MAX_EVALUATIONS),
                new ObjectiveFunction(u -> objective(parameters, u, logLikelihood)),
                GoalType.MAXIMIZE,
                new InitialGuess(start),
                new SimpleBounds(lower, upper));
    return optimum.getPoint();
  }

  private static double objective(
      List<Parameter> parameters, double[] u, ToDoubleFunction<double[]> logLikelihood) {
    double ll = logLikelihood.applyAsDouble(fromSearch(parameters, u));
    return Double.isFinite(ll) ? ll : -Double.MAX_VALUE;
  }

  private static String onBound(List<Parameter> parameters, double[] u) {
    for (int i = 0; i < u.length; i++) {
      Parameter p = parameters.get(i);
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
  private static double[] standardErrors(
      List<Parameter> parameters, double[] p, ToDoubleFunction<double[]> logLikelihood) {
    int n = p.length;
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      h[i] = 1e-4 * (parameters.get(i).fraction() ? Math.min(p[i], 1 - p[i]) : p[i]);
    }
    RealMatrix information = new Array2DRowRealMatrix(n, n);
    double centre = logLikelihood.applyAsDouble(p);
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double second =
            i == j
                ? (moved(logLikelihood, p, i, h[i], j, 0) - 2 * centre
                        + moved(logLikelihood, p, i, -h[i], j, 0))
                    / (h[i] * h[i])
                : (moved(logLikelihood, p, i, h[i], j, h[j])
                        - moved(logLikelihood, p, i, h[i], j, -h[j])
                        - moved(logLikelihood, p, i, -h[i], j, h[j])
                        + moved(logLikelihood, p, i, -h[i], j, -h[j]))
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

  private static double moved(
      ToDoubleFunction<double[]> logLikelihood, double[] p, int i, double di, int j, double dj) {
    double[] shifted = p.clone();
    shifted[i] += di;
    shifted[j] += dj;
    return logLikelihood.applyAsDouble(shifted);
  }

  private static double[] toSearch(List<Parameter> parameters, double[] values) {
    double[] u = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      u[i] = parameters.get(i).toSearch(values[i]);
    }
    return u;
  }

  private static double[] fromSearch(List<Parameter> parameters, double[] u) {
    double[] values = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      values[i] = parameters.get(i).fromSearch(u[i]);
    }
    return values;
  }
}
