package dev.lifecycle.core.mle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
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
 * value, so the result is never NaN. The covariance of the estimate, and its standard errors,
 * come from the inverse of the observed information, a central-difference Hessian.
 */
public final class BoundedMle {
  private static final int MAX_EVALUATIONS = 20_000;
  /** How close, on the search scale, a parameter may come to a bound before it counts as on it. */
  private static final double AT_BOUND = 1e-3;
  private static final int MAX_NEWTON_STEPS = 50;
  /** The initial trust region of {@link #polish} on the search scale: a 5% step. */
  private static final double POLISH_RADIUS = 0.05;
  /** The search-scale step of the Hessian's differences: a relative change of 1e-5 in a parameter. */
  private static final double GRADIENT_STEP = 1e-5;

  /** The status of a usable estimate with nothing to say about it. */
  public static final String FITTED = "fitted";

  private BoundedMle() {}

  /**
   * The best estimate found, or why there is none ({@code failure}). {@code onBound} names every
   * parameter that ended on a bound, in order (empty when none). {@code covariance} is the inverse
   * observed information in the natural parameters; it is absent when a parameter is on a bound,
   * and when the information is singular or not positive definite.
   */
  public record Estimate(
      double[] parameters,
      double[][] covariance,
      double logLikelihood,
      List<String> onBound,
      String failure) {
    public boolean found() {
      return parameters != null;
    }

    /** The square roots of the covariance's diagonal, or null without a covariance. */
    public double[] standardErrors() {
      return BoundedMle.standardErrors(covariance);
    }

    /**
     * The status of an estimate found: {@code fitted}; {@code fitted; <bound note>, no standard
     * errors}; or {@code fitted; flat likelihood, no standard errors}. Every table that reports a
     * fit says it in these words.
     */
    public String fittedStatus() {
      if (boundNote() != null) {
        return FITTED + "; " + boundNote() + ", no standard errors";
      }
      return standardErrors() == null ? FITTED + "; flat likelihood, no standard errors" : FITTED;
    }

    /** "a at its bound", "p and q at their bounds", "r, a and b at their bounds", or null. */
    public String boundNote() {
      int n = onBound.size();
      if (n == 0) {
        return null;
      }
      return n == 1
          ? onBound.get(0) + " at its bound"
          : String.join(", ", onBound.subList(0, n - 1)) + " and " + onBound.get(n - 1) + " at their bounds";
    }
  }

  /** The square roots of a covariance matrix's diagonal; null for a null matrix. */
  public static double[] standardErrors(double[][] covariance) {
    if (covariance == null) {
      return null;
    }
    double[] se = new double[covariance.length];
    for (int i = 0; i < se.length; i++) {
      se[i] = Math.sqrt(covariance[i][i]);
    }
    return se;
  }

  /** A log-likelihood that also gives its gradient in the natural parameters. */
  public interface Differentiable extends ToDoubleFunction<double[]> {
    /** Returns the log-likelihood at {@code p} and writes its gradient into {@code gradient}. */
    double valueAndGradient(double[] p, double[] gradient);
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
      return new Estimate(null, null, Double.NaN, List.of(), why);
    }
    double[] p = fromSearch(parameters, best);
    List<String> onBound = onBound(parameters, best);
    double[][] covariance = onBound.isEmpty() ? covariance(parameters, p, logLikelihood) : null;
    return new Estimate(p, covariance, bestLl, onBound, null);
  }

  /**
   * One bounded search from {@code start}, which must be near the optimum already (found on a
   * cheaper copy of the data): BOBYQA with a trust region of {@value #POLISH_RADIUS} on the search
   * scale, so a few dozen evaluations of an expensive likelihood without a gradient. Standard
   * errors as in {@link #maximize}.
   */
  public static Estimate polish(List<Parameter> parameters, double[] start, ToDoubleFunction<double[]> logLikelihood) {
    double[] lower = toSearch(parameters, parameters.stream().mapToDouble(Parameter::lower).toArray());
    double[] upper = toSearch(parameters, parameters.stream().mapToDouble(Parameter::upper).toArray());
    double[] u = clamp(toSearch(parameters, start), lower, upper);
    try {
      u =
          new BOBYQAOptimizer(2 * u.length + 1, POLISH_RADIUS, 1e-8)
              .optimize(
                  new MaxEval(MAX_EVALUATIONS),
                  new ObjectiveFunction(v -> objective(parameters, v, logLikelihood)),
                  GoalType.MAXIMIZE,
                  new InitialGuess(u),
                  new SimpleBounds(lower, upper))
              .getPoint();
    } catch (MathIllegalStateException e) { // keep the start, which the caller's search found
      u = clamp(toSearch(parameters, start), lower, upper);
    }
    double[] p = fromSearch(parameters, u);
    double ll = logLikelihood.applyAsDouble(p);
    if (!Double.isFinite(ll)) {
      return new Estimate(null, null, Double.NaN, List.of(), "the likelihood is not finite at the polished optimum");
    }
    List<String> onBound = onBound(parameters, u);
    double[][] covariance = onBound.isEmpty() ? covariance(parameters, p, logLikelihood) : null;
    return new Estimate(p, covariance, ll, onBound, null);
  }

  /**
   * Newton's method on the search scale from {@code start}, for polishing an estimate found
   * cheaply (say, on a coarsened copy of the data) with few evaluations of an expensive
   * likelihood. The Hessian is the central difference of the analytic gradient; a step that does
   * not raise the likelihood is halved, and where the Hessian is not negative definite the step
   * follows the gradient. It stops when the Newton decrement says the optimum is within 1e-9 of
   * the log-likelihood. Standard errors come from the final Hessian, as in {@link #maximize}.
   */
  public static Estimate refine(List<Parameter> parameters, double[] start, Differentiable logLikelihood) {
    int n = start.length;
    double[] lower = toSearch(parameters, parameters.stream().mapToDouble(Parameter::lower).toArray());
    double[] upper = toSearch(parameters, parameters.stream().mapToDouble(Parameter::upper).toArray());
    double[] u = clamp(toSearch(parameters, start), lower, upper);
    double[] g = new double[n];
    double value = searchGradient(parameters, u, logLikelihood, g);
    if (!Double.isFinite(value)) {
      return new Estimate(null, null, Double.NaN, List.of(), "the likelihood is not finite at the start");
    }
    RealMatrix negativeHessian = null;
    for (int iteration = 0; iteration < MAX_NEWTON_STEPS; iteration++) {
      negativeHessian = negativeHessian(parameters, u, logLikelihood);
      double[] step = newtonStep(negativeHessian, g);
      double decrement = 0;
      for (int i = 0; i < n; i++) {
        decrement += g[i] * step[i];
      }
      if (decrement < 2e-9) {
        break;
      }
      double[] gNext = new double[n];
      boolean moved = false;
      for (double size = 1; size > 1e-6 && !moved; size /= 2) {
        double[] candidate = new double[n];
        for (int i = 0; i < n; i++) {
          candidate[i] = u[i] + size * step[i];
        }
        candidate = clamp(candidate, lower, upper);
        double next = searchGradient(parameters, candidate, logLikelihood, gNext);
        if (Double.isFinite(next) && next > value) {
          u = candidate;
          value = next;
          System.arraycopy(gNext, 0, g, 0, n);
          moved = true;
        }
      }
      if (!moved) {
        break;
      }
    }
    double[] p = fromSearch(parameters, u);
    List<String> onBound = onBound(parameters, u);
    double[][] covariance =
        onBound.isEmpty() ? inverse(negativeHessian, i -> parameters.get(i).slope(p[i])) : null;
    return new Estimate(p, covariance, value, onBound, null);
  }

  /** The Newton step solving (−H) d = g, or the gradient itself where −H is not positive definite. */
  private static double[] newtonStep(RealMatrix negativeHessian, double[] g) {
    try {
      return new CholeskyDecomposition(negativeHessian).getSolver().solve(new ArrayRealVector(g)).toArray();
    } catch (MathIllegalArgumentException e) { // not symmetric positive definite
      double scale = 0;
      for (int i = 0; i < g.length; i++) {
        scale = Math.max(scale, Math.abs(negativeHessian.getEntry(i, i)));
      }
      double[] step = g.clone();
      for (int i = 0; i < step.length; i++) {
        step[i] /= Math.max(scale, 1);
      }
      return step;
    }
  }

  /** The log-likelihood at search point u, and its gradient on the search scale in {@code g}. */
  private static double searchGradient(
      List<Parameter> parameters, double[] u, Differentiable logLikelihood, double[] g) {
    double[] p = fromSearch(parameters, u);
    double value = logLikelihood.valueAndGradient(p, g);
    for (int i = 0; i < g.length; i++) {
      g[i] *= parameters.get(i).slope(p[i]);
    }
    return value;
  }

  /**
   * −H on the search scale, by central differences of the gradient, symmetrised. The 2n gradients
   * are independent evaluations, so they run in parallel; they are added into −H in one order
   * after, so it is the same to the last bit as one after another.
   */
  private static RealMatrix negativeHessian(
      List<Parameter> parameters, double[] u, Differentiable logLikelihood) {
    int n = u.length;
    double[][] gradients = new double[2 * n][n]; // at u + step e_j (2j) and u − step e_j (2j + 1)
    IntStream.range(0, 2 * n)
        .parallel()
        .forEach(
            k -> {
              double[] shifted = u.clone();
              shifted[k / 2] += k % 2 == 0 ? GRADIENT_STEP : -GRADIENT_STEP;
              searchGradient(parameters, shifted, logLikelihood, gradients[k]);
            });
    RealMatrix h = new Array2DRowRealMatrix(n, n);
    for (int j = 0; j < n; j++) {
      double[] up = gradients[2 * j];
      double[] down = gradients[2 * j + 1];
      for (int i = 0; i < n; i++) {
        h.addToEntry(i, j, -(up[i] - down[i]) / (4 * GRADIENT_STEP));
        h.addToEntry(j, i, -(up[i] - down[i]) / (4 * GRADIENT_STEP));
      }
    }
    return h;
  }

  /**
   * The inverse of {@code information}, each entry (i, j) times scale(i) scale(j); null when it is
   * singular or a variance is not positive. With −H on the search scale and scale dp/du this is
   * the delta method's covariance in the natural parameters, exact at an optimum where the
   * gradient vanishes.
   */
  private static double[][] inverse(RealMatrix information, IntToDoubleFunction scale) {
    LUDecomposition lu = new LUDecomposition(information);
    if (!lu.getSolver().isNonSingular()) {
      return null;
    }
    RealMatrix inverse = lu.getSolver().getInverse();
    int n = inverse.getRowDimension();
    double[][] covariance = new double[n][n];
    for (int i = 0; i < n; i++) {
      double variance = inverse.getEntry(i, i);
      if (!(variance > 0) || !Double.isFinite(variance)) {
        return null;
      }
      for (int j = 0; j < n; j++) {
        double symmetric = (inverse.getEntry(i, j) + inverse.getEntry(j, i)) / 2;
        covariance[i][j] = scale.applyAsDouble(i) * scale.applyAsDouble(j) * symmetric;
      }
    }
    return covariance;
  }

  private static double[] clamp(double[] u, double[] lower, double[] upper) {
    double[] clamped = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      clamped[i] = Math.min(upper[i], Math.max(lower[i], u[i]));
    }
    return clamped;
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

  private static List<String> onBound(List<Parameter> parameters, double[] u) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < u.length; i++) {
      Parameter p = parameters.get(i);
      if (u[i] - p.toSearch(p.lower()) < AT_BOUND || p.toSearch(p.upper()) - u[i] < AT_BOUND) {
        names.add(p.name());
      }
    }
    return List.copyOf(names);
  }

  /**
   * The inverse observed information in natural parameters, or null when the information is
   * singular or not positive definite.
   */
  private static double[][] covariance(
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
    return inverse(information, i -> 1);
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
