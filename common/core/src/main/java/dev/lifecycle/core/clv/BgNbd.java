package dev.lifecycle.core.clv;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.special.Beta;

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

  /** The most terms the series of {@link #expectedPurchasesIfAlive} may be expected to need. */
  private static final double SERIES_TERMS = 100_000;

  /**
   * How many times the transformed series may magnify its terms' rounding in the bracket of
   * equation 10, 1 − (1 − z)^(a−1) 2F1: (1 − z)^(a−1) Σ |term| / |bracket|. Its first parameter,
   * a + b − 1 − r, is large and negative when r is (purchase rates that differ little between
   * customers), and its terms, of alternating sign, then grow far past the bracket.
   */
  private static final double ILL_CONDITIONED = 1e7;

  /** How near a − 1 and a + b + x − 1 may come to 0 before the closed form is left. */
  private static final double NEAR_POLE = 1e-6;

  /**
   * Where the integral of {@link #ifAliveByQuadrature} is taken in closed form: within this of its
   * ends, relative to the scales its integrand changes on.
   */
  private static final double END_PIECE = 1e-10;

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
   * Where that series cancels (see {@link #ILL_CONDITIONED}) the untransformed one, all of whose
   * terms are positive, is summed instead, and where the closed form fails (see {@link
   * #bySeries}) or the untransformed series would be long, the expectation is {@link
   * #ifAliveByQuadrature integrated}.
   */
  public static double[] expectedPurchasesIfAlive(double[] p, double[] t, double x, double bigT) {
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    double[] z = new double[t.length];
    double zMax = 0;
    for (int k = 0; k < t.length; k++) {
      z[k] = t[k] / (alpha + bigT + t[k]);
      zMax = Math.max(zMax, z[k]);
    }
    if (!bySeries(r, a, b, x, zMax)) {
      return ifAliveByQuadrature(p, t, x, bigT);
    }
    double[] logScale = new double[t.length];
    // Its terms keep one sign from the second on unless a + b − 1 − r < −1 (a − 1 > −1, and a + b +
    // x − 1 > −1 too): then they can cancel only where the sum nears 0, and there the bracket is
    // near 1 and (1 − z)^(a−1) at most (4e-4)^−1 (see bySeries), far from ILL_CONDITIONED. Only
    // with r > a + b, where they alternate and grow, is the cancellation measured.
    boolean mayCancel = a + b - 1 - r < -1;
    double[] hyper = Hypergeometric.f21(a + b - 1 - r, a - 1, a + b + x - 1, z, logScale);
    double[] purchases = new double[t.length];
    for (int k = 0; k < t.length; k++) {
      double notYet = notYet((a - 1) * Math.log1p(-z[k]) + logScale[k], hyper[k]);
      if (mayCancel && z[k] > 0 && !(amplification(a, b, r, x, z[k], hyper[k], logScale[k], notYet) <= ILL_CONDITIONED)) {
        purchases[k] = ifAliveUntransformed(p, t[k], z[k], x, bigT);
      } else {
        purchases[k] = (a + b + x - 1) / (a - 1) * notYet;
      }
    }
    return purchases;
  }

  private static double[] ifAliveByQuadrature(double[] p, double[] t, double x, double bigT) {
    double[] purchases = new double[t.length];
    for (int k = 0; k < t.length; k++) {
      purchases[k] = ifAliveByQuadrature(p, t[k], x, bigT);
    }
    return purchases;
  }

  /**
   * How many times the transformed series' rounding reaches the bracket: Σ |term| ε (1 − z)^(a−1)
   * against |bracket|, and (1 − z)^(a−1) |Σ term| is |1 − bracket|.
   */
  private static double amplification(
      double a, double b, double r, double x, double z, double hyper, double logScale, double notYet) {
    double condition =
        Math.exp(
            Hypergeometric.logAbsoluteTermSum(a + b - 1 - r, a - 1, a + b + x - 1, z)
                - logScale - Math.log(Math.abs(hyper)));
    return condition * Math.abs(1 - notYet) / Math.abs(notYet);
  }

  /**
   * Equation 10's bracket by its untransformed series, 2F1(r + x, b + x; a + b + x − 1; z), all
   * of whose terms are positive where a + b + x − 1 &gt; 0; by the integral where that is not so or
   * the series would be long.
   */
  private static double ifAliveUntransformed(double[] p, double t, double z, double x, double bigT) {
    double r = p[0];
    double a = p[2];
    double b = p[3];
    if (!(a + b + x - 1 > 0) || seriesTerms(r + x - a, z) > SERIES_TERMS) {
      return ifAliveByQuadrature(p, t, x, bigT);
    }
    double[] scale = new double[1];
    double positive = Hypergeometric.f21(r + x, b + x, a + b + x - 1, new double[] {z}, scale)[0];
    return (a + b + x - 1) / (a - 1) * notYet((r + x) * Math.log1p(-z) + scale[0], positive);
  }

  /** 1 − e^logPower · hyper, the bracket of equation 10. */
  private static double notYet(double logPower, double hyper) {
    return hyper > 0 ? -Math.expm1(logPower + Math.log(hyper)) : 1 - Math.exp(logPower) * hyper;
  }

  /**
   * Whether the closed form serves: a − 1 and a + b + x − 1 away from 0, where it is 0 / 0 or its
   * series undefined, and z far enough from 1 for the series to end. Its terms go like n^(a − r −
   * x − 2) z^n; near z = 1 (α at its lower bound and T = 0, say) they would need millions.
   */
  private static boolean bySeries(double r, double a, double b, double x, double zMax) {
    return Math.abs(a - 1) > NEAR_POLE
        && Math.abs(a + b + x - 1) > NEAR_POLE
        && seriesTerms(a - r - x - 2, zMax) <= SERIES_TERMS;
  }

  /** About how many terms (at most) a 2F1 series at z needs, its terms going like n^growth z^n. */
  private static double seriesTerms(double growth, double z) {
    // 1 − z for −ln z, which it never exceeds: a bound, and no logarithm per call
    return growth > 0 ? (growth + 10 * Math.sqrt(growth) + 40) / (1 - z) : 40 / (1 - z);
  }

  /**
   * E[Y(t) | x, T] for a customer still alive, from the model itself rather than the closed form:
   * alive at T, the customer's p ~ Beta(a, b + x) and λ ~ Gamma(r + x, α + T); given both, the
   * purchases in the next t number (1 − e^(−λ p t)) / p on average (purchases at rate λ until a
   * dropout, which comes at rate λ p), and averaged over λ that is g(p) = (1 − (1 + p s)^−(r+x)) /
   * p with s = t / (α + T). What is left is the mean of g over Beta(a, b + x): an integral over
   * (0, 1/2] in ln p and over [1/2, 1) in ln(1 − p), each with its end at 0 in closed form (there
   * the integrand is p^(a−1) g(0), or (1 − p)^(b+x−1) g(1), to within {@value #END_PIECE}), by
   * Gauss-Legendre to relative accuracy 1e-11 in between. It holds for every a and b, a = 1
   * included, and costs a few hundred evaluations; the callers use it where the closed form fails.
   */
  static double ifAliveByQuadrature(double[] p, double t, double x, double bigT) {
    if (!(t > 0)) {
      return 0;
    }
    double k = p[0] + x;
    double a = p[2];
    double beta = p[3] + x;
    double s = t / (p[1] + bigT);
    DoubleUnaryOperator logG = q -> Math.log(-Math.expm1(-k * Math.log1p(q * s))) - Math.log(q);
    double logGAtZero = Math.log(k * s);
    double nearZero = END_PIECE / Math.max(1, Math.max(s * (k + 1), Math.abs(beta - 1)));
    double nearOne = END_PIECE / Math.max(1, Math.max(k + 1, Math.abs(a - 1)));
    double[] logPieces = {
      logGAtZero + a * Math.log(nearZero) - Math.log(a),
      logG.applyAsDouble(1) + beta * Math.log(nearOne) - Math.log(beta),
    };
    DoubleUnaryOperator low =
        y -> a * y + (beta - 1) * Math.log1p(-Math.exp(y)) + logG.applyAsDouble(Math.exp(y));
    DoubleUnaryOperator high =
        y -> beta * y + (a - 1) * Math.log1p(-Math.exp(y)) + logG.applyAsDouble(-Math.expm1(y));
    double half = -Math.log(2);
    double top = Math.max(Math.max(logPieces[0], logPieces[1]),
        Math.max(peak(low, Math.log(nearZero), half), peak(high, Math.log(nearOne), half)));
    double sum = Math.exp(logPieces[0] - top) + Math.exp(logPieces[1] - top)
        + integrate(low, top, Math.log(nearZero), half) + integrate(high, top, Math.log(nearOne), half);
    return Math.exp(top + Math.log(sum) - Beta.logBeta(a, beta));
  }

  /** The greatest of f on a grid of 65 points over [from, to]: a scale for the integrand. */
  private static double peak(DoubleUnaryOperator f, double from, double to) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= 64; i++) {
      max = Math.max(max, f.applyAsDouble(from + (to - from) * i / 64));
    }
    return max;
  }

  /** ∫ exp(f(y) − top) dy over [from, to]. */
  private static double integrate(DoubleUnaryOperator f, double top, double from, double to) {
    return from >= to
        ? 0
        : new IterativeLegendreGaussIntegrator(16, 1e-11, 1e-300)
            .integrate(100_000, y -> Math.exp(f.applyAsDouble(y) - top), from, to);
  }
}
