package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.PeriodUnit;
import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.ParameterDraws;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.junit.jupiter.api.Test;

/**
 * The P10–P90 intervals of CLV on customers simulated from known BG/NBD and Gamma-Gamma
 * parameters. The intervals cover the uncertainty of the fitted parameters, so the quantity they
 * must hold is the true total CLV: every customer's expected CLV under the true parameters, given
 * the customer's history.
 */
class ClvIntervalTest {
  private static final double[] PURCHASE_TRUTH = {0.6, 5.0, 0.9, 3.5};
  private static final double[] SPEND_TRUTH = {4.0, 3.0, 20.0};
  private static final int CUSTOMERS = 20_000;
  private static final LifecycleConfig.Clv TERMS =
      new LifecycleConfig.Clv(LifecycleConfig.PurchaseModel.BG_NBD, 12, PeriodUnit.MONTH, 0.3, 0.1, 0, 0, 5, 200, 7, 90);

  /** One simulated customer: BG/NBD summary in weeks and the mean of the repeat purchases' values. */
  private record Customer(int x, double tx, double bigT, double repeatValue) {}

  @Test
  void theTrueTotalIsInsideTheIntervalAndEveryCustomersPointIsInsideTheirs() {
    List<Customer> customers = simulate(CUSTOMERS, 1);
    CustomerValue fitted = fitted(customers, TERMS);
    CustomerValue truth = new CustomerValue(TERMS.purchaseModel(), PURCHASE_TRUTH, SPEND_TRUTH, 7, TERMS);

    double trueTotal = 0;
    double[] totals = new double[fitted.draws()];
    for (Customer c : customers) {
      CustomerValue.Score score = fitted.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN);
      assertThat(score.clvInterval().p10()).as("%s", c).isLessThanOrEqualTo(score.clv());
      assertThat(score.clvInterval().p90()).as("%s", c).isGreaterThanOrEqualTo(score.clv());
      assertThat(score.purchases().p10()).as("%s", c).isLessThanOrEqualTo(score.expectedPurchases());
      assertThat(score.purchases().p90()).as("%s", c).isGreaterThanOrEqualTo(score.expectedPurchases());
      assertThat(score.clvInterval().p90()).as("%s", c).isGreaterThan(score.clvInterval().p10());
      trueTotal += truth.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN).clv();
      fitted.addDraws(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN, totals);
    }
    CustomerValue.Interval total = CustomerValue.Interval.of(totals);

    assertThat(fitted.draws()).isEqualTo(200);
    assertThat(trueTotal).isBetween(total.p10(), total.p90());
  }

  @Test
  void theSameSeedGivesTheSameIntervalsAndAnotherSeedOthers() {
    List<Customer> customers = simulate(2_000, 2);
    CustomerValue first = fitted(customers, TERMS);
    CustomerValue again = fitted(customers, TERMS);
    CustomerValue otherSeed = fitted(customers, withSeed(8));

    int differs = 0;
    for (Customer c : customers) {
      CustomerValue.Score a = first.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN);
      assertThat(again.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN)).isEqualTo(a);
      assertThat(first.clv(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN)).isEqualTo(a.clv());
      // The draws a total adds up are the customer's own, those of their interval
      double[] own = new double[first.draws()];
      assertThat(first.addDraws(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN, own)).isEqualTo(a.clv());
      assertThat(CustomerValue.Interval.of(own)).isEqualTo(a.clvInterval());
      if (!otherSeed.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN).clvInterval().equals(a.clvInterval())) {
        differs++;
      }
    }
    assertThat(differs).isEqualTo(customers.size());
  }

  /**
   * The purchase model's draws go through a first-order expansion of log expected purchases; here
   * each draw is scored exactly instead, with its own parameters, and the intervals agree.
   */
  @Test
  void theExpansionAgreesWithScoringEachDrawExactly() {
    List<Customer> customers = simulate(CUSTOMERS, 3);
    BoundedMle.Estimate purchase = BgNbd.fit(patterns(customers));
    BoundedMle.Estimate spend = spendFit(customers);
    CustomerValue value = fitted(purchase, spend, TERMS);
    ParameterDraws purchaseDraws =
        ParameterDraws.of(BgNbd.PARAMETERS, purchase.parameters(), purchase.covariance(), 200, TERMS.intervalSeed());
    ParameterDraws spendDraws =
        ParameterDraws.of(GammaGamma.PARAMETERS, spend.parameters(), spend.covariance(), 200, TERMS.intervalSeed() + 1);
    List<CustomerValue> exact = new ArrayList<>();
    for (int d = 0; d < 200; d++) {
      exact.add(new CustomerValue(TERMS.purchaseModel(), purchaseDraws.values(d), spendDraws.values(d), 7, TERMS));
    }
    for (Customer c : customers.subList(0, 200)) {
      double[] clv = new double[200];
      for (int d = 0; d < 200; d++) {
        clv[d] = exact.get(d).score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN).clv();
      }
      CustomerValue.Interval expected = CustomerValue.Interval.of(clv);
      CustomerValue.Interval expanded = value.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN).clvInterval();
      assertThat(expanded.p10()).as("%s", c).isCloseTo(expected.p10(), within(0.005 * expected.p10()));
      assertThat(expanded.p90()).as("%s", c).isCloseTo(expected.p90(), within(0.005 * expected.p90()));
    }
  }

  /**
   * Over 20 simulated data sets, the true total falls inside the 80% interval about 80% of the
   * time, and the interval's width matches the spread of the fitted total's error: P90 − P10 of a
   * normal error is 2.563 standard deviations.
   */
  @Test
  void theIntervalOfTheTotalHasItsNominalCoverage() {
    CustomerValue truth = new CustomerValue(TERMS.purchaseModel(), PURCHASE_TRUTH, SPEND_TRUTH, 7, TERMS);
    int replicates = 20;
    int covered = 0;
    double[] errors = new double[replicates];
    double[] widths = new double[replicates];
    for (int r = 0; r < replicates; r++) {
      List<Customer> customers = simulate(3_000, 100 + r);
      BoundedMle.Estimate purchase = BgNbd.fit(patterns(customers));
      BoundedMle.Estimate spend = spendFit(customers);
      CustomerValue fitted = fitted(purchase, spend, TERMS);
      CustomerValue point = new CustomerValue(TERMS.purchaseModel(), purchase.parameters(), spend.parameters(), 7, TERMS);
      double trueTotal = 0;
      double fittedTotal = 0;
      double[] totals = new double[fitted.draws()];
      for (Customer c : customers) {
        trueTotal += truth.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN).clv();
        fittedTotal += point.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN).clv();
        fitted.addDraws(c.x(), c.tx(), c.bigT(), c.repeatValue(), Double.NaN, totals);
      }
      CustomerValue.Interval total = CustomerValue.Interval.of(totals);
      if (trueTotal >= total.p10() && trueTotal <= total.p90()) {
        covered++;
      }
      errors[r] = fittedTotal - trueTotal;
      widths[r] = total.p90() - total.p10();
    }
    double meanWidth = Arrays.stream(widths).average().orElseThrow();
    double spread = new StandardDeviation().evaluate(errors);

    // Binomial(20, 0.8) is 11 or fewer with probability 0.01
    assertThat(covered).isGreaterThanOrEqualTo(12);
    assertThat(meanWidth / (2.563 * spread)).isBetween(0.6, 1.6);
  }

  /**
   * The if-alive expectations are kept per (x, T) and one-time buyers' whole scores and draws per
   * (t_x, T), and reused: customers who share x and T (their ages rounded to whole weeks here) but
   * differ in t_x and spend score exactly as a scorer on a new thread, with nothing kept, scores
   * them, and their draws add up to the same totals.
   */
  @Test
  void customersSharingXAndTScoreAsIfEachWereTheFirst() throws Exception {
    List<Customer> fitOn = simulate(CUSTOMERS, 5);
    BoundedMle.Estimate purchase = BgNbd.fit(patterns(fitOn));
    BoundedMle.Estimate spend = spendFit(fitOn);
    CustomerValue shared = fitted(purchase, spend, TERMS);
    double[] sharedTotals = new double[shared.draws()];
    double[] freshTotals = new double[shared.draws()];
    int repeats = 0;
    int oneTimeRepeats = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Customer c : simulate(400, 6)) {
      double bigT = Math.round(c.bigT());
      double tx = Math.min(c.tx(), bigT);
      repeats += seen.add(c.x() + "/" + bigT) ? 0 : 1;
      oneTimeRepeats += c.x() == 0 && !seen.add("one-time " + tx + "/" + bigT) ? 1 : 0;
      Object[] fresh = new Object[2];
      Thread first =
          new Thread(
              () -> {
                CustomerValue value = fitted(purchase, spend, TERMS);
                fresh[0] = value.score(c.x(), tx, bigT, c.repeatValue(), 30);
                fresh[1] = value.clv(c.x(), tx, bigT, c.repeatValue(), 30);
                value.addDraws(c.x(), tx, bigT, c.repeatValue(), 30, freshTotals);
              });
      first.start();
      first.join();
      assertThat(shared.score(c.x(), tx, bigT, c.repeatValue(), 30)).as("%s", c).isEqualTo(fresh[0]);
      assertThat(shared.clv(c.x(), tx, bigT, c.repeatValue(), 30)).isEqualTo(fresh[1]);
      shared.addDraws(c.x(), tx, bigT, c.repeatValue(), 30, sharedTotals);
    }
    assertThat(repeats).as("customers whose (x, T) came before").isGreaterThan(100);
    assertThat(oneTimeRepeats).as("one-time buyers whose (t_x, T) came before").isGreaterThan(20);
    assertThat(sharedTotals).isEqualTo(freshTotals);
  }

  /**
   * Scorers with other parameters on one thread do not share what is kept: each scores as it
   * would alone, also one with the same purchase model and another spend model.
   */
  @Test
  void aScorerWithOtherParametersOnTheSameThreadDoesNotReuseTheKeptValues() throws Exception {
    List<Customer> customers = simulate(2_000, 8);
    BoundedMle.Estimate purchase = BgNbd.fit(patterns(customers));
    BoundedMle.Estimate spend = spendFit(customers);
    BoundedMle.Estimate otherSpend = spendFit(simulate(2_000, 9));
    assertThat(otherSpend.parameters()).isNotEqualTo(spend.parameters());
    double[][] alone = new double[3][customers.size()];
    double[][] aloneTotals = new double[2][];
    Thread scoring =
        new Thread(
            () -> {
              CustomerValue one = fitted(purchase, spend, TERMS);
              aloneTotals[0] = new double[one.draws()];
              for (int i = 0; i < customers.size(); i++) {
                Customer c = customers.get(i);
                alone[0][i] = one.score(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30).clvInterval().p90();
                one.addDraws(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30, aloneTotals[0]);
              }
              CustomerValue other = new CustomerValue(TERMS.purchaseModel(), PURCHASE_TRUTH, SPEND_TRUTH, 7, TERMS);
              for (int i = 0; i < customers.size(); i++) {
                Customer c = customers.get(i);
                alone[1][i] = other.clv(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30);
              }
            });
    // The third scorer alone on a thread of its own: it shares the first's purchase model
    Thread thirdAlone =
        new Thread(
            () -> {
              CustomerValue third = fitted(purchase, otherSpend, TERMS);
              aloneTotals[1] = new double[third.draws()];
              for (int i = 0; i < customers.size(); i++) {
                Customer c = customers.get(i);
                alone[2][i] = third.score(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30).clvInterval().p10();
                third.addDraws(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30, aloneTotals[1]);
              }
            });
    scoring.start();
    scoring.join();
    thirdAlone.start();
    thirdAlone.join();
    CustomerValue one = fitted(purchase, spend, TERMS);
    CustomerValue other = new CustomerValue(TERMS.purchaseModel(), PURCHASE_TRUTH, SPEND_TRUTH, 7, TERMS);
    CustomerValue third = fitted(purchase, otherSpend, TERMS);
    double[] oneTotals = new double[one.draws()];
    double[] thirdTotals = new double[third.draws()];
    for (int i = 0; i < customers.size(); i++) {
      Customer c = customers.get(i);
      CustomerValue first = i % 2 == 0 ? one : other;
      CustomerValue second = i % 2 == 0 ? other : one;
      first.clv(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30);
      second.clv(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30);
      assertThat(one.score(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30).clvInterval().p90())
          .as("%s", c)
          .isEqualTo(alone[0][i]);
      assertThat(other.clv(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30)).as("%s", c).isEqualTo(alone[1][i]);
      assertThat(third.score(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30).clvInterval().p10())
          .as("%s", c)
          .isEqualTo(alone[2][i]);
      one.addDraws(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30, oneTotals);
      third.addDraws(c.x(), c.tx(), Math.round(c.bigT()), c.repeatValue(), 30, thirdTotals);
    }
    assertThat(oneTotals).isEqualTo(aloneTotals[0]);
    assertThat(thirdTotals).isEqualTo(aloneTotals[1]);
  }

  /**
   * One scorer shared by two threads at once (Spark gives each task its own copy, but nothing in
   * the class asks for that): each thread keeps what it computes to itself, so both score every
   * customer exactly as a scorer alone does, with all the ages unrounded, so the threads' memos
   * fill and grow side by side.
   * (With the scorer's memo handed to any thread, not only its own, the threads race on one memo:
   * this failed 3 of 4 runs.)
   */
  @Test
  void aScorerSharedByTwoThreadsAtOnceScoresAsOneAlone() throws Exception {
    List<Customer> customers = simulate(4_000, 10);
    BoundedMle.Estimate purchase = BgNbd.fit(patterns(customers));
    BoundedMle.Estimate spend = spendFit(customers);
    CustomerValue alone = fitted(purchase, spend, TERMS);
    List<CustomerValue.Score> expected = new ArrayList<>();
    double[] expectedTotals = new double[alone.draws()];
    for (Customer c : customers) {
      expected.add(alone.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), 30));
      alone.addDraws(c.x(), c.tx(), c.bigT(), c.repeatValue(), 30, expectedTotals);
    }
    CustomerValue shared = fitted(purchase, spend, TERMS);
    CyclicBarrier start = new CyclicBarrier(2);
    Callable<List<Object>> scoring =
        () -> {
          List<Object> scores = new ArrayList<>();
          double[] totals = new double[shared.draws()];
          start.await();
          for (Customer c : customers) {
            scores.add(shared.score(c.x(), c.tx(), c.bigT(), c.repeatValue(), 30));
            shared.addDraws(c.x(), c.tx(), c.bigT(), c.repeatValue(), 30, totals);
          }
          scores.add(totals);
          return scores;
        };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Object>>> both = threads.invokeAll(List.of(scoring, scoring));
      for (Future<List<Object>> scored : both) {
        List<Object> scores = scored.get();
        assertThat(scores.subList(0, customers.size())).isEqualTo(expected);
        assertThat((double[]) scores.get(customers.size())).isEqualTo(expectedTotals);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * A spend fit whose q is near 1 and uncertain: some draws have q &lt;= 1, where the one-time
   * buyers' expected spend p γ / (q − 1) is infinite. Rather than intervals silently missing (a
   * non-finite draw), there are none, and the scorer says why; the point scores stay.
   */
  @Test
  void spendDrawsWithoutAFiniteMeanGiveNoIntervalsAndSayWhy() {
    double[][] purchaseCovariance = {
      {1e-4, 0, 0, 0}, {0, 1e-2, 0, 0}, {0, 0, 1e-3, 0}, {0, 0, 0, 1e-2}
    };
    CustomerValue.Fit purchase = new CustomerValue.Fit(new double[] {0.243, 4.414, 0.793, 2.426}, purchaseCovariance);
    double[][] spendCovariance = {{0.25, 0, 0}, {0, 0.04, 0}, {0, 0, 1}};

    CustomerValue nearOne =
        new CustomerValue(TERMS.purchaseModel(), purchase, new CustomerValue.Fit(new double[] {6, 1.2, 15}, spendCovariance), 7, TERMS);
    CustomerValue farFromOne =
        new CustomerValue(TERMS.purchaseModel(), purchase, new CustomerValue.Fit(new double[] {6, 3.7, 15}, spendCovariance), 7, TERMS);

    assertThat(nearOne.noIntervals())
        .matches("\\d+ of the 200 draws of the spend model have q <= 1, where the population's mean spend is infinite:"
            + " the spend model is too uncertain for intervals");
    assertThat(nearOne.draws()).isZero();
    CustomerValue.Score oneTime = nearOne.score(0, 0, 30, Double.NaN, 20);
    assertThat(oneTime.clv()).isFinite().isPositive();
    assertThat(oneTime.clvInterval()).isEqualTo(CustomerValue.Interval.NONE);
    assertThat(farFromOne.noIntervals()).isNull();
    assertThat(farFromOne.score(0, 0, 30, Double.NaN, 20).clvInterval().p10()).isFinite();
  }

  private static LifecycleConfig.Clv withSeed(long seed) {
    return new LifecycleConfig.Clv(
        TERMS.purchaseModel(), TERMS.horizon(), TERMS.timeUnit(), TERMS.margin(), TERMS.discountRate(),
        TERMS.acquisitionCost(), TERMS.costPerCustomer(), TERMS.years(), TERMS.intervalDraws(), seed, TERMS.autoHoldoutDays());
  }

  private static CustomerValue fitted(List<Customer> customers, LifecycleConfig.Clv terms) {
    return fitted(BgNbd.fit(patterns(customers)), spendFit(customers), terms);
  }

  private static CustomerValue fitted(BoundedMle.Estimate purchase, BoundedMle.Estimate spend, LifecycleConfig.Clv terms) {
    assertThat(purchase.covariance()).isNotNull();
    assertThat(spend.covariance()).isNotNull();
    CustomerValue value =
        new CustomerValue(
            terms.purchaseModel(), new CustomerValue.Fit(purchase.parameters(), purchase.covariance()),
            new CustomerValue.Fit(spend.parameters(), spend.covariance()), 7, terms);
    assertThat(value.noIntervals()).isNull();
    return value;
  }

  private static RepeatPatterns patterns(List<Customer> customers) {
    RepeatPatterns patterns = new RepeatPatterns();
    customers.forEach(c -> patterns.add(c.x(), c.tx(), c.bigT(), 1));
    return patterns;
  }

  private static BoundedMle.Estimate spendFit(List<Customer> customers) {
    List<Customer> repeat = customers.stream().filter(c -> c.x() > 0).toList();
    GammaGamma.SpendFit fit =
        GammaGamma.fitForClv(
            repeat.stream().mapToDouble(Customer::x).toArray(),
            repeat.stream().mapToDouble(Customer::repeatValue).toArray(), null);
    assertThat(fit.usable()).as(fit.notFitted()).isTrue();
    return fit.estimate();
  }

  /**
   * BG/NBD customers in weeks, observed 20 to 52 weeks from their first purchase, each repeat
   * purchase valued from Gamma-Gamma: values ~ Gamma(p, rate ν), ν ~ Gamma(q, rate γ).
   */
  private static List<Customer> simulate(int count, long seed) {
    RandomGenerator random = new MersenneTwister(seed);
    GammaDistribution rates = new GammaDistribution(random, PURCHASE_TRUTH[0], 1 / PURCHASE_TRUTH[1]);
    BetaDistribution dropout = new BetaDistribution(random, PURCHASE_TRUTH[2], PURCHASE_TRUTH[3]);
    GammaDistribution scales = new GammaDistribution(random, SPEND_TRUTH[1], 1 / SPEND_TRUTH[2]);
    List<Customer> customers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double lambda = rates.sample();
      double p = dropout.sample();
      double bigT = 20 + 32 * random.nextDouble();
      double[] history = ClvRecoveryTest.history(random, lambda, p, bigT, false);
      int x = (int) history[0];
      double tx = history[1];
      GammaDistribution values = new GammaDistribution(random, SPEND_TRUTH[0], 1 / scales.sample());
      double sum = 0;
      for (int j = 0; j < x; j++) {
        sum += values.sample();
      }
      customers.add(new Customer(x, tx, bigT, x > 0 ? sum / x : Double.NaN));
    }
    return customers;
  }
}
