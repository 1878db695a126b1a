package dev.lifecycle.core.clv;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.util.List;

/**
 * The modified beta-geometric/NBD model: Batislam, Denizel &amp; Filiztekin (2007), "Empirical
 * validation and comparison of models for customer base analysis", International Journal of
 * Research in Marketing 24(3). As BG/NBD (see {@link BgNbd}), except that a customer may also drop
 * out at the first purchase, so a one-time buyer is not certainly alive: P(alive) &lt; 1 for every
 * customer, and it falls as T grows without a purchase.
 *
 * <p>L = B(a, b + x + 1) / B(a, b) · Γ(r + x) α^r / Γ(r) · (α + T)^−(r+x) + B(a + 1, b + x) / B(a,
 * b) · Γ(r + x) α^r / Γ(r) · (α + t_x)^−(r+x), for every x including 0. A customer alive after
 * their x-th repeat purchase faces the BG/NBD future of b + 1 in place of b, so the conditional
 * expectation is BG/NBD's with b + 1, times this model's P(alive).
 */
public final class MbgNbd {
  /** r, alpha (in the time unit of the summary), a, b. */
  public static final List<Parameter> PARAMETERS = BgNbd.PARAMETERS;

  private MbgNbd() {}

  /** One customer's log-likelihood. */
  public static double logLikelihood(double[] p, double x, double tx, double bigT) {
    return logLikelihood(p, new RepeatPatterns().add(x, tx, bigT, 1));
  }

  /** The weighted sum over the patterns. */
  public static double logLikelihood(double[] p, RepeatPatterns data) {
    return new PatternLikelihood(data, true).applyAsDouble(p);
  }

  /** The bounded maximum-likelihood fit, with standard errors, searched as BG/NBD's is. */
  public static BoundedMle.Estimate fit(RepeatPatterns data) {
    return PatternLikelihood.fit(data, true);
  }

  /**
   * P(alive | x, t_x, T) = 1 / (1 + a / (b + x) ((α + T) / (α + t_x))^(r+x)), through the log of
   * the odds of having dropped out; below 1 at x = 0 too.
   */
  public static double probabilityAlive(double[] p, double x, double tx, double bigT) {
    double logOdds =
        Math.log(p[2]) - Math.log(p[3] + x)
            + (p[0] + x) * (Math.log(p[1] + bigT) - Math.log(p[1] + tx));
    return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
  }

  /**
   * E[X(t)] of a new customer: b / (a − 1) · [1 − (α / (α + t))^r 2F1(r, b + 1; a + b; t / (α +
   * t))], the conditional expectation at x = t_x = T = 0, where P(alive) = b / (a + b).
   */
  public static double expectedPurchases(double[] p, double t) {
    return conditionalExpectedPurchases(p, t, 0, 0, 0);
  }

  /**
   * E[Y(t) | x, t_x, T] = (a + b + x) / (a − 1) · [1 − ((α + T) / (α + T + t))^(r+x) 2F1(r + x, b +
   * x + 1; a + b + x; t / (α + T + t))] · P(alive).
   */
  public static double conditionalExpectedPurchases(
      double[] p, double t, double x, double tx, double bigT) {
    return expectedPurchasesIfAlive(p, new double[] {t}, x, bigT)[0] * probabilityAlive(p, x, tx, bigT);
  }

  /** The bracketed part of the conditional expectation at each period {@code t}: BG/NBD's with b + 1. */
  public static double[] expectedPurchasesIfAlive(double[] p, double[] t, double x, double bigT) {
    return BgNbd.expectedPurchasesIfAlive(new double[] {p[0], p[1], p[2], p[3] + 1}, t, x, bigT);
  }
}
