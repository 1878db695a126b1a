package dev.lifecycle.core.clv;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.mle.ParameterDraws;
import dev.lifecycle.core.mle.Parameter;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Scores one customer with the fitted models: P(alive), the expected purchases over the CLV
 * horizon, the expected value per purchase (Gamma-Gamma), and CLV, the discounted expected
 * margin. The horizon runs in steps of the configured time unit; the purchases expected in step k
 * are E[Y(t_k)] − E[Y(t_(k−1))], discounted by (1 + d)^−(k × step in years). All times convert
 * through days, so the model's unit and the horizon's unit are both explicit.
 */
public final class CustomerValue implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double DAYS_PER_YEAR = 365.25;
  /** The search-scale step of the expected purchases' gradient in each purchase parameter. */
  private static final double GRADIENT_STEP = 1e-4;

  private final LifecycleConfig.PurchaseModel model;
  /** Resolved from {@link #model} where the scorer runs: method references do not serialize. */
  private transient PurchaseProcess process;
  /**
   * The purchase parameters: the estimate, then, with intervals, the estimate with each parameter
   * moved by {@value #GRADIENT_STEP} on the search scale.
   */
  private final double[][] purchaseSets;
  /**
   * Each thread's if-alive expectations by (x, T), for every parameter set of the scorer that used
   * the thread last. Static, so that the copies of one scorer that Spark deserializes for each
   * task share it: they have the same parameters, which {@link #memoKey} names.
   */
  private static final ThreadLocal<PairMemo> MEMOS = new ThreadLocal<>();
  /**
   * The thread that last took its if-alive memo through this scorer, and that memo: a customer's
   * score takes it once per parameter set, and in Spark's task threads, which hold many
   * thread-locals, the lookups took 2.5% of a cold 1M-customer run's task samples (JFR). A memo is
   * only ever used by its own thread: another thread looks its own up.
   */
  private transient volatile ThreadMemo ifAliveMemo;
  /** What the if-alive expectations depend on, as text; made on first use. */
  private transient String memoKey;
  /**
   * Each thread's whole scores of one-time buyers by (t_x, T), and their CLV under each draw, for
   * the scorer that used the thread last: with a spend model a customer without repeat purchases
   * is expected to spend the population's mean, so their scores depend on t_x and T alone, and a
   * quarter of the 1M-customer sample's customers share 915 values of T.
   */
  private static final ThreadLocal<PairMemo> ONE_TIME_SCORES = new ThreadLocal<>();
  private static final ThreadLocal<PairMemo> ONE_TIME_DRAWS = new ThreadLocal<>();
  /** At most this many (t_x, T) pairs of one-time buyers are kept: ages of over 11 years in days. */
  private static final int ONE_TIME_PAIRS = 1 << 12;
  /** Whether it is computed (1, NaN if not), then the eight numbers of a {@link Score}. */
  private static final int SCORE_WIDTH = 9;
  /** What one-time buyers' scores depend on, as text: the if-alive key, the spend model, its draws. */
  private transient String oneTimeKey;
  private final double[] spend;
  private final double margin;
  /** The end of each step of the horizon, in model units. */
  private final double[] stepEnds;
  private final double stepDiscount;
  /** Each draw's search-scale offset of the purchase parameters, and its spend parameters. */
  private final double[][] purchaseOffsets;
  private final double[][] spendValues;
  /** Why there are no intervals, or null when there are. */
  private final String noIntervals;

  /**
   * One customer's scores. Expected spend is Gamma-Gamma's, or the customer's own mean spend when
   * no usable spend model was fitted; it and CLV are NaN when neither is known. The 10th and 90th
   * percentiles of expected purchases and CLV over the parameter draws are NaN without intervals.
   */
  public record Score(
      double pAlive,
      double expectedPurchases,
      double expectedSpend,
      double clv,
      Interval purchases,
      Interval clvInterval) {}

  /** The 10th and 90th percentiles of a quantity over the parameter draws. */
  public record Interval(double p10, double p90) {
    public static final Interval NONE = new Interval(Double.NaN, Double.NaN);

    /** The buckets the draws are counted into between their least and greatest value. */
    private static final int BUCKETS = 64;

    /**
     * The percentiles of {@code draws}, linear between order statistics; NONE if any is not
     * finite, or if there are none. The draws are counted into {@value #BUCKETS} buckets of equal
     * width between the least and the greatest, and only the bucket or two that hold the order
     * statistics around a percentile are sorted: the same values as a sort of all the draws, at a
     * fraction of its cost on every customer's draws (about 200, so about 3 a bucket).
     */
    public static Interval of(double[] draws) {
      for (double value : draws) {
        if (!Double.isFinite(value)) {
          return NONE;
        }
      }
      return percentiles(draws, DoubleUnaryOperator.identity());
    }

    /**
     * The percentiles of {@code scale} × e^x over the {@code exponents} x, the same values as
     * {@link #of} of those products, without computing each: the map is non-decreasing ({@code
     * Math.exp} is semi-monotonic, and so is a product with a positive or infinite scale; with
     * another scale the exponents must all be equal), so the products' order statistics are those
     * of the exponents, mapped. NONE if any product is not finite, as {@link #of} is.
     */
    public static Interval ofScaledExp(double scale, double[] exponents) {
      for (double exponent : exponents) {
        if (Double.isNaN(exponent)) {
          return NONE;
        }
      }
      return percentiles(exponents, x -> scale * Math.exp(x));
    }

    /**
     * The percentiles of {@code map} over the draws, for a non-decreasing map whose values at the
     * least and greatest draw, if finite, bound every other.
     */
    private static Interval percentiles(double[] draws, DoubleUnaryOperator map) {
      if (draws.length == 0) {
        return NONE;
      }
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double value : draws) {
        min = value < min ? value : min;
        max = value > max ? value : max;
      }
      double least = map.applyAsDouble(min);
      double greatest = map.applyAsDouble(max);
      if (!Double.isFinite(least) || !Double.isFinite(greatest)) {
        return NONE;
      }
      if (!(greatest > least)) { // all equal (zeros of both signs are)
        return new Interval(between(least, least, 0.1, draws.length), between(least, least, 0.9, draws.length));
      }
      // An infinite spread (exponents of -∞) puts every draw in the first bucket: (int) NaN is 0
      double scale = BUCKETS / (max - min);
      int[] counts = new int[BUCKETS];
      byte[] bucket = new byte[draws.length];
      for (int i = 0; i < draws.length; i++) {
        // Monotone in the value, so a bucket's values all lie between those of the buckets around it
        int b = Math.min(BUCKETS - 1, (int) ((draws[i] - min) * scale));
        bucket[i] = (byte) b;
        counts[b]++;
      }
      return new Interval(quantile(draws, bucket, counts, 0.1, map), quantile(draws, bucket, counts, 0.9, map));
    }

    /**
     * The probability's quantile of the mapped draws: the order statistics below and above it are
     * picked from the sorted values of the buckets that hold them, then mapped.
     */
    private static double quantile(
        double[] draws, byte[] bucket, int[] counts, double probability, DoubleUnaryOperator map) {
      int below = (int) Math.floor((draws.length - 1) * probability);
      int above = Math.min(draws.length - 1, below + 1);
      int first = 0;
      int before = 0; // the values in the buckets before the first
      while (before + counts[first] <= below) {
        before += counts[first++];
      }
      int last = first;
      int through = before + counts[first]; // the values up to the last bucket
      while (through <= above) {
        through += counts[++last];
      }
      double[] held = new double[through - before];
      int n = 0;
      for (int i = 0; i < draws.length; i++) {
        if (bucket[i] >= first && bucket[i] <= last) {
          held[n++] = draws[i];
        }
      }
      Arrays.sort(held);
      return between(
          map.applyAsDouble(held[below - before]), map.applyAsDouble(held[above - before]), probability, draws.length);
    }

    /** The quantile linear between the order statistics {@code low} and {@code high} around it. */
    private static double between(double low, double high, double probability, int n) {
      double h = (n - 1) * probability;
      return low + (h - Math.floor(h)) * (high - low);
    }
  }

  /** A fitted model's parameters and their covariance (null when not known), natural scale. */
  public record Fit(double[] parameters, double[][] covariance) {}

  /** Point scores only, no intervals; {@code spend} may be null as below. */
  public CustomerValue(
      LifecycleConfig.PurchaseModel model,
      double[] purchase,
      double[] spend,
      double modelUnitDays,
      LifecycleConfig.Clv clv) {
    this(model, new Fit(purchase, null), spend == null ? null : new Fit(spend, null), modelUnitDays, clv);
  }

  /**
   * {@code spend} is null when there is no usable Gamma-Gamma fit (see {@link
   * GammaGamma#fitForClv}); {@code modelUnitDays} is the length in days of the unit of the BTYD
   * summary. Intervals come from {@code clv.intervalDraws()} draws of both models' parameters
   * (seeded by {@code clv.intervalSeed()}), when that is above 0 and every model used has a
   * covariance.
   */
  public CustomerValue(
      LifecycleConfig.PurchaseModel model, Fit purchase, Fit spend, double modelUnitDays, LifecycleConfig.Clv clv) {
    this.model = model;
    this.spend = spend == null ? null : spend.parameters().clone();
    this.margin = clv.margin();
    double step = clv.timeUnit().days() / modelUnitDays;
    this.stepEnds = new double[clv.horizon()];
    for (int k = 0; k < stepEnds.length; k++) {
      stepEnds[k] = (k + 1) * step;
    }
    this.stepDiscount = Math.pow(1 + clv.discountRate(), -clv.timeUnit().days() / DAYS_PER_YEAR);

    ParameterDraws purchaseDraws = null;
    ParameterDraws spendDraws = null;
    String why = null;
    if (clv.intervalDraws() == 0) {
      why = "clv.interval-draws is 0";
    } else if (purchase.covariance() == null) {
      why = "the purchase model has no covariance";
    } else if (spend != null && spend.covariance() == null) {
      why = "the spend model has no covariance";
    } else {
      List<Parameter> purchaseParameters = PurchaseProcess.of(model).parameters();
      purchaseDraws =
          ParameterDraws.of(
              purchaseParameters, purchase.parameters(), purchase.covariance(), clv.intervalDraws(),
              clv.intervalSeed());
      spendDraws =
          spend == null
              ? null
              : ParameterDraws.of(
                  GammaGamma.PARAMETERS, spend.parameters(), spend.covariance(), clv.intervalDraws(),
                  clv.intervalSeed() + 1);
      if (purchaseDraws == null || (spend != null && spendDraws == null)) {
        why = "a covariance is not positive definite";
        purchaseDraws = null;
      } else {
        int infinite = spendDraws == null ? 0 : infiniteMeanDraws(spendDraws);
        if (infinite > 0) {
          why =
              infinite + " of the " + spendDraws.count() + " draws of the spend model have q <= 1, where the"
                  + " population's mean spend is infinite: the spend model is too uncertain for intervals";
          purchaseDraws = null;
        }
      }
    }
    this.noIntervals = why;
    int draws = purchaseDraws == null ? 0 : purchaseDraws.count();
    this.purchaseOffsets = new double[draws][];
    this.spendValues = new double[draws][];
    for (int d = 0; d < draws; d++) {
      purchaseOffsets[d] = purchaseDraws.offset(d);
      spendValues[d] = spendDraws == null ? null : spendDraws.values(d);
    }
    int moved = draws == 0 ? 0 : purchase.parameters().length;
    this.purchaseSets = new double[1 + moved][];
    purchaseSets[0] = purchase.parameters().clone();
    for (int i = 0; i < moved; i++) {
      purchaseSets[i + 1] = purchaseDraws.moved(i, GRADIENT_STEP);
    }
  }

  /** The draws of Gamma-Gamma's parameters whose q is at most 1, so that p γ / (q − 1) is not finite. */
  private static int infiniteMeanDraws(ParameterDraws spendDraws) {
    int n = 0;
    for (int d = 0; d < spendDraws.count(); d++) {
      n += spendDraws.values(d)[1] <= 1 ? 1 : 0;
    }
    return n;
  }

  /** Why the scores have no intervals, or null when they have. */
  public String noIntervals() {
    return noIntervals;
  }

  /** The number of parameter draws, 0 without intervals. */
  public int draws() {
    return purchaseOffsets.length;
  }

  /**
   * {@code repeatValue} is the mean value of the repeat purchases, NaN when there are none; {@code
   * meanSpend} the mean value of all the customer's purchases, used without a spend model.
   */
  public Score score(double x, double tx, double bigT, double repeatValue, double meanSpend) {
    if (!oneTimeBuyer(x)) {
      return scored(x, tx, bigT, repeatValue, meanSpend);
    }
    PairMemo memo = memo(ONE_TIME_SCORES, SCORE_WIDTH, ONE_TIME_PAIRS, oneTimeKey());
    int at = memo.place(tx, bigT);
    double[] held = memo.values();
    if (Double.isNaN(held[at])) {
      Score s = scored(x, tx, bigT, repeatValue, meanSpend);
      double[] numbers = {
        1, s.pAlive(), s.expectedPurchases(), s.expectedSpend(), s.clv(), s.purchases().p10(), s.purchases().p90(),
        s.clvInterval().p10(), s.clvInterval().p90()
      };
      System.arraycopy(numbers, 0, held, at, SCORE_WIDTH);
      return s;
    }
    return new Score(
        held[at + 1], held[at + 2], held[at + 3], held[at + 4], new Interval(held[at + 5], held[at + 6]),
        new Interval(held[at + 7], held[at + 8]));
  }

  private Score scored(double x, double tx, double bigT, double repeatValue, double meanSpend) {
    Purchases point = purchases(0, x, tx, bigT);
    double value = spend == null ? meanSpend : expectedValue(spend, x, repeatValue);
    double clv = clv(point, value);
    if (draws() == 0) {
      return new Score(point.alive(), point.expected(), value, clv, Interval.NONE, Interval.NONE);
    }
    double[] purchaseExponents = new double[draws()];
    double[] values = new double[draws()];
    drawn(x, tx, bigT, repeatValue, meanSpend, point, purchaseExponents, values);
    return new Score(
        point.alive(), point.expected(), value, clv, Interval.ofScaledExp(point.expected(), purchaseExponents),
        Interval.of(values));
  }

  /**
   * Whether the customer's scores depend on t_x and T alone: no repeat purchases, and a spend
   * model, whose population mean is then their expected spend whatever they spent.
   */
  private boolean oneTimeBuyer(double x) {
    return x == 0 && spend != null;
  }

  /**
   * Adds the customer's CLV under each parameter draw to {@code totals} (length {@link #draws()}),
   * for the interval of a total over customers, and returns the customer's CLV.
   */
  public double addDraws(double x, double tx, double bigT, double repeatValue, double meanSpend, double[] totals) {
    if (!oneTimeBuyer(x)) {
      double[] values = new double[draws()];
      double clv = drawnClv(x, tx, bigT, repeatValue, meanSpend, values);
      for (int d = 0; d < values.length; d++) {
        totals[d] += values[d];
      }
      return clv;
    }
    // Held as: whether computed (1, NaN if not), the CLV, then its value under each draw
    PairMemo memo = memo(ONE_TIME_DRAWS, 2 + draws(), ONE_TIME_PAIRS, oneTimeKey());
    int at = memo.place(tx, bigT);
    double[] held = memo.values();
    if (Double.isNaN(held[at])) {
      double[] values = new double[draws()];
      held[at + 1] = drawnClv(x, tx, bigT, repeatValue, meanSpend, values);
      System.arraycopy(values, 0, held, at + 2, values.length);
      held[at] = 1;
    }
    for (int d = 0; d < draws(); d++) {
      totals[d] += held[at + 2 + d];
    }
    return held[at + 1];
  }

  /** The customer's CLV, with its value under each draw in {@code values}. */
  private double drawnClv(double x, double tx, double bigT, double repeatValue, double meanSpend, double[] values) {
    Purchases point = purchases(0, x, tx, bigT);
    double value = spend == null ? meanSpend : expectedValue(spend, x, repeatValue);
    drawn(x, tx, bigT, repeatValue, meanSpend, point, null, values);
    return clv(point, value);
  }

  /**
   * The customer's CLV alone, equal to {@link #score}'s to the last bit, without its intervals:
   * one evaluation of the purchase model where the score makes one per parameter more and one of
   * the spend model per draw.
   */
  public double clv(double x, double tx, double bigT, double repeatValue, double meanSpend) {
    return clv(
        purchases(0, x, tx, bigT), spend == null ? meanSpend : expectedValue(spend, x, repeatValue));
  }

  private double clv(Purchases point, double value) {
    return margin * value * point.discounted();
  }

  /**
   * A customer's own mean spend, for CLV without a spend model: spend per purchase unit, never
   * below 0, max(0, monetary total) / (x + 1).
   */
  public static double meanSpend(double monetaryTotal, double x) {
    return Math.max(0, monetaryTotal) / (x + 1);
  }

  /**
   * Expected purchases and CLV under each draw. The spend model is evaluated at each draw exactly;
   * the purchase model through the first-order expansion of the logs of its expected purchases in
   * the search-scale parameters around the estimate (a forward difference of {@value
   * #GRADIENT_STEP}), which costs one evaluation per parameter instead of one per draw. The
   * expected purchases under draw d are E × e^{@code purchaseExponents[d]}, with E the point
   * estimate's ({@link Interval#ofScaledExp} takes their percentiles without computing each).
   * Without {@code purchaseExponents} (null) only the CLV is drawn.
   */
  private void drawn(
      double x, double tx, double bigT, double repeatValue, double meanSpend, Purchases point,
      double[] purchaseExponents, double[] values) {
    if (draws() == 0) {
      return;
    }
    int k = purchaseSets.length - 1;
    double[] expectedSlope = new double[k];
    double[] discountedSlope = new double[k];
    boolean none = !(point.expected() > 0 && point.discounted() > 0);
    for (int i = 0; i < k && !none; i++) {
      Purchases moved = purchases(i + 1, x, tx, bigT);
      expectedSlope[i] = Math.log(moved.expected() / point.expected()) / GRADIENT_STEP;
      discountedSlope[i] = Math.log(moved.discounted() / point.discounted()) / GRADIENT_STEP;
    }
    for (int d = 0; d < values.length; d++) {
      if (none) {
        if (purchaseExponents != null) {
          purchaseExponents[d] = 0; // E itself
        }
        values[d] = 0;
        continue;
      }
      double[] offset = purchaseOffsets[d];
      double expectedShift = 0;
      double discountedShift = 0;
      for (int i = 0; i < k; i++) {
        expectedShift += expectedSlope[i] * offset[i];
        discountedShift += discountedSlope[i] * offset[i];
      }
      double value = spend == null ? meanSpend : expectedValue(spendValues[d], x, repeatValue);
      if (purchaseExponents != null) {
        purchaseExponents[d] = expectedShift;
      }
      values[d] = margin * value * point.discounted() * Math.exp(discountedShift);
    }
  }

  /**
   * P(alive), the expected purchases over the horizon, and their sum discounted step by step, for
   * the purchase parameters {@code purchaseSets[set]}. The if-alive part comes from the thread's
   * memo when a customer with the same (x, T) came before: the same values, computed once.
   */
  private record Purchases(double alive, double expected, double discounted) {}

  private Purchases purchases(int set, double x, double tx, double bigT) {
    if (process == null) {
      process = PurchaseProcess.of(model);
    }
    double alive = process.probabilityAlive(purchaseSets[set], x, tx, bigT);
    PairMemo ifAlive = memo();
    int at = ifAlive.place(x, bigT) + 2 * set;
    double[] held = ifAlive.values();
    if (Double.isNaN(held[at])) {
      double[] cumulative = process.expectedPurchasesIfAlive(purchaseSets[set], stepEnds, x, bigT);
      double discounted = 0;
      double before = 0;
      double factor = 1;
      for (double purchases : cumulative) {
        factor *= stepDiscount;
        discounted += (purchases - before) * factor;
        before = purchases;
      }
      held[at] = before;
      held[at + 1] = discounted;
    }
    return new Purchases(alive, alive * held[at], alive * held[at + 1]);
  }

  /**
   * This thread's if-alive memo, emptied first when another scorer (other parameters) used it last;
   * this scorer keeps it for its next call on the same thread, even once another has taken the
   * thread's.
   */
  private PairMemo memo() {
    Thread thread = Thread.currentThread();
    ThreadMemo last = ifAliveMemo;
    if (last != null && last.thread() == thread) {
      return last.memo();
    }
    PairMemo memo = memo(MEMOS, 2 * purchaseSets.length, PairMemo.MAX_SLOTS, ifAliveKey());
    ifAliveMemo = new ThreadMemo(thread, memo);
    return memo;
  }

  /** A thread's memo. */
  private record ThreadMemo(Thread thread, PairMemo memo) {}

  private String ifAliveKey() {
    if (memoKey == null) {
      memoKey = model + " " + Arrays.deepToString(purchaseSets) + " " + Arrays.toString(stepEnds) + " " + stepDiscount;
    }
    return memoKey;
  }

  private String oneTimeKey() {
    if (oneTimeKey == null) {
      oneTimeKey =
          ifAliveKey() + " " + Arrays.toString(spend) + " " + margin + " " + Arrays.deepToString(purchaseOffsets) + " "
              + Arrays.deepToString(spendValues);
    }
    return oneTimeKey;
  }

  /** One of this thread's memos, made anew when another scorer, with other values ({@code key}), used it last. */
  private PairMemo memo(ThreadLocal<PairMemo> memos, int width, int maxPairs, String key) {
    PairMemo memo = memos.get();
    if (memo != null && memo.owner() == this) {
      return memo;
    }
    if (memo == null || !memo.key().equals(key)) {
      memo = new PairMemo(width, maxPairs, key);
      memos.set(memo);
    }
    memo.owner(this);
    return memo;
  }

  /**
   * Gamma-Gamma's E[M | x, z̄]; without usable repeat purchases (none, or netted to nothing) the
   * population mean p γ / (q − 1), which is infinite, so NaN, when q &lt;= 1.
   */
  private static double expectedValue(double[] spend, double x, double repeatValue) {
    if (x > 0 && repeatValue > 0) {
      return GammaGamma.expectedValue(spend, x, repeatValue);
    }
    return spend[1] > 1 ? GammaGamma.expectedValue(spend, 0, 0) : Double.NaN;
  }
}
