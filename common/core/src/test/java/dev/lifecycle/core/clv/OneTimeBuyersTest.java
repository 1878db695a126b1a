package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.PeriodUnit;
import dev.lifecycle.core.mle.BoundedMle;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A population where every customer bought once: no repeat purchase to learn a rate from. The
 * likelihood is then highest as the rate goes to 0, so the fits end at their bounds with a
 * log-likelihood near 0, finite throughout, and every score is finite.
 */
class OneTimeBuyersTest {
  private static final LifecycleConfig.Clv TERMS =
      new LifecycleConfig.Clv(LifecycleConfig.PurchaseModel.BG_NBD, 12, PeriodUnit.MONTH, 0.3, 0.1, 0, 0, 5, 200, 1, 90);

  private static RepeatPatterns everyoneOnce() {
    RepeatPatterns patterns = new RepeatPatterns();
    for (int weeks = 1; weeks <= 78; weeks++) {
      patterns.add(0, 0, weeks, 100);
    }
    return patterns;
  }

  @Test
  void bothPurchaseModelsFitFiniteAndScoreFinite() {
    for (LifecycleConfig.PurchaseModel model : LifecycleConfig.PurchaseModel.CANDIDATES) {
      BoundedMle.Estimate fit = PurchaseProcess.of(model).fit(everyoneOnce());
      assertThat(fit.found()).as("%s: %s", model, fit.failure()).isTrue();
      assertThat(Arrays.stream(fit.parameters()).allMatch(Double::isFinite)).as("%s parameters", model).isTrue();
      // 0 at most, up to rounding in the last digits of a sum of log-beta differences
      assertThat(fit.logLikelihood()).as("%s log-likelihood", model).isFinite().isBetween(-0.01, 1e-8);
      CustomerValue value = new CustomerValue(model, fit.parameters(), new double[] {6, 4, 15}, 7, TERMS);
      for (double weeks : new double[] {1, 39, 78}) {
        CustomerValue.Score score = value.score(0, 0, weeks, Double.NaN, 20);
        assertThat(score.pAlive()).as("%s P(alive), T=%s", model, weeks).isBetween(0.0, 1.0);
        assertThat(score.expectedPurchases()).as("%s purchases", model).isFinite().isBetween(0.0, 0.01);
        assertThat(score.clv()).as("%s CLV", model).isFinite().isNotNegative();
      }
    }
  }

  /**
   * Every customer's first purchase on the snapshot day (T = 0): the likelihood is 1 whatever the
   * parameters, and the search ended on its start, r = α = a = b = 1, reported as "fitted; flat
   * likelihood" and scoring every customer 3.97 purchases. No model is fitted now, and says why.
   */
  @Test
  void withNoTimeObservedNoModelIsFitted() {
    RepeatPatterns today = new RepeatPatterns().add(0, 0, 0, 4_188);
    for (LifecycleConfig.PurchaseModel model : LifecycleConfig.PurchaseModel.CANDIDATES) {
      BoundedMle.Estimate fit = PurchaseProcess.of(model).fit(today);
      assertThat(fit.found()).as("%s", model).isFalse();
      assertThat(fit.failure())
          .isEqualTo("no time observed: every customer's first purchase is on the snapshot day (T = 0), which says"
              + " nothing of purchase rates or drop-out");
    }
    assertThat(PurchaseProcess.of(LifecycleConfig.PurchaseModel.BG_NBD).fit(today.add(0, 0, 1, 1)).found()).isTrue();
  }
}
