package dev.lifecycle.core.clv;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.util.List;

/**
 * The beta-geometric/NBD model of repeat purchasing: Fader, Hardie &amp; Lee (2005), "'Counting
 * your customers' the easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2).
 * While alive a customer buys at Poisson rate lambda ~ Gamma(r, alpha); after each purchase they
 * drop out with probability p ~ Beta(a, b). Everything is computed in log space, so customers with
 * hundreds of purchases stay finite.
 */
public final class BgNbd {
  /** r, alpha (in the time unit of the summary), a, b. */
  public static final List<Parameter> PARAMETERS =
      List.of(
          Parameter.positive("r"),
          Parameter.positive("alpha"),
          Parameter.positive("a"),
          Parameter.positive("b"));

  private BgNbd() {}

  /**
   * One customer's log-likelihood (equation 6 of the paper): log A + log(B1 + [x &gt; 0] B2) with
   * log A = ln Γ(r + x) − ln Γ(r) + r ln α, B1 = B(a, b + x) / B(a, b) (α + T)^−(r+x) and B2 =
   * B(a + 1, b + x − 1) / B(a, b) (α + t_x)^−(r+x).
   */
  public static double logLikelihood(double[] p, double x, double tx, double bigT) {
    return logLikelihood(p, new RepeatPatterns().add(x, tx, bigT, 1));
  }

  /** The weighted sum over the patterns. */
  public static double logLikelihood(double[] p, RepeatPatterns data) {
    return new PatternLikelihood(data).applyAsDouble(p);
  }

  /** The maximum-likelihood fit, bounded, with standard errors (see {@link PatternLikelihood#fit}). */
  public static BoundedMle.Estimate fit(RepeatPatterns data) {
    return PatternLikelihood.fit(data, false);
  }

  /**
   * P(alive | x, t_x, T) = 1 / (1 + [x &gt; 0] a / (b + x − 1) ((α + T) / (α + t_x))^(r+x)),
   * through the log of the odds of having dropped out.
   */
  public static double probabilityAlive(double[] p, double x, double tx, double bigT) {
    if (x == 0) {
      return 1.0;
    }
    double logOdds =
        Math.log(p[2]) - Math.log(p[3] + x - 1)
            + (p[0] + x) * (Math.log(p[1] + bigT) - Math.log(p[1] + tx));
    return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
  }

  /** P(X(t) = 0) = (α / (α + t))^r: a new customer makes no repeat purchase in t (equation 8). */
  public static double probabilityOfNoPurchase(double[] p, double t) {
    return Math.exp(-p[0] * Math.log1p(t / p[1]));
  }

  /**
   * E[X(t)], the expected purchases of a new customer in a period of length t (equation 9):
   * (a + b − 1) / (a − 1) · [1 − (α / (α + t))^r 2F1(r, b; a + b − 1; t / (α + t))].
   */
  public static double expectedPurchases(double[] p, double t) {
    return expectedPurchasesIfAlive(p, new double[] {t}, 0, 0)[0];
  }

  /**
   * E[Y(t) | x, t_x, T], the expected purchases in the next t of a customer with this history
   * (equation 10): (a + b + x − 1) / (a − 1) · [1 − ((α + T) / (α + T + t))^(r+x) 2F1(r + x, b +
   * x; a + b + x − 1; t / (α + T + t))], times P(alive).
   */
  public static double conditionalExpectedPurchases(
      double[] p, double t, double x, double tx, double bigT) {
    return expectedPurchasesIfAlive(p, new double[] {t}, x, bigT)[0] * probabilityAlive(p, x, tx, bigT);
  }

  /**
   * The bracketed part of equation 10 for a customer still alive, at each of the periods {@code
   * t}: E[Y(t) | x, t_x, T] is this times P(alive), which does not depend on t. With z = t / (α +
   * T + t), Euler's transformation 2F1(A, B; C; z) = (1 − z)^(C−A−B) 2F1(C − A, C − B; C; z) turns
   * the power and the 2F1 into (1 − z)^(a−1) 2F1(a + b − 1 − r, a − 1; a + b + x − 1; z), whose
   * parameters do not grow with x: a customer with thousands of purchases stays finite where the
   * original series overflows. The periods share one series (see {@link Hypergeometric}), summed
   * on a log scale where it passes a double's range: a fit with a in the thousands (dropout all
   * but impossible) makes (1 − z)^(a−1) underflow and the series overflow, their product finite.
   */
  public static double[] expectedPurchasesIfAlive(double[] p, double[] t, double x, double bigT) {
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    double[] z = new double[t.length];
    for (int k = 0; k < t.length; k++) {
      z[k] = t[k] / (alpha + bigT + t[k]);
    }
    double[] logScale = new double[t.length];
    double[] hyper = Hypergeometric.f21(a + b - 1 - r, a - 1, a + b + x - 1, z, logScale);
    double[] purchases = new double[t.length];
    for (int k = 0; k < t.length; k++) {
      double logPower = (a - 1) * Math.log1p(-z[k]) + logScale[k];
      double notYet =
          hyper[k] > 0 ? -Math.expm1(logPower + Math.log(hyper[k])) : 1 - Math.exp(logPower) * hyper[k];
      purchases[k] = (a + b + x - 1) / (a - 1) * notYet;
    }
    return purchases;
  }

}
