package dev.lifecycle.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.config.LifecycleConfig;
import org.junit.jupiter.api.Test;

/** Defaults: exploration 90 days, windows of 91 days, growth 10%, lost below 0.2, long = 4. */
class LifecycleStagesTest {
  private final LifecycleStages stages =
      new LifecycleStages(new LifecycleConfig.Lifecycle(90, 91, 8, 0.1, 0.2, 4), 180);
  private static final int[] EVERY_WINDOW = {1, 1, 1, 1, 1, 1, 1, 1};

  @Test
  void growthRuleOnTheLastTwoWindows() {
    assertThat(stage(new double[] {0, 0, 0, 0, 0, 0, 100, 120})).isEqualTo("formation");
    assertThat(stage(new double[] {0, 0, 0, 0, 0, 0, 100, 105})).isEqualTo("stability");
    assertThat(stage(new double[] {0, 0, 0, 0, 0, 0, 100, 80})).isEqualTo("decline");
  }

  @Test
  void newSingleAndLostCustomers() {
    double[] spend = {0, 0, 0, 0, 0, 0, 100, 120};
    assertThat(stages.classify(spend, EVERY_WINDOW, 30, 5, 5, 0.9).stage()).isEqualTo("exploration");
    assertThat(stages.classify(spend, EVERY_WINDOW, 700, 5, 1, 0.9).stage()).isEqualTo("exploration");
    assertThat(stages.classify(spend, EVERY_WINDOW, 700, 5, 5, 0.1).stage()).isEqualTo("lost");
    assertThat(stages.classify(spend, EVERY_WINDOW, 700, 200, 5, 0.9).stage()).isEqualTo("lost");
    assertThat(stages.classify(spend, EVERY_WINDOW, 700, 5, 5, Double.NaN).stage()).isEqualTo("formation");
  }

  @Test
  void patternsOfLostCustomers() {
    // quiet for the last two windows (182 days > 180), so lost
    int[] days = {1, 1, 1, 1, 1, 1, 0, 0};
    assertThat(pattern(new double[] {10, 20, 40, 80, 160, 320, 0, 0}, days)).isEqualTo("II");
    assertThat(pattern(new double[] {100, 100, 100, 100, 100, 100, 0, 0}, days)).isEqualTo("IV");
    assertThat(pattern(new double[] {10, 20, 40, 40, 20, 10, 0, 0}, days)).isEqualTo("III");
    assertThat(stages.classify(new double[8], new int[8], 900, 800, 1, 0.05).pattern()).isEqualTo("I");
    assertThat(stages.classify(new double[8], new int[8], 900, 800, 4, 0.05).pattern()).isEqualTo("unknown");
    assertThat(stages.classify(new double[] {0, 0, 0, 0, 0, 0, 100, 120}, EVERY_WINDOW, 700, 5, 9, 0.9).pattern())
        .isEqualTo("ongoing");
  }

  /**
   * A customer of 20 purchase days, 18 of them before the history's windows: by the end of the
   * first window they had 19, so they were not exploring there, whatever the windows alone count.
   */
  @Test
  void purchasesBeforeTheHistoryCountTowardsThePattern() {
    int[] days = {1, 1, 0, 0, 0, 0, 0, 0};
    LifecycleStages.Result grew = stages.classify(new double[] {50, 80, 0, 0, 0, 0, 0, 0}, days, 1500, 560, 20, 0.05);
    assertThat(grew.stage()).isEqualTo("lost");
    assertThat(grew.pattern()).isEqualTo("II");
    // one purchase day in the windows, then quiet: nothing in the history to tell, not exploration
    int[] once = {1, 0, 0, 0, 0, 0, 0, 0};
    assertThat(stages.classify(new double[] {50, 0, 0, 0, 0, 0, 0, 0}, once, 1500, 650, 20, 0.05).pattern())
        .isEqualTo("unknown");
    // two purchase days in the first window and none before, 63 days after the first: exploring then
    int[] twice = {2, 0, 0, 0, 0, 0, 0, 0};
    assertThat(stages.classify(new double[] {50, 0, 0, 0, 0, 0, 0, 0}, twice, 700, 650, 2, 0.05).pattern()).isEqualTo("I");
  }

  private String stage(double[] spend) {
    return stages.classify(spend, EVERY_WINDOW, 700, 5, 9, 0.9).stage();
  }

  private String pattern(double[] spend, int[] days) {
    LifecycleStages.Result result = stages.classify(spend, days, 800, 190, 7, 0.5);
    assertThat(result.stage()).isEqualTo("lost");
    return result.pattern();
  }
}
