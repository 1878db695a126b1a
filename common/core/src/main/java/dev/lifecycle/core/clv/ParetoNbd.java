package dev.lifecycle.core.clv;

import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
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
   * order, so the result does not depend on the thread count. Each pattern's term is the one
   * {@link #logLikelihood(double[], double, double, double)} gives, bit for bit.
   */
  public static double logLikelihood(double[] p, RepeatPatterns data) {
    return new Tabulated(data).applyAsDouble(p);
  }

  /**
   * The maximum-likelihood fit, bounded, with standard errors. Above {@value
   * PatternLikelihood#SEARCH_ON_SAMPLE_ABOVE} patterns the multi-start search runs on a random
   * sample of the customers, as BG/NBD's does, and a short search from its optimum finishes on
   * the data itself ({@link BoundedMle#polish}).
   */
  public static BoundedMle.Estimate fit(RepeatPatterns data) {
    Tabulated likelihood = new Tabulated(data);
    if (data.size() <= PatternLikelihood.SEARCH_ON_SAMPLE_ABOVE) {
      return BoundedMle.maximize(PARAMETERS, STARTS, likelihood);
    }
    RepeatPatterns sample = data.sample(PatternLikelihood.SEARCH_SAMPLE, PatternLikelihood.SEARCH_SEED);
    BoundedMle.Estimate rough = BoundedMle.maximize(PARAMETERS, STARTS, new Tabulated(sample));
    return rough.found() ? BoundedMle.polish(PARAMETERS, rough.parameters(), likelihood) : rough;
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
    if (!bySeries(p, tx)) {
      return logDeathIntegralByQuadrature(p, x, tx, bigT);
    }
    return logDeathIntegral(seriesEnd(p, x, tx), seriesEnd(p, x, bigT), Math.log(p[0] + p[2] + x));
  }

  /** Whether J from t is summed by its series: z = |α − β| / (max(α, β) + t) &lt;= {@value #SERIES_UP_TO}. */
  private static boolean bySeries(double[] p, double t) {
    return Math.abs(p[1] - p[3]) / (Math.max(p[1], p[3]) + t) <= SERIES_UP_TO;
  }

  /**
   * One end of J by the series: ln[2F1(a, b; a + 1; z) / (max(α, β) + t)^a] with a = r + s + x,
   * b = s + 1 when α &gt;= β, else r + x.
   */
  private static double seriesEnd(double[] p, double x, double t) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    double max = Math.max(alpha, beta);
    double a = r + s + x;
    double b = alpha >= beta ? s + 1 : r + x;
    return Hypergeometric.logF21AtAPlusOne(a, b, Math.abs(alpha - beta) / (max + t)) - a * Math.log(max + t);
  }

  /** ln J from the series at both ends: ln[(end at t_x − end at T) / a]. */
  private static double logDeathIntegral(double fromTx, double fromT, double logA) {
    return fromT >= fromTx ? Double.NEGATIVE_INFINITY : fromTx + Math.log(-Math.expm1(fromT - fromTx)) - logA;
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
    // φ(y) − φ(peak) without subtracting the two: where φ is tens of thousands, their difference
    // carried rounding of 1e-11 relative, above the integrator's target, and it never converged
    double center = peak;
    double share = Math.exp(center) / (c + Math.exp(center));
    DoubleUnaryOperator belowTop =
        y -> -k1 * (y - center) - k2 * Math.log1p(share * Math.expm1(y - center));
    double integral =
        new IterativeLegendreGaussIntegrator(16, 1e-12, 1e-300)
            .integrate(10_000, y -> Math.exp(belowTop.applyAsDouble(y)), from, to);
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

  /**
   * The log-likelihood of weighted patterns, arranged for speed: what depends on x alone (the
   * prefix), on (x, T) (alive at T, and J's series at T) or on (x, t_x) (J's series at t_x) is
   * computed once per distinct value or pair, so the series, the costly part, runs for each
   * distinct pair rather than twice per pattern. Patterns whose J is outside the series' range are
   * integrated one by one, as {@link #logDeathIntegral(double[], double, double, double)} does.
   */
  private static final class Tabulated implements ToDoubleFunction<double[]> {
    private final RepeatPatterns data;
    private final double[] xs;
    private final int[] xAt;
    /** The distinct (x, T) pairs: the index of x in xs, and T. */
    private final int[] endX;
    private final double[] endT;
    private final int[] endAt;
    /** The distinct (x, t_x) pairs. */
    private final int[] lastX;
    private final double[] lastTx;
    private final int[] lastAt;

    Tabulated(RepeatPatterns data) {
      this.data = data;
      int n = data.size();
      xs = PatternLikelihood.distinct(data::x, n);
      xAt = new int[n];
      for (int i = 0; i < n; i++) {
        xAt[i] = Arrays.binarySearch(xs, data.x(i));
      }
      double[] bigTs = PatternLikelihood.distinct(data::bigT, n);
      double[] txs = PatternLikelihood.distinct(data::tx, n);
      long[] ends = pairs(bigTs, data::bigT);
      long[] lasts = pairs(txs, data::tx);
      endAt = positions(ends, bigTs, data::bigT);
      lastAt = positions(lasts, txs, data::tx);
      endX = new int[ends.length];
      endT = new double[ends.length];
      for (int j = 0; j < ends.length; j++) {
        endX[j] = (int) (ends[j] / bigTs.length);
        endT[j] = bigTs[(int) (ends[j] % bigTs.length)];
      }
      lastX = new int[lasts.length];
      lastTx = new double[lasts.length];
      for (int j = 0; j < lasts.length; j++) {
        lastX[j] = (int) (lasts[j] / txs.length);
        lastTx[j] = txs[(int) (lasts[j] % txs.length)];
      }
    }

    /** Each pattern's (x, t) as x's index times the count of distinct t, plus t's index. */
    private long key(int i, double[] times, IntToDoubleFunction time) {
      return (long) xAt[i] * times.length + Arrays.binarySearch(times, time.applyAsDouble(i));
    }

    /** The distinct keys of (x, t), sorted. */
    private long[] pairs(double[] times, IntToDoubleFunction time) {
      long[] keys = new long[data.size()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = key(i, times, time);
      }
      Arrays.sort(keys);
      int distinct = 0;
      for (int i = 0; i < keys.length; i++) {
        if (distinct == 0 || keys[i] != keys[distinct - 1]) {
          keys[distinct++] = keys[i];
        }
      }
      return Arrays.copyOf(keys, distinct);
    }

    /** Each pattern's position among the distinct pairs. */
    private int[] positions(long[] pairs, double[] times, IntToDoubleFunction time) {
      return IntStream.range(0, data.size()).map(i -> Arrays.binarySearch(pairs, key(i, times, time))).toArray();
    }

    @Override
    public double applyAsDouble(double[] p) {
      double r = p[0];
      double alpha = p[1];
      double s = p[2];
      double beta = p[3];
      double[] prefix = new double[xs.length];
      double[] logA = new double[xs.length];
      for (int k = 0; k < xs.length; k++) {
        prefix[k] = Gamma.logGamma(r + xs[k]) - Gamma.logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
        logA[k] = Math.log(r + s + xs[k]);
      }
      double[] survives = new double[endT.length];
      double[] fromT = new double[endT.length];
      inChunks(endT.length, j -> {
        double x = xs[endX[j]];
        survives[j] = survivesLog(p, x, endT[j]);
        fromT[j] = bySeries(p, endT[j]) ? seriesEnd(p, x, endT[j]) : Double.NaN;
      });
      double[] fromTx = new double[lastTx.length];
      inChunks(lastTx.length, j -> fromTx[j] = bySeries(p, lastTx[j]) ? seriesEnd(p, xs[lastX[j]], lastTx[j]) : Double.NaN);
      double logS = Math.log(s);
      int chunks = (data.size() + CHUNK - 1) / CHUNK;
      double[] sums = new double[chunks];
      IntStream.range(0, chunks)
          .parallel()
          .forEach(
              c -> {
                double ll = 0;
                for (int i = c * CHUNK, end = Math.min(data.size(), i + CHUNK); i < end; i++) {
                  double tx = fromTx[lastAt[i]];
                  double logJ =
                      Double.isNaN(tx)
                          ? logDeathIntegralByQuadrature(p, data.x(i), data.tx(i), data.bigT(i))
                          : logDeathIntegral(tx, fromT[endAt[i]], logA[xAt[i]]);
                  ll += data.weight(i) * (prefix[xAt[i]] + logSumExp(survives[endAt[i]], logS + logJ));
                }
                sums[c] = ll;
              });
      double ll = 0;
      for (double sum : sums) {
        ll += sum;
      }
      return ll;
    }

    /** Runs {@code work} for 0 .. n − 1, in chunks on the common pool; each index writes its own slot. */
    private static void inChunks(int n, IntConsumer work) {
      IntStream.range(0, (n + CHUNK - 1) / CHUNK)
          .parallel()
          .forEach(c -> {
            for (int j = c * CHUNK, end = Math.min(n, j + CHUNK); j < end; j++) {
              work.accept(j);
            }
          });
    }
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
