package dev.lifecycle.common.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CohortFitsTest {
  @Test
  void smallCohortsArePooledWithTheirNeighboursWithinASegment() {
    List<Cohort> cohorts =
        List.of(
            cohort("web", 1, 30),
            cohort("web", 2, 80),
            cohort("web", 3, 120),
            cohort("web", 4, 10),
            cohort("store", 1, 500));

    List<CohortFits.Group> groups = CohortFits.groups(cohorts, 100);

    assertThat(groups).hasSize(3);
    assertThat(groups.get(0).members()).extracting(Cohort::segment, Cohort::period)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("store", 1));
    // 30 + 80 reaches 100; 120 is big enough alone and takes the short remainder of 10
    assertThat(groups.get(1).members()).extracting(Cohort::period).containsExactly(1, 2);
    assertThat(groups.get(2).members()).extracting(Cohort::period).containsExactly(3, 4);
    assertThat(groups.get(2).lifetimes().customers()).isEqualTo(130);
    assertThat(groups.get(2).lifetimes().window()).isEqualTo(2);
  }

  @Test
  void aSegmentTooSmallAltogetherIsOneGroup() {
    List<CohortFits.Group> groups = CohortFits.groups(List.of(cohort("a", 1, 5), cohort("a", 2, 5)), 100);

    assertThat(groups).singleElement().satisfies(g -> assertThat(g.pooled()).isTrue());
  }

  @Test
  void theLowestAicIsSelectedAndEveryModelHasAHoldoutError() {
    Lifetimes data = FaderHardie.calibration(FaderHardie.REGULAR);
    CohortFits.Group group = CohortFits.groups(List.of(new Cohort("all", 0, data)), 100).get(0);

    CohortFits.GroupFit fit = CohortFits.fit(group, 2);

    CohortFits.ModelFit selected =
        fit.models().stream().filter(CohortFits.ModelFit::selected).findFirst().orElseThrow();
    for (CohortFits.ModelFit model : fit.models()) {
      assertThat(selected.fit().aic()).isLessThanOrEqualTo(model.fit().aic());
      assertThat(model.holdoutMape()).isPresent();
    }
    assertThat(fit.models()).filteredOn(CohortFits.ModelFit::selected).hasSize(1);
  }

  @Test
  void holdoutErrorByHand() {
    // Fit sBG on years 0..5, compare with the actual survivors of years 6 and 7.
    Lifetimes data = FaderHardie.calibration(FaderHardie.REGULAR);
    CurveFit early = SurvivalFit.fit(SurvivalModel.SBG, data.truncate(5));
    double expected =
        100 * (Math.abs(early.survival(6) - 0.262) / 0.262 + Math.abs(early.survival(7) - 0.241) / 0.241) / 2;

    assertThat(CohortFits.holdoutMape(SurvivalModel.SBG, data, 2).getAsDouble())
        .isCloseTo(expected, within(1e-9));
  }

  @Test
  void noHoldoutWhenTheWindowIsTooShort() {
    Lifetimes data = Lifetimes.observedThrough(2).add(0, false, 10).add(2, true, 10);

    assertThat(CohortFits.holdoutMape(SurvivalModel.SBG, data, 2)).isEmpty();
  }

  /** A cohort observed through {@code 5 - period} with half churning in period 1. */
  private static Cohort cohort(String segment, int period, long customers) {
    Lifetimes data = Lifetimes.observedThrough(5 - period);
    data.add(0, false, customers / 2).add(5 - period, true, customers - customers / 2);
    return new Cohort(segment, period, data);
  }
}
