package dev.lifecycle.jobs.ingest;

import dev.lifecycle.core.config.RetentionPeriod;
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

  private record CohortKey(String segment, int cohort) {}

  /**
   * One segment's cohort: its customers by last active period, churned or still active, and its
   * activity by period since acquisition, each indexed by that period. One lookup per customer,
   * not one per period of the customer's (hash-map lookups of record keys were about 300 of the
   * 2,802 task samples of a twelve-snapshot pass).
   */
  private static final class Cohort {
    private long[] churned = new long[0];
    private long[] stillActive = new long[0];
    private Activity[] activity = new Activity[0];

    void addLifetime(int lastActive, boolean still) {
      if (lastActive >= churned.length) {
        int size = Math.max(2 * churned.length, lastActive + 1);
        churned = Arrays.copyOf(churned, size);
        stillActive = Arrays.copyOf(stillActive, size);
      }
      (still ? stillActive : churned)[lastActive]++;
    }

    Activity activity(int offset) {
      if (offset >= activity.length) {
        activity = Arrays.copyOf(activity, Math.max(2 * activity.length, offset + 1));
      }
      if (activity[offset] == null) {
        activity[offset] = new Activity();
      }
      return activity[offset];
    }
  }

  private final CohortInput input;
  private final Map<CohortKey, Cohort> cohorts = new HashMap<>();

  CohortTally(CohortInput input) {
    this.input = input;
  }

  CohortInput input() {
    return input;
  }

  /** Adds one customer: the first purchase's period is the cohort. */
  void add(String segment, int firstDay, int lastPurchaseDay, Periods.View periods) {
    int cohort = input.period().index(firstDay);
    Cohort tally = cohorts.computeIfAbsent(new CohortKey(segment, cohort), key -> new Cohort());
    // both purchase days, the last not before the first (rows come in time order): 0 or more
    tally.addLifetime(input.period().index(lastPurchaseDay) - cohort, input.asOfDay() - lastPurchaseDay <= input.churnAfterDays());
    // Periods come in order; clean rows before the first purchase (returns) join period 0.
    int i = 0;
    while (i < periods.size()) {
      int offset = Math.max(0, periods.index(i) - cohort);
      double revenue = 0;
      boolean active = false;
      for (; i < periods.size() && Math.max(0, periods.index(i) - cohort) == offset; i++) {
        revenue += periods.revenue(i);
        active |= periods.purchased(i);
      }
      Activity activity = tally.activity(offset);
      activity.revenue += revenue;
      if (active) {
        activity.activeCustomers++;
      }
    }
  }

  void forEachLifetime(BiConsumer<LifetimeKey, Long> action) {
    cohorts.forEach(
        (key, cohort) -> {
          for (int lastActive = 0; lastActive < cohort.churned.length; lastActive++) {
            if (cohort.churned[lastActive] > 0) {
              action.accept(new LifetimeKey(key.segment(), key.cohort(), lastActive, false), cohort.churned[lastActive]);
            }
            if (cohort.stillActive[lastActive] > 0) {
              action.accept(new LifetimeKey(key.segment(), key.cohort(), lastActive, true), cohort.stillActive[lastActive]);
            }
          }
        });
  }

  void forEachActivity(BiConsumer<ActivityKey, Activity> action) {
    cohorts.forEach(
        (key, cohort) -> {
          for (int offset = 0; offset < cohort.activity.length; offset++) {
            if (cohort.activity[offset] != null) {
              action.accept(new ActivityKey(key.segment(), key.cohort(), offset), cohort.activity[offset]);
            }
          }
        });
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

    /** The periods as they stand now: rows added later change neither them nor their sums. */
    View view() {
      return size == 0
          ? new View(index, purchased, revenue, 0, 0, false)
          : new View(index, purchased, revenue, size, revenue[size - 1], purchased[size - 1]);
    }

    /**
     * The first {@code size} periods. Only the last of them changes as rows are added (a period
     * before it never does, and new ones go after it), so its sums are kept here as they were.
     */
    record View(int[] indexes, boolean[] purchases, double[] revenues, int size, double lastRevenue, boolean lastPurchased) {
      int index(int i) {
        return indexes[i];
      }

      double revenue(int i) {
        return i == size - 1 ? lastRevenue : revenues[i];
      }

      boolean purchased(int i) {
        return i == size - 1 ? lastPurchased : purchases[i];
      }
    }
  }

  /**
   * One customer's clean rows by period, kept once for all the snapshots (oldest first) instead of
   * once per snapshot (186 of the 2,802 task samples of a twelve-snapshot pass). Rows come in time order, so the rows a
   * snapshot counts, those of its day or before, come first: its periods are taken as they stand
   * when a row after its day arrives, or the customer's rows end. The revenue of its last period
   * is then summed to its day in row order, as a snapshot alone sums it.
   */
  static final class SnapshotPeriods {
    private final RetentionPeriod unit;
    private final int[] snapshotDays;
    private final Periods periods = new Periods();
    private final Periods.View[] views;
    private int taken;
    private int periodDay = Integer.MIN_VALUE;
    private int period;
    private String segment;

    SnapshotPeriods(RetentionPeriod unit, int[] snapshotDays) {
      this.unit = unit;
      this.snapshotDays = snapshotDays;
      this.views = new Periods.View[snapshotDays.length];
    }

    /** Adds a clean row; true when it is the customer's first purchase, whose segment is the customer's. */
    boolean add(int day, double value) {
      take(day);
      if (day != periodDay) {
        period = unit.index(day);
        periodDay = day;
      }
      periods.add(period, value);
      return segment == null && value >= 0;
    }

    /** The cohort segment of the customer's first purchase. */
    void segment(String firstPurchase) {
      segment = firstPurchase;
    }

    String segment() {
      return segment;
    }

    /** The periods the snapshot of this index counts, once the customer's rows have all been added. */
    Periods.View at(int snapshot) {
      take(Integer.MAX_VALUE);
      return views[snapshot];
    }

    /** Takes the periods of each snapshot before {@code day}. */
    private void take(int day) {
      for (; taken < snapshotDays.length && snapshotDays[taken] < day; taken++) {
        views[taken] = periods.view();
      }
    }
  }
}
