package dev.lifecycle.core.clv;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;

/**
 * One purchase model (BG/NBD, MBG/NBD or Pareto/NBD) as the stages use it: its parameters, fit and
 * log-likelihood, P(alive) and the expected purchases of a customer still alive. Each model's
 * mathematics stays in its own class; this only names it once, so callers never switch on the
 * model.
 */
public record PurchaseProcess(
    LifecycleConfig.PurchaseModel model,
    List<Parameter> parameters,
    Function<RepeatPatterns, BoundedMle.Estimate> fitter,
    ToDoubleBiFunction<double[], RepeatPatterns> likelihood,
    Alive alive,
    IfAlive ifAlive) {

  /** P(alive | x, t_x, T). */
  @FunctionalInterface
  public interface Alive {
    double at(double[] p, double x, double tx, double bigT);
  }

  /** E[Y(t_k) | x, T, alive] at each period t_k. */
  @FunctionalInterface
  public interface IfAlive {
    double[] at(double[] p, double[] t, double x, double bigT);
  }

  /** The process of a configured purchase model. */
  public static PurchaseProcess of(LifecycleConfig.PurchaseModel model) {
    return switch (model) {
      case BG_NBD ->
          new PurchaseProcess(
              model, BgNbd.PARAMETERS, BgNbd::fit, BgNbd::logLikelihood, BgNbd::probabilityAlive,
              BgNbd::expectedPurchasesIfAlive);
      case MBG_NBD ->
          new PurchaseProcess(
              model, MbgNbd.PARAMETERS, MbgNbd::fit, MbgNbd::logLikelihood, MbgNbd::probabilityAlive,
              MbgNbd::expectedPurchasesIfAlive);
      case PARETO_NBD ->
          new PurchaseProcess(
              model, ParetoNbd.PARAMETERS, ParetoNbd::fit, ParetoNbd::logLikelihood,
              ParetoNbd::probabilityAlive, ParetoNbd::expectedPurchasesIfAlive);
      case AUTO -> throw new IllegalArgumentException("auto is not a purchase model: the clv stage chooses one");
    };
  }

  /**
   * The bounded maximum-likelihood fit; none when no customer was observed for any time (every T
   * = 0, as when every first purchase is on the snapshot day): the likelihood is then 1 whatever
   * the parameters, and the search would end on its starting values, reported as fitted.
   */
  public BoundedMle.Estimate fit(RepeatPatterns data) {
    boolean timeObserved = data.size() == 0;
    for (int i = 0; i < data.size() && !timeObserved; i++) {
      timeObserved = data.bigT(i) > 0;
    }
    if (timeObserved) {
      return fitter.apply(data);
    }
    return new BoundedMle.Estimate(
        null, null, Double.NaN, List.of(),
        "no time observed: every customer's first purchase is on the snapshot day (T = 0), which says nothing"
            + " of purchase rates or drop-out");
  }

  /** The weighted log-likelihood of the patterns at {@code p}. */
  public double logLikelihood(double[] p, RepeatPatterns data) {
    return likelihood.applyAsDouble(p, data);
  }

  public double probabilityAlive(double[] p, double x, double tx, double bigT) {
    return alive.at(p, x, tx, bigT);
  }

  /** E[Y(t_k) | x, T] for a customer still alive; times P(alive) it is the forecast. */
  public double[] expectedPurchasesIfAlive(double[] p, double[] t, double x, double bigT) {
    return ifAlive.at(p, t, x, bigT);
  }

  /** E[Y(t) | x, t_x, T], the expected purchases in the next t of a customer with this history. */
  public double conditionalExpectedPurchases(double[] p, double t, double x, double tx, double bigT) {
    return expectedPurchasesIfAlive(p, new double[] {t}, x, bigT)[0] * probabilityAlive(p, x, tx, bigT);
  }
}
