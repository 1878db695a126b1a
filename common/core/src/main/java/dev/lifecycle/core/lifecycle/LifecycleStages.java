package dev.lifecycle.core.lifecycle;

import dev.lifecycle.core.config.LifecycleConfig;
import java.io.Serializable;

/**
 * Lifecycle stage and pattern of a customer, from the spend and purchase days in comparable
 * windows ending at the snapshot (oldest first), with the growth-rate rule of the literature:
 * growth in spend between the last two windows above the threshold is formation, from 0 to the
 * threshold stability, below 0 decline; inside the exploration window after the first purchase,
 * or with one purchase only, exploration; lost when P(alive) is below its threshold or the
 * customer has been quiet past the churn threshold.
 *
 * <p>The same rule applied at the end of each earlier window gives the stage history, where lost
 * means no purchase in the windows covering the churn threshold. A lost customer's pattern is the
 * furthest stage reached: I ended in exploration, II reached formation, III reached stability for
 * fewer than the long-stability windows, IV for at least that many. A customer not lost is
 * ongoing. A lost customer with several purchases, all before the history, is unknown.
 */
public final class LifecycleStages implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String EXPLORATION = "exploration";
  public static final String FORMATION = "formation";
  public static final String STABILITY = "stability";
  public static final String DECLINE = "decline";
  public static final String LOST = "lost";
  public static final String ONGOING = "ongoing";
  public static final String UNKNOWN = "unknown";

  private final LifecycleConfig.Lifecycle config;
  private final int churnAfterDays;

  public LifecycleStages(LifecycleConfig.Lifecycle config, int churnAfterDays) {
    this.config = config;
    this.churnAfterDays = churnAfterDays;
  }

  /** A customer's stage now and pattern. */
  public record Result(String stage, String pattern) {}

  /**
   * {@code spend} and {@code purchaseDays} per window, oldest first, the last ending at the
   * snapshot; {@code pAlive} may be NaN when no purchase model was fitted.
   */
  public Result classify(
      double[] spend, int[] purchaseDays, int tenureDays, int recencyDays, long purchaseDaysTotal, double pAlive) {
    boolean lost = pAlive < config.lostBelow() || recencyDays > churnAfterDays;
    String now =
        lost
            ? LOST
            : tenureDays < config.explorationDays() || purchaseDaysTotal <= 1
                ? EXPLORATION
                : growthStage(spend, spend.length - 1);
    if (!lost) {
      return new Result(now, ONGOING);
    }
    if (purchaseDaysTotal <= 1) {
      return new Result(now, "I");
    }
    return new Result(now, pattern(spend, purchaseDays, tenureDays, purchaseDaysTotal));
  }

  /**
   * The furthest stage reached in the history before the customer was lost. The purchase days by
   * the end of a window count those before the history too: all of them, less the later windows'.
   */
  private String pattern(double[] spend, int[] purchaseDays, int tenureDays, long purchaseDaysTotal) {
    int n = spend.length;
    int quietWindows = (churnAfterDays + config.windowDays() - 1) / config.windowDays();
    int reached = -1;
    int stable = 0;
    long purchasesBefore = purchaseDaysTotal;
    for (int day : purchaseDays) {
      purchasesBefore -= day;
    }
    for (int k = 0; k < n; k++) {
      purchasesBefore += purchaseDays[k];
      int daysSinceFirst = tenureDays - (n - 1 - k) * config.windowDays();
      if (daysSinceFirst < 0 || purchasesBefore == 0) {
        continue; // not yet acquired
      }
      if (quietThrough(purchaseDays, k, quietWindows)) {
        continue;
      }
      boolean exploring = daysSinceFirst < config.explorationDays() || purchasesBefore <= 1;
      if (!exploring && k == 0) {
        continue; // no window before it to grow from
      }
      String stage = exploring ? EXPLORATION : growthStage(spend, k);
      switch (stage) {
        case EXPLORATION -> reached = Math.max(reached, 0);
        case FORMATION -> reached = Math.max(reached, 1);
        case STABILITY -> {
          reached = Math.max(reached, 2);
          stable++;
        }
        default -> {}
      }
    }
    if (reached < 0) {
      return UNKNOWN;
    }
    if (reached == 2) {
      return stable >= config.longStabilityWindows() ? "IV" : "III";
    }
    return reached == 1 ? "II" : "I";
  }

  private static boolean quietThrough(int[] purchaseDays, int k, int windows) {
    if (k + 1 < windows) {
      return false;
    }
    for (int j = k - windows + 1; j <= k; j++) {
      if (purchaseDays[j] > 0) {
        return false;
      }
    }
    return true;
  }

  /** Growth of window k's spend over window k − 1's. */
  private String growthStage(double[] spend, int k) {
    double before = spend[k - 1];
    double after = spend[k];
    if (!(before > 0)) {
      return after > 0 ? FORMATION : DECLINE;
    }
    double growth = (after - before) / before;
    if (growth > config.growth()) {
      return FORMATION;
    }
    return growth >= 0 ? STABILITY : DECLINE;
  }
}
