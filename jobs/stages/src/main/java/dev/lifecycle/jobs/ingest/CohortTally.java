package dev.lifecycle.jobs.ingest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A partition's customers counted by acquisition cohort: their lifetimes (last active period,
 * still active or churned) and their activity per period since acquisition. The counts are added
 * across partitions by Spark, so the retention stage never sees a customer.
 */
final class CohortTally {
  record LifetimeKey(String segment, int cohort, int lastActive, boolean stillActive) {}

  record ActivityKey(String segment, int cohort, int offset) {}

  /** Customers active in a period, and the revenue of all the cohort's customers in it. */
  static final class Activity {
    long activeCustomers;
    double revenue;
  }

  private final CohortInput input;
  private final Map<LifetimeKey, Long> lifetimes = new HashMap<>();
  private final Map<ActivityKey, Activity> activity = new HashMap<>();

  CohortTally(CohortInput input) {
    this.input = input;
  }

  CohortInput input() {
    return input;
  }

  /** Adds one customer: the first purchase's period is the cohort. */
  void add(String segment, int firstDay, int lastPurchaseDay, Periods periods) {
    int cohort = input.period().index(firstDay);
    int lastActive = input.period().index(lastPurchaseDay) - cohort;
    boolean stillActive = input.asOfDay() - lastPurchaseDay <= input.churnAfterDays();
    lifetimes.merge(new LifetimeKey(segment, cohort, lastActive, stillActive), 1L, Long::sum);
    // Periods come in order; clean rows before the first purchase (returns) join period 0.
    int i = 0;
    while (i < periods.size) {
      int offset = Math.max(0, periods.index[i] - cohort);
      double revenue = 0;
      boolean active = false;
      for (; i < periods.size && Math.max(0, periods.index[i] - cohort) == offset; i++) {
        revenue += periods.revenue[i];
        active |= periods.purchased[i];
      }
      Activity tally =
          activity.computeIfAbsent(new ActivityKey(segment, cohort, offset), k -> new Activity());
      tally.revenue += revenue;
      if (active) {
        tally.activeCustomers++;
      }
    }
  }

  void forEachLifetime(BiConsumer<LifetimeKey, Long> action) {
    lifetimes.forEach(action);
  }

  void forEachActivity(BiConsumer<ActivityKey, Activity> action) {
    activity.forEach(action);
  }

  /** One customer's clean rows by period, fed in time order. */
  static final class Periods {
    private int[] index = new int[4];
    private boolean[] purchased = new boolean[4];
    private double[] revenue = new double[4];
    private int size;

    void add(int period, double value) {
      if (size == 0 || index[size - 1] != period) {
        if (size == index.length) {
          index = Arrays.copyOf(index, 2 * size);
          purchased = Arrays.copyOf(purchased, 2 * size);
          revenue = Arrays.copyOf(revenue, 2 * size);
        }
        index[size++] = period;
      }
      revenue[size - 1] += value;
      purchased[size - 1] |= value >= 0;
    }
  }
}
