package dev.lifecycle.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Data that cannot identify a curve get a reason; odd but usable data get finite numbers. */
class DegenerateCohortTest {
  @ParameterizedTest
  @EnumSource(SurvivalModel.class)
  void everyoneChurnedInPeriodOne(SurvivalModel model) {
    Lifetimes data = Lifetimes.observedThrough(6).add(0, false, 40);

    assertThat(SurvivalFit.fit(model, data).status())
        .isEqualTo("not fitted: every customer observed past period 0 churned in period 1");
    // Customers censored at period 0 (acquired in the snapshot's period) say nothing past it
    assertThat(SurvivalFit.fit(model, Lifetimes.observedThrough(6).add(0, false, 5).add(0, true, 135)).status())
        .isEqualTo("not fitted: every customer observed past period 0 churned in period 1");
  }

  /**
   * A cohort observed for one period (30 churned, 70 still active) shows one retention rate, 0.7:
   * constant retention is fitted to it, and the models of two or three parameters, whose
   * likelihood has a ridge there (sBG's α / (α + β) alone is fixed), are not: sBG had been
   * "fitted" with standard errors of 199 and 465 that measured rounding.
   */
  @ParameterizedTest
  @EnumSource(SurvivalModel.class)
  void onePeriodIdentifiesOneParameter(SurvivalModel model) {
    Lifetimes data = Lifetimes.observedThrough(1).add(0, false, 30).add(1, true, 70);

    CurveFit fit = SurvivalFit.fit(model, data);

    if (model == SurvivalModel.CONSTANT) {
      assertThat(fit.status()).isEqualTo("fitted");
      assertThat(fit.retentionRate(1)).isCloseTo(0.7, org.assertj.core.api.Assertions.within(1e-8));
    } else {
      assertThat(fit.status())
          .isEqualTo("not fitted: " + model.parameters().size() + " parameters from 1 observed period, which cannot tell"
              + " them apart");
    }
  }

  @ParameterizedTest
  @EnumSource(SurvivalModel.class)
  void nobodyChurned(SurvivalModel model) {
    Lifetimes data = Lifetimes.observedThrough(6).add(6, true, 30).add(2, true, 10);

    assertThat(SurvivalFit.fit(model, data).status()).isEqualTo("not fitted: nobody churned");
  }

  @ParameterizedTest
  @EnumSource(SurvivalModel.class)
  void aSingleCustomer(SurvivalModel model) {
    Lifetimes data = Lifetimes.observedThrough(6).add(3, false, 1);

    CurveFit fit = SurvivalFit.fit(model, data);

    assertThat(fit.status()).isEqualTo("not fitted: a single customer");
    assertThat(fit.fitted()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(SurvivalModel.class)
  void aCohortAcquiredThisPeriod(SurvivalModel model) {
    Lifetimes data = Lifetimes.observedThrough(0).add(0, true, 25);

    assertThat(SurvivalFit.fit(model, data).status())
        .isEqualTo("not fitted: no customer observed for a full period yet");
  }

  @ParameterizedTest
  @EnumSource(SurvivalModel.class)
  void oddButUsableDataGiveFiniteResults(SurvivalModel model) {
    Lifetimes[] odd = {
      // no heterogeneity to see: two customers, churned at 2 and 3
      Lifetimes.observedThrough(5).add(1, false, 1).add(2, false, 1),
      // one churn at 1 and one censored at 2 (BOBYQA's trust region step fails on sBG here): two
      // periods, too few for BdW's three parameters
      Lifetimes.observedThrough(3).add(0, false, 1).add(2, true, 1),
      // one churn among a thousand
      Lifetimes.observedThrough(10).add(0, false, 1).add(10, true, 999),
      // all but one churn at once
      Lifetimes.observedThrough(10).add(0, false, 999).add(10, true, 1),
      // a long window, every period churning a few
      longTail()
    };
    for (Lifetimes data : odd) {
      CurveFit fit = SurvivalFit.fit(model, data);
      int periods = SurvivalFit.observedPeriods(data);
      if (model.parameters().size() > periods) {
        assertThat(fit.status())
            .isEqualTo("not fitted: " + model.parameters().size() + " parameters from " + periods
                + " observed periods, which cannot tell them apart");
        continue;
      }

      assertThat(fit.fitted()).as(fit.status()).isTrue();
      assertThat(Arrays.stream(fit.parameters()).allMatch(Double::isFinite)).isTrue();
      assertThat(fit.logLikelihood()).isFinite();
      fit.standardErrorsIfKnown()
          .ifPresent(se -> assertThat(Arrays.stream(se).allMatch(Double::isFinite)).isTrue());
      for (int t = 1; t <= 120; t++) {
        assertThat(fit.survival(t)).isBetween(0.0, 1.0);
        assertThat(fit.retentionRate(t)).as("r(%d) of %s", t, model).isFinite();
      }
    }
  }

  @Test
  void aParameterOnItsBoundIsSaidAndHasNoStandardErrors() {
    // Two customers churning at 2 and 3 show no heterogeneity: sBG runs alpha and beta to the top.
    Lifetimes data = Lifetimes.observedThrough(5).add(1, false, 1).add(2, false, 1);

    CurveFit fit = SurvivalFit.fit(SurvivalModel.SBG, data);

    assertThat(fit.status()).matches("fitted; (alpha|beta) at its bound, no standard errors");
    assertThat(fit.standardErrorsIfKnown()).isEmpty();
  }

  private static Lifetimes longTail() {
    Lifetimes data = Lifetimes.observedThrough(60);
    for (int t = 0; t < 60; t++) {
      data.add(t, false, 3);
    }
    return data.add(60, true, 50);
  }
}
