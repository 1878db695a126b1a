package dev.lifecycle.core.clv;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import java.io.Serializable;
import java.util.List;

/**
 * Scores one customer with the fitted models: P(alive), the expected purchases over the CLV
 * horizon, the expected value per purchase (Gamma-Gamma), and CLV, the discounted expected
 * margin. The horizon runs in steps of the configured time unit; the purchases expected in step k
 * are E[Y(t_k)] − E[Y(t_(k−1))], discounted by (1 + d)^−(k × step in years). All times convert
 * through days, so the model's unit and the horizon's unit are both explicit.
 */
public final class CustomerValue implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double DAYS_PER_YEAR = 365.25;

  private final LifecycleConfig.PurchaseModel model;
  /** Resolved from {@link #model} where the scorer runs: method references do not serialize. */
  private transient PurchaseProcess process;
  private final double[] purchase;
  private final double[] spend;
  private final double margin;
  /** The end of each step of the horizon, in model units. */
  private final double[] stepEnds;
  private final double stepDiscount;

  /**
   * One customer's scores. Expected spend is Gamma-Gamma's, or the customer's own mean spend when
   * no usable spend model was fitted; it and CLV are NaN when neither is known.
   */
  public record Score(double pAlive, double expectedPurchases, double expectedSpend, double clv) {}

  /**
   * {@code spend} is null when there is no usable Gamma-Gamma fit (see {@link
   * GammaGamma#fitForClv}); {@code modelUnitDays} is the length in days of the unit of the BTYD
   * summary.
   */
  public CustomerValue(
      LifecycleConfig.PurchaseModel model,
      double[] purchase,
      double[] spend,
      double modelUnitDays,
      LifecycleConfig.Clv clv) {
    this.model = model;
    this.purchase = purchase.clone();
    this.spend = spend == null ? null : spend.clone();
    this.margin = clv.margin();
    double step = clv.timeUnit().days() / modelUnitDays;
    this.stepEnds = new double[clv.horizon()];
    for (int k = 0; k < stepEnds.length; k++) {
      stepEnds[k] = (k + 1) * step;
    }
    this.stepDiscount = Math.pow(1 + clv.discountRate(), -clv.timeUnit().days() / DAYS_PER_YEAR);
  }

  /**
   * {@code repeatValue} is the mean value of the repeat purchases, NaN when there are none; {@code
   * meanSpend} the mean value of all the customer's purchases, used without a spend model.
   */
  public Score score(double x, double tx, double bigT, double repeatValue, double meanSpend) {
    if (process == null) {
      process = PurchaseProcess.of(model);
    }
    double alive = process.probabilityAlive(purchase, x, tx, bigT);
    double[] cumulative = process.expectedPurchasesIfAlive(purchase, stepEnds, x, bigT);
    double discounted = 0;
    double before = 0;
    double factor = 1;
    for (double purchases : cumulative) {
      factor *= stepDiscount;
      discounted += (purchases - before) * factor;
      before = purchases;
    }
    double value = spend == null ? meanSpend : expectedValue(x, repeatValue);
    return new Score(alive, alive * before, value, margin * value * alive * discounted);
  }

  /**
   * Gamma-Gamma's E[M | x, z̄]; without usable repeat purchases (none, or netted to nothing) the
   * population mean p γ / (q − 1), which is infinite, so NaN, when q &lt;= 1.
   */
  private double expectedValue(double x, double repeatValue) {
    if (x > 0 && repeatValue > 0) {
      return GammaGamma.expectedValue(spend, x, repeatValue);
    }
    return spend[1] > 1 ? GammaGamma.expectedValue(spend, 0, 0) : Double.NaN;
  }
}
