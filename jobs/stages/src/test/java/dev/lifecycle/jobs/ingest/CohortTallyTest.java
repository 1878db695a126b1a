package dev.lifecycle.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.config.RetentionPeriod;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A partition's customers counted by cohort: lifetimes, and activity by period since acquisition. */
class CohortTallyTest {
  private static final RetentionPeriod MONTH = RetentionPeriod.MONTH;

  @Test
  void customersAreCountedByCohortLastActivePeriodAndActivityPerPeriod() {
    // As of March 31st; a customer quiet for more than 60 days has churned.
    CohortTally tally = new CohortTally(new CohortInput(MONTH, day("2024-03-31"), 60));
    int january = MONTH.index(day("2024-01-01"));
    int february = MONTH.index(day("2024-02-01"));

    // Bought in January and March, returned something in February: active in periods 0 and 2.
    tally.add("web", day("2024-01-10"), day("2024-03-05"), periods("2024-01-10", 10.0, "2024-02-03", -2.0, "2024-03-05", 5.0));
    // A return in December before the first purchase in January: it joins period 0.
    tally.add("web", day("2024-01-15"), day("2024-01-15"), periods("2023-12-20", -1.0, "2024-01-15", 20.0));
    // Another segment's customer, acquired in February.
    tally.add("shop", day("2024-02-10"), day("2024-02-10"), periods("2024-02-10", 7.5));

    Map<CohortTally.LifetimeKey, Long> lifetimes = new HashMap<>();
    tally.forEachLifetime(lifetimes::put);
    assertThat(lifetimes)
        .containsOnly(
            Map.entry(new CohortTally.LifetimeKey("web", january, 2, true), 1L),
            Map.entry(new CohortTally.LifetimeKey("web", january, 0, false), 1L),
            Map.entry(new CohortTally.LifetimeKey("shop", february, 0, true), 1L));

    Map<CohortTally.ActivityKey, List<Number>> activity = new HashMap<>();
    tally.forEachActivity((key, a) -> activity.put(key, List.of(a.activeCustomers, a.revenue)));
    assertThat(activity)
        .containsOnly(
            Map.entry(new CohortTally.ActivityKey("web", january, 0), List.of(2L, 10.0 + 19.0)),
            Map.entry(new CohortTally.ActivityKey("web", january, 1), List.of(0L, -2.0)),
            Map.entry(new CohortTally.ActivityKey("web", january, 2), List.of(1L, 5.0)),
            Map.entry(new CohortTally.ActivityKey("shop", february, 0), List.of(1L, 7.5)));
  }

  @Test
  void eachSnapshotSeesTheRowsOfItsDayOrBeforeSummedAsItAloneWouldSumThem() {
    int january = MONTH.index(day("2024-01-01"));
    int[] snapshots = {day("2024-01-15"), day("2024-01-31"), day("2024-02-29")};
    CohortTally.SnapshotPeriods periods = new CohortTally.SnapshotPeriods(MONTH, snapshots);

    assertThat(periods.add(day("2024-01-02"), -0.5)).as("a return first: not the first purchase").isFalse();
    assertThat(periods.add(day("2024-01-03"), 0.1)).as("the first purchase").isTrue();
    periods.segment("web");
    assertThat(periods.add(day("2024-01-15"), 0.2)).isFalse();
    periods.add(day("2024-01-20"), 0.3); // after the first snapshot, in the same month

    CohortTally.Periods.View first = periods.at(0);
    assertThat(first.size()).isEqualTo(1);
    assertThat(first.index(0)).isEqualTo(january);
    assertThat(first.revenue(0)).isEqualTo(-0.5 + 0.1 + 0.2);
    assertThat(first.purchased(0)).isTrue();
    CohortTally.Periods.View second = periods.at(1);
    assertThat(second.size()).isEqualTo(1);
    assertThat(second.revenue(0)).isEqualTo(-0.5 + 0.1 + 0.2 + 0.3).isNotEqualTo(first.revenue(0));
    assertThat(periods.at(2)).isEqualTo(second);
    assertThat(periods.segment()).isEqualTo("web");
  }

  /** A customer's clean rows as (date, amount) pairs, in time order. */
  private static CohortTally.Periods.View periods(Object... dateAndAmount) {
    CohortTally.Periods periods = new CohortTally.Periods();
    for (int i = 0; i < dateAndAmount.length; i += 2) {
      periods.add(MONTH.index(day((String) dateAndAmount[i])), (Double) dateAndAmount[i + 1]);
    }
    return periods.view();
  }

  private static int day(String date) {
    return (int) LocalDate.parse(date).toEpochDay();
  }
}
