package dev.lifecycle.core.clv;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.util.List;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import java.util.stream.IntStream;
import org.apache.commons.math3.special.Gamma;

/**
 * The Pareto/NBD model of repeat purchasing: Schmittlein, Morrison &amp; Colombo (1987), "Counting
 * your customers: who are they and what will they do next?", Management Science 33(1), in the
 * formulation of Fader &amp; Hardie's note "A note on deriving the Pareto/NBD model and related
 * expressions" (2005). While alive a customer buys at Poisson rate λ ~ Gamma(r, α) and dies at an
 * exponential time with rate μ ~ Gamma(s, β).
 *
 * <p>The likelihood is L = Γ(r + x) α^r β^s / Γ(r) · [(α + T)^−(r+x) (β + T)^−s + s J], where J =
 * ∫ from t_x to T of (α + τ)^−(r+x) (β + τ)^−(s+1) dτ covers the customer dying unseen in (t_x, T].
 * The note writes s J as a difference of two Gauss hypergeometric terms, each 2F1(A, B; A + 1;
 * z) / (max(α, β) + t)^A with z = |α − β| / (max(α, β) + t); those are summed in log space by
 * {@link Hypergeometric#logF21AtAPlusOne} while z &lt;= {@value #SERIES_UP_TO}. Closer to 1 the
 * series needs too many terms, and J is integrated directly instead, in the variable ln(min(α, β)
 * + τ), where the integrand is smooth and unimodal.
 */
public final class ParetoNbd {
  /** r, alpha, s, beta; alpha and beta in the time unit of the summary. */
  public static final List<Parameter> PARAMETERS =
      List.of(
          Parameter.positive("r"),
          Parameter.positive("alpha"),
          Parameter.positive("s"),
          Parameter.positive("beta"));

  private static final double[][] STARTS = {{1, 1, 1, 1}, {0.5, 5, 0.5, 5}, {0.25, 10, 1, 20}};
  static final double SERIES_UP_TO = 0.9;
  private static final int COARSEN_ABOVE = 20_000;
  private static final int GRID_STEPS = 25;
  private static final int CHUNK = 4_096;
  /** The integrand is cut where it falls this many e-folds below its peak. */
  private static final double NEGLIGIBLE = 50;

  private ParetoNbd() {}

  /** One customer's log-likelihood. */
  public static double logLikelihood(double[] p, double x, double tx, double bigT) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    double logPrefix =
        Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    double survives = survivesLog(p, x, bigT);
    double diesUnseen = Math.log(s) + logDeathIntegral(p, x, tx, bigT);
    return logPrefix + logSumExp(survives, diesUnseen);
  }

  /**
   * The weighted sum over the patterns, in fixed chunks on the common pool whose sums are added in
   * order, so the result does not depend on the thread count.
   */
  public static double logLikelihood(double[] p, RepeatPatterns data) {
    int chunks = (data.size() + CHUNK - 1) / CHUNK;
    double[] sums = new double[chunks];
    IntStream.range(0, chunks)
        .parallel()
        .forEach(
            c -> {
              double ll = 0;
              for (int i = c * CHUNK, end = Math.min(data.size(), i + CHUNK); i < end; i++) {
                ll += data.weight(i) * logLikelihood(p, data.x(i), data.tx(i), data.bigT(i));
              }
              sums[c] = ll;
            });
    double ll = 0;
    for (double sum : sums) {
      ll += sum;
    }
    return ll;
  }

  /**
   * The maximum-likelihood fit, bounded, with standard errors. Above {@value #COARSEN_ABOVE}
   * patterns the multi-start search runs on a coarsened copy (t_x and T on a grid of {@value
   * #GRID_STEPS} steps, as BG/NBD's), and a short search from its optimum finishes on the data
   * itself ({@link BoundedMle#polish}).
   */
  public static BoundedMle.Estimate fit(RepeatPatterns data) {
    if (data.size() <= COARSEN_ABOVE) {
      return BoundedMle.maximize(PARAMETERS, STARTS, p -> logLikelihood(p, data));
    }
    RepeatPatterns coarse = data.coarsened(GRID_STEPS);
    BoundedMle.Estimate rough = BoundedMle.maximize(PARAMETERS, STARTS, p -> logLikelihood(p, coarse));
    return rough.found() ? BoundedMle.polish(PARAMETERS, rough.parameters(), p -> logLikelihood(p, data)) : rough;
  }

  /** P(alive | x, t_x, T) = 1 / (1 + s J (α + T)^(r+x) (β + T)^s). */
  public static double probabilityAlive(double[] p, double x, double tx, double bigT) {
    double logOdds = Math.log(p[2]) + logDeathIntegral(p, x, tx, bigT) - survivesLog(p, x, bigT);
    return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
  }

  /** E[X(t)] = r β / (α (s − 1)) · [1 − (β / (β + t))^(s−1)] for a new customer. */
  public static double expectedPurchases(double[] p, double t) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    return r * beta / alpha * growth(s - 1, Math.log(beta / (beta + t)));
  }

  /**
   * E[Y(t) | x, t_x, T] = (r + x) (β + T) / ((α + T) (s − 1)) · [1 − ((β + T) / (β + T +
   * t))^(s−1)] · P(alive).
   */
  public static double conditionalExpectedPurchases(
      double[] p, double t, double x, double tx, double bigT) {
    return expectedPurchasesIfAlive(p, t, x, bigT) * probabilityAlive(p, x, tx, bigT);
  }

  /** E[Y(t) | x, t_x, T] for a customer still alive: the formula above without P(alive). */
  public static double expectedPurchasesIfAlive(double[] p, double t, double x, double bigT) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    return (r + x) * (beta + bigT) / (alpha + bigT)
        * growth(s - 1, Math.log((beta + bigT) / (beta + bigT + t)));
  }

  /** The same at each of the periods {@code t}. */
  public static double[] expectedPurchasesIfAlive(double[] p, double[] t, double x, double bigT) {
    double[] purchases = new double[t.length];
    for (int k = 0; k < t.length; k++) {
      purchases[k] = expectedPurchasesIfAlive(p, t[k], x, bigT);
    }
    return purchases;
  }

  /** (1 − q^k) / k for ln q &lt;= 0, tending to −ln q as k tends to 0. */
  private static double growth(double k, double logQ) {
    return Math.abs(k) < 1e-12 ? -logQ : -Math.expm1(k * logQ) / k;
  }

  /** ln[(α + T)^−(r+x) (β + T)^−s]: alive at T. */
  private static double survivesLog(double[] p, double x, double bigT) {
    return -(p[0] + x) * Math.log(p[1] + bigT) - p[2] * Math.log(p[3] + bigT);
  }

  /** ln J, −∞ when t_x = T. */
  static double logDeathIntegral(double[] p, double x, double tx, double bigT) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    double max = Math.max(alpha, beta);
    double gap = Math.abs(alpha - beta);
    if (gap / (max + tx) <= SERIES_UP_TO) {
      double a = r + s + x;
      double b = alpha >= beta ? s + 1 : r + x;
      double fromTx = Hypergeometric.logF21AtAPlusOne(a, b, gap / (max + tx)) - a * Math.log(max + tx);
      double fromT = Hypergeometric.logF21AtAPlusOne(a, b, gap / (max + bigT)) - a * Math.log(max + bigT);
      return fromT >= fromTx ? Double.NEGATIVE_INFINITY : fromTx + Math.log(-Math.expm1(fromT - fromTx)) - Math.log(a);
    }
    return logDeathIntegralByQuadrature(p, x, tx, bigT);
  }

  static double logDeathIntegralByQuadrature(double[] p, double x, double tx, double bigT) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    double gap = Math.abs(alpha - beta);
    return alpha >= beta
        ? logIntegral(s, r + x, beta, gap, tx, bigT)
        : logIntegral(r + x - 1, s + 1, alpha, gap, tx, bigT);
  }

  /**
   * ln ∫ exp(φ(y)) dy over y from ln(m + t_x) to ln(m + T), with φ(y) = −k1 y − k2 ln(c + e^y): J
   * after substituting y = ln(m + τ), m = min(α, β) and c = |α − β|. φ is concave, so the
   * integrand has one peak; the range is cut to where it is within {@value #NEGLIGIBLE} e-folds of
   * it, and integrated by Gauss-Legendre, refined until relative accuracy 1e-12.
   */
  private static double logIntegral(double k1, double k2, double m, double c, double tx, double bigT) {
    double y0 = Math.log(m + tx);
    double y1 = Math.log(m + bigT);
    if (!(y1 > y0)) {
      return Double.NEGATIVE_INFINITY;
    }
    PhiFunction phi = y -> -k1 * y - k2 * Math.log(c + Math.exp(y));
    double peak = y0;
    if (k1 < 0 && k1 + k2 > 0) {
      peak = Math.min(y1, Math.max(y0, Math.log(-k1 * c / (k1 + k2))));
    } else if (k1 + k2 <= 0) {
      peak = y1;
    }
    double top = phi.at(peak);
    double from = edge(phi, top, peak, y0);
    double to = edge(phi, top, peak, y1);
    if (!(to > from)) {
      return Double.NEGATIVE_INFINITY;
    }
    double integral =
        new IterativeLegendreGaussIntegrator(16, 1e-12, 1e-300)
            .integrate(10_000, y -> Math.exp(phi.at(y) - top), from, to);
    return top + Math.log(integral);
  }

  /** Where, between the peak and {@code end}, φ falls to NEGLIGIBLE below {@code top}. */
  private static double edge(PhiFunction phi, double top, double peak, double end) {
    if (phi.at(end) >= top - NEGLIGIBLE) {
      return end;
    }
    double inside = peak;
    double outside = end;
    for (int i = 0; i < 60; i++) {
      double middle = (inside + outside) / 2;
      if (phi.at(middle) >= top - NEGLIGIBLE) {
        inside = middle;
      } else {
        outside = middle;
      }
    }
    return outside;
  }

  private interface PhiFunction {
    double at(double y);
  }

  private static double logSumExp(double u, double v) {
    if (v == Double.NEGATIVE_INFINITY) {
      return u;
    }
    double max = Math.max(u, v);
    return max + Math.log(Math.exp(u - max) + Math.exp(v - max));
  }
}
