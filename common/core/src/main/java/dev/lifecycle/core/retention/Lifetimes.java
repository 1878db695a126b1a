package dev.lifecycle.core.retention;

import java.util.Arrays;

/**
 * The lifetimes of a group of customers, aggregated by period since acquisition (period 0). A
 * customer whose last active period is {@code L} either churned at period {@code L + 1} or, when
 * still active, is censored at {@code L}: known to have survived that long. The group is observed
 * through period {@link #window()}; a churn can be recorded one period past it.
 *
 * <p>This is all a survival fit needs: likelihoods and Kaplan-Meier work on these counts, never on
 * customers.
 */
public final class Lifetimes {
  private final int window;
  private final long[] churned;
  private final long[] censored;

  private Lifetimes(int window, long[] churned, long[] censored) {
    this.window = window;
    this.churned = churned;
    this.censored = censored;
  }

  /** An empty group observed through period {@code window}. */
  public static Lifetimes observedThrough(int window) {
    if (window < 0) {
      throw new IllegalArgumentException("Cannot observe a negative window: " + window);
    }
    return new Lifetimes(window, new long[window + 2], new long[window + 2]);
  }

  /**
   * Adds {@code customers} whose last active period is {@code lastActive}, churned or censored.
   */
  public Lifetimes add(int lastActive, boolean stillActive, long customers) {
    if (lastActive < 0 || lastActive > window) {
      throw new IllegalArgumentException(
          "Cannot add a last active period " + lastActive + " outside the window 0.." + window);
    }
    if (stillActive) {
      censored[lastActive] += customers;
    } else {
      churned[lastActive + 1] += customers;
    }
    return this;
  }

  public int window() {
    return window;
  }

  /** Customers who churned at period {@code t} (their lifetime is t periods). */
  public long churned(int t) {
    return t < churned.length ? churned[t] : 0;
  }

  /** Customers known alive through period {@code t} and no further. */
  public long censored(int t) {
    return t < censored.length ? censored[t] : 0;
  }

  /** The last period with a churn or a censoring: a likelihood has no terms past it. */
  public int lastPeriod() {
    return churned.length - 1;
  }

  public long customers() {
    return Arrays.stream(churned).sum() + Arrays.stream(censored).sum();
  }

  /**
   * Customer-periods alive as observed: each customer counts the periods from acquisition through
   * their last active period, L + 1, whether they churned after it or are still active.
   */
  public long customerPeriods() {
    long periods = 0;
    for (int t = 0; t < churned.length; t++) {
      periods += t * churned[t] + (t + 1) * censored[t]; // churned at t: L = t − 1
    }
    return periods;
  }

  public long churnedTotal() {
    return Arrays.stream(churned).sum();
  }

  /** Customers at risk at period {@code t}: neither churned nor censored before it. */
  public long atRisk(int t) {
    long n = 0;
    for (int j = Math.max(t, 0); j < churned.length; j++) {
      n += churned[j] + censored[j];
    }
    return n;
  }

  /** The two groups as one, observed through the longer window. */
  public Lifetimes plus(Lifetimes other) {
    Lifetimes sum = observedThrough(Math.max(window, other.window));
    for (int t = 0; t < sum.churned.length; t++) {
      sum.churned[t] = churned(t) + other.churned(t);
      sum.censored[t] = censored(t) + other.censored(t);
    }
    return sum;
  }

  /**
   * The group as it looked when observed only through period {@code through} (at least 0): later
   * churns and censorings become censorings there.
   */
  public Lifetimes truncate(int through) {
    if (through >= window) {
      return this;
    }
    int cut = Math.max(through, 0);
    Lifetimes early = observedThrough(cut);
    for (int t = 0; t < churned.length; t++) {
      if (t <= cut) {
        early.churned[t] = churned[t];
        early.censored[t] = censored[t];
      } else {
        early.censored[cut] += churned[t] + censored[t];
      }
    }
    return early;
  }

  /**
   * Kaplan-Meier survival S(0..window). It stops early (a shorter array) where nobody is left at
   * risk, rather than report a value it has no data for.
   */
  public double[] kaplanMeier() {
    double[] survival = new double[window + 1];
    survival[0] = 1.0;
    for (int t = 1; t <= window; t++) {
      long risk = atRisk(t);
      if (risk == 0) {
        return Arrays.copyOf(survival, t);
      }
      survival[t] = survival[t - 1] * (1.0 - (double) churned[t] / risk);
    }
    return survival;
  }
}
