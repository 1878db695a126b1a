package dev.lifecycle.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CohortFitsTest {
  @Test
  void smallCohortsArePooledWithEachOtherOrBorrowABigNeighbourWithinASegment() {
    List<Cohort> cohorts =
        List.of(
            cohort("web", 1, 30),
            cohort("web", 2, 80),
            cohort("web", 3, 120),
            cohort("web", 4, 10),
            cohort("store", 1, 500));

    List<CohortFits.Group> groups = CohortFits.groups(cohorts, 100);

    assertThat(groups).hasSize(4);
    assertThat(groups.get(0).members()).extracting(Cohort::segment).containsExactly("store");
    assertThat(groups.get(0).pooled()).isFalse();
    // 30 + 80 reaches 100 together
    assertThat(groups.get(1).members()).extracting(Cohort::period).containsExactly(1, 2);
    assertThat(groups.get(1).data()).extracting(Cohort::period).containsExactly(1, 2);
    // 120 is big enough: fitted alone, not pooled with the short remainder after it
    assertThat(groups.get(2).members()).extracting(Cohort::period).containsExactly(3);
    assertThat(groups.get(2).pooled()).isFalse();
    // the remainder of 10 borrows the data of its big neighbour
    assertThat(groups.get(3).members()).extracting(Cohort::period).containsExactly(4);
    assertThat(groups.get(3).data()).extracting(Cohort::period).containsExactly(3, 4);
    assertThat(groups.get(3).lifetimes().customers()).isEqualTo(130);
    assertThat(groups.get(3).lifetimes().window()).isEqualTo(2);
  }

  @Test
  void aSmallRemainderAfterASmallRunJoinsThatRun() {
    List<CohortFits.Group> groups =
        CohortFits.groups(
            List.of(cohort("a", 0, 500), cohort("a", 1, 60), cohort("a", 2, 50), cohort("a", 3, 20)),
            100);

    assertThat(groups).hasSize(2);
    assertThat(groups.get(1).members()).extracting(Cohort::period).containsExactly(1, 2, 3);
    assertThat(groups.get(1).data()).isEqualTo(groups.get(1).members());
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

  /**
   * 1,000 customers, none churned in periods 1 to 5 and 10 in period 6: Weibull's shape runs to its
   * bound of 20 and wins on AIC, projecting S(24) = 0, every customer gone. With no holdout error
   * to show for it (the first 3 periods hold no churn to refit on), it does not compete with the
   * constant curve inside its bounds, which projects 0.96.
   */
  @Test
  void aFitOnItsBoundWithoutAHoldoutErrorDoesNotBeatOneInside() {
    CohortFits.GroupFit fit = CohortFits.fit(group(new int[] {0, 0, 0, 0, 0, 10}, 6), 3);

    CurveFit weibull = model(fit, SurvivalModel.WEIBULL).fit();
    CurveFit selected = selected(fit).fit();
    assertThat(weibull.onBound()).isTrue();
    assertThat(weibull.aic()).isLessThan(selected.aic());
    assertThat(weibull.survival(24)).isLessThan(1e-6);
    assertThat(selected.onBound()).isFalse();
    assertThat(selected.survival(24)).isGreaterThan(0.9);
  }

  /**
   * 6% churn in period 1 and nobody after: sBG's α and β both run to 0 (a share that churns at
   * once, the rest never), on its bound, and its holdout error is far below constant retention's:
   * it stays selected, as on the demo sample's and Online Retail's youngest cohorts.
   */
  @Test
  void aFitOnItsBoundWithTheBetterHoldoutErrorStaysSelected() {
    CohortFits.GroupFit fit = CohortFits.fit(group(new int[] {60, 0, 0, 0, 0, 0, 0, 0}, 8), 3);

    CohortFits.ModelFit selected = selected(fit);
    CohortFits.ModelFit constant = model(fit, SurvivalModel.CONSTANT);
    assertThat(selected.fit().onBound()).as(selected.fit().status()).isTrue();
    assertThat(selected.holdoutMape().getAsDouble()).isLessThan(constant.holdoutMape().getAsDouble());
    assertThat(selected.fit().survival(24)).isCloseTo(0.94, within(0.005));
  }

  /** 1,000 customers observed for {@code window} periods, {@code churned[t - 1]} churning in period t. */
  private static CohortFits.Group group(int[] churned, int window) {
    Lifetimes data = Lifetimes.observedThrough(window);
    long alive = 1000;
    for (int t = 1; t <= window; t++) {
      data.add(t - 1, false, churned[t - 1]);
      alive -= churned[t - 1];
    }
    data.add(window, true, alive);
    return CohortFits.groups(List.of(new Cohort("all", 0, data)), 100).get(0);
  }

  private static CohortFits.ModelFit selected(CohortFits.GroupFit fit) {
    return fit.models().stream().filter(CohortFits.ModelFit::selected).findFirst().orElseThrow();
  }

  private static CohortFits.ModelFit model(CohortFits.GroupFit fit, SurvivalModel model) {
    return fit.models().stream().filter(m -> m.fit().model() == model).findFirst().orElseThrow();
  }

  @Test
  void holdoutErrorByHand() {
    // Fit sBG on years 0..5, compare with the actual survivors of years 6 and 7.
    Lifetimes data = FaderHardie.calibration(FaderHardie.REGULAR);
    CurveFit early = SurvivalFit.fit(SurvivalModel.SBG, data.truncate(5));
    double expected =
        100 * (Math.abs(early.survival(6) - 0.262) / 0.262 + Math.abs(early.survival(7) - 0.241) / 0.241) / 2;

    assertThat(CohortFits.holdoutMape(SurvivalModel.SBG, List.of(data), 2).getAsDouble())
        .isCloseTo(expected, within(1e-9));
  }

  @Test
  void noHoldoutWhenTheWindowIsTooShort() {
    Lifetimes data = Lifetimes.observedThrough(2).add(0, false, 10).add(2, true, 10);

    assertThat(CohortFits.holdoutMape(SurvivalModel.SBG, List.of(data), 2)).isEmpty();
  }

  @Test
  void aPooledHoldoutCutsEveryCohortAtItsOwnWindow() {
    // An old cohort (window 6) and a young one (window 3), holdout 2: the refit sees the old one
    // through period 4 and the young one through period 1, and is scored on periods 5 and 6.
    Lifetimes old = Lifetimes.observedThrough(6);
    for (int t = 0; t < 6; t++) {
      old.add(t, false, 20 - 2 * t);
    }
    old.add(6, true, 40);
    Lifetimes young = Lifetimes.observedThrough(3).add(0, false, 30).add(2, false, 10).add(3, true, 40);
    CurveFit refit = SurvivalFit.fit(SurvivalModel.SBG, old.truncate(4).plus(young.truncate(1)));
    double[] observed = old.plus(young).kaplanMeier();
    double expected =
        100 * (Math.abs(refit.survival(5) - observed[5]) / observed[5]
            + Math.abs(refit.survival(6) - observed[6]) / observed[6]) / 2;

    assertThat(CohortFits.holdoutMape(SurvivalModel.SBG, List.of(old, young), 2).getAsDouble())
        .isCloseTo(expected, within(1e-9));
  }

  /** A cohort observed through {@code 5 - period} with half churning in period 1. */
  private static Cohort cohort(String segment, int period, long customers) {
    Lifetimes data = Lifetimes.observedThrough(5 - period);
    data.add(0, false, customers / 2).add(5 - period, true, customers - customers / 2);
    return new Cohort(segment, period, data);
  }
}
