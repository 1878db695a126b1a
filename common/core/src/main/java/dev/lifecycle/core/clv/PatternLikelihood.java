package dev.lifecycle.core.clv;

import dev.lifecycle.core.mle.BoundedMle;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * The BG/NBD log-likelihood of weighted patterns and its gradient, or MBG/NBD's (Batislam,
 * Denizel &amp; Filiztekin 2007), where a customer may also drop out at the first purchase: the
 * beta functions' b + x becomes b + x + 1 and the "dropped out" term applies at x = 0 too. It is
 * arranged for speed: the terms
 * that depend only on x (log-gamma, log-beta and digamma functions) are computed once per distinct
 * x, and the logarithms of α + T and α + t_x once per distinct T and t_x, so each pattern costs one
 * exp and one log. Large pattern sets are summed in fixed chunks on the common pool and the chunk
 * sums are added in order, so the result does not depend on the thread count.
 *
 * <p>With π the posterior weight of "still alive" in a pattern's likelihood, the gradient is
 * ∂/∂r = ψ(r + x) − ψ(r) + ln α − π ln(α + T) − (1 − π) ln(α + t_x); ∂/∂α = r / α − (r + x)
 * [π / (α + T) + (1 − π) / (α + t_x)]; and for a and b the π-weighted derivatives of the two
 * log-beta ratios.
 */
final class PatternLikelihood implements BoundedMle.Differentiable {
  private static final int CHUNK = 32_768;

  private final double[] weight;
  private final int[] xAt;
  private final int[] bigTAt;
  private final int[] txAt;
  private final double[] xs;
  private final double[] bigTs;
  private final double[] txs;
  /** 1 for MBG/NBD, where the first purchase is also a chance to drop out; 0 for BG/NBD. */
  private final int atStart;

  private static final double[][] STARTS = {{1, 1, 1, 1}, {0.25, 4, 0.8, 2.5}, {0.5, 10, 0.5, 5}};
  /** Above this many patterns the multi-start search runs on a sample of the customers. */
  static final int SEARCH_ON_SAMPLE_ABOVE = 20_000;
  /** The customers in that sample, and its seed. */
  static final int SEARCH_SAMPLE = 10_000;
  static final long SEARCH_SEED = 1;

  PatternLikelihood(RepeatPatterns data) {
    this(data, false);
  }

  /**
   * The bounded maximum-likelihood fit of BG/NBD, or MBG/NBD with {@code dropAtStart}, with
   * standard errors. Above {@value #SEARCH_ON_SAMPLE_ABOVE} patterns the multi-start search runs
   * on a random sample of {@value #SEARCH_SAMPLE} customers ({@link RepeatPatterns#sample}), and
   * Newton's method with the analytic gradient finishes on the data itself, in a few dozen
   * evaluations instead of hundreds.
   */
  static BoundedMle.Estimate fit(RepeatPatterns data, boolean dropAtStart) {
    PatternLikelihood likelihood = new PatternLikelihood(data, dropAtStart);
    BoundedMle.Estimate rough =
        data.size() > SEARCH_ON_SAMPLE_ABOVE
            ? BoundedMle.maximize(
                BgNbd.PARAMETERS, STARTS, new PatternLikelihood(data.sample(SEARCH_SAMPLE, SEARCH_SEED), dropAtStart))
            : BoundedMle.maximize(BgNbd.PARAMETERS, STARTS, likelihood);
    return rough.found() ? BoundedMle.refine(BgNbd.PARAMETERS, rough.parameters(), likelihood) : rough;
  }

  PatternLikelihood(RepeatPatterns data, boolean dropAtStart) {
    atStart = dropAtStart ? 1 : 0;
    int n = data.size();
    weight = new double[n];
    xAt = new int[n];
    bigTAt = new int[n];
    txAt = new int[n];
    xs = distinct(data::x, n);
    bigTs = distinct(data::bigT, n);
    txs = distinct(data::tx, n);
    for (int i = 0; i < n; i++) {
      weight[i] = data.weight(i);
      xAt[i] = Arrays.binarySearch(xs, data.x(i));
      bigTAt[i] = Arrays.binarySearch(bigTs, data.bigT(i));
      txAt[i] = Arrays.binarySearch(txs, data.tx(i));
    }
  }

  @Override
  public double applyAsDouble(double[] p) {
    return evaluate(p, null);
  }

  @Override
  public double valueAndGradient(double[] p, double[] gradient) {
    return evaluate(p, gradient);
  }

  private double evaluate(double[] p, double[] gradient) {
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    double logB = Beta.logBeta(a, b);
    double logGammaR = Gamma.logGamma(r);
    int m = xs.length;
    double[] logA = new double[m];
    double[] stays = new double[m];
    double[] dropped = new double[m];
    for (int k = 0; k < m; k++) {
      double x = xs[k];
      logA[k] = Gamma.logGamma(r + x) - logGammaR + r * Math.log(alpha);
      stays[k] = Beta.logBeta(a, b + x + atStart) - logB;
      dropped[k] = canDrop(x) ? Beta.logBeta(a + 1, b + x - 1 + atStart) - logB : Double.NaN;
    }
    double[] logAlphaT = new double[bigTs.length];
    double[] inverseAlphaT = new double[bigTs.length];
    for (int i = 0; i < bigTs.length; i++) {
      logAlphaT[i] = Math.log(alpha + bigTs[i]);
      inverseAlphaT[i] = 1 / (alpha + bigTs[i]);
    }
    double[] logAlphaTx = new double[txs.length];
    double[] inverseAlphaTx = new double[txs.length];
    for (int i = 0; i < txs.length; i++) {
      logAlphaTx[i] = Math.log(alpha + txs[i]);
      inverseAlphaTx[i] = 1 / (alpha + txs[i]);
    }
    boolean wantGradient = gradient != null;
    int chunks = (weight.length + CHUNK - 1) / CHUNK;
    Partial[] partials = new Partial[chunks];
    IntStream.range(0, chunks)
        .parallel()
        .forEach(
            c -> {
              Partial s = new Partial(m);
              for (int i = c * CHUNK, end = Math.min(weight.length, i + CHUNK); i < end; i++) {
                int k = xAt[i];
                double w = weight[i];
                double power = r + xs[k];
                double u = stays[k] - power * logAlphaT[bigTAt[i]];
                double ll;
                double alive;
                if (canDrop(xs[k])) {
                  double v = dropped[k] - power * logAlphaTx[txAt[i]];
                  // log(1 + e) with e <= 1 loses nothing that matters next to u or v here
                  if (u > v) {
                    double e = Math.exp(v - u);
                    ll = u + Math.log(1 + e);
                    alive = 1 / (1 + e);
                  } else {
                    double e = Math.exp(u - v);
                    ll = v + Math.log(1 + e);
                    alive = e / (1 + e);
                  }
                } else {
                  ll = u;
                  alive = 1;
                }
                s.ll += w * (logA[k] + ll);
                if (wantGradient) {
                  s.weight[k] += w;
                  s.alive[k] += w * alive;
                  s.logs += w * (alive * logAlphaT[bigTAt[i]] + (1 - alive) * logAlphaTx[txAt[i]]);
                  s.inverses +=
                      w * power * (alive * inverseAlphaT[bigTAt[i]] + (1 - alive) * inverseAlphaTx[txAt[i]]);
                }
              }
              partials[c] = s;
            });
    Partial total = new Partial(m);
    for (Partial s : partials) {
      total.add(s);
    }
    if (wantGradient) {
      gradient(p, total, gradient);
    }
    return total.ll;
  }

  private void gradient(double[] p, Partial s, double[] gradient) {
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    double psiR = Gamma.digamma(r);
    double psiA = Gamma.digamma(a);
    double psiA1 = Gamma.digamma(a + 1);
    double psiB = Gamma.digamma(b);
    double psiAB = Gamma.digamma(a + b);
    double dr = 0;
    double dAlpha = 0;
    double da = 0;
    double db = 0;
    for (int k = 0; k < xs.length; k++) {
      double x = xs[k];
      double w = s.weight[k];
      if (w == 0) {
        continue;
      }
      double alive = s.alive[k];
      double psiABX = Gamma.digamma(a + b + x + atStart);
      dr += w * (Gamma.digamma(r + x) - psiR + Math.log(alpha));
      dAlpha += w * r / alpha;
      // d/da and d/db of ln B(a, b + x) − ln B(a, b) (alive) and ln B(a + 1, b + x − 1) − ln B(a, b)
      da += alive * (psiAB - psiABX);
      db += alive * (Gamma.digamma(b + x + atStart) - psiABX - psiB + psiAB);
      if (canDrop(x)) {
        da += (w - alive) * (psiA1 - psiABX - psiA + psiAB);
        db += (w - alive) * (Gamma.digamma(b + x - 1 + atStart) - psiABX - psiB + psiAB);
      }
    }
    gradient[0] = dr - s.logs;
    gradient[1] = dAlpha - s.inverses;
    gradient[2] = da;
    gradient[3] = db;
  }

  /** Whether a customer with x repeat purchases may have dropped out unseen. */
  private boolean canDrop(double x) {
    return x > 0 || atStart == 1;
  }

  /** One chunk's sums: the log-likelihood, and what the gradient needs. */
  private static final class Partial {
    double ll;
    double logs;
    double inverses;
    final double[] weight;
    final double[] alive;

    Partial(int distinctX) {
      weight = new double[distinctX];
      alive = new double[distinctX];
    }

    void add(Partial other) {
      ll += other.ll;
      logs += other.logs;
      inverses += other.inverses;
      for (int k = 0; k < weight.length; k++) {
        weight[k] += other.weight[k];
        alive[k] += other.alive[k];
      }
    }
  }

  /** The distinct values of one field, sorted. */
  static double[] distinct(IntToDoubleFunction field, int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = field.applyAsDouble(i);
    }
    Arrays.sort(values);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || values[i] != values[distinct - 1]) {
        values[distinct++] = values[i];
      }
    }
    return Arrays.copyOf(values, distinct);
  }
}
