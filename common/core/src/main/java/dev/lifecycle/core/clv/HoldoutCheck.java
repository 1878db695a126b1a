package dev.lifecycle.core.clv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A purchase model's forecast for a holdout period set against what customers did in it, as in
 * Fader, Hardie &amp; Lee (2005), section 5: conditional expectations by calibration frequency,
 * P(alive) against the share who bought again, and per-customer error. Customers who share a
 * calibration history (x, t_x, T) and a holdout count share a {@link Group}, so the check runs on
 * the driver over what Spark compresses the customers to, as the fit does.
 */
public final class HoldoutCheck {
  /** Calibration frequencies 0 to this, and one bucket for this and more. */
  public static final int TOP_FREQUENCY = 7;
  private static final int DECILES = 10;

  /** Customers with one calibration history and one count of holdout purchases. */
  public record Group(double x, double tx, double bigT, double holdoutPurchases, long customers) {}

  /**
   * One row of a breakdown: its key ({@code 0} … {@code 7+} for frequency, {@code 1} … {@code
   * 10} for P(alive) deciles), customers, and the mean actual and predicted values: holdout
   * purchases by frequency; the share who bought and the mean P(alive) by decile.
   */
  public record Bucket(String key, long customers, double actual, double predicted) {}

  /**
   * Per-customer mean absolute and root mean squared error of holdout purchases, the total
   * forecast error in percent of the actual total, and the bias (mean predicted − actual).
   */
  public record Metrics(
      long customers, double actualTotal, double predictedTotal, double mae, double rmse,
      double totalErrorPercent, double bias) {}

  public record Result(List<Bucket> byFrequency, List<Bucket> aliveDeciles, Metrics metrics) {}

  private HoldoutCheck() {}

  /**
   * Checks {@code process} at parameters {@code p} over a holdout of {@code holdoutLength} model
   * time units that starts at each customer's T.
   */
  public static Result of(PurchaseProcess process, double[] p, double holdoutLength, List<Group> groups) {
    int n = groups.size();
    double[] predicted = new double[n];
    double[] alive = new double[n];
    double[][] byFrequency = new double[TOP_FREQUENCY + 1][3];
    long customers = 0;
    double actualTotal = 0;
    double predictedTotal = 0;
    double absolute = 0;
    double squared = 0;
    for (int i = 0; i < n; i++) {
      Group g = groups.get(i);
      alive[i] = process.probabilityAlive(p, g.x(), g.tx(), g.bigT());
      predicted[i] =
          process.expectedPurchasesIfAlive(p, new double[] {holdoutLength}, g.x(), g.bigT())[0] * alive[i];
      double[] bucket = byFrequency[(int) Math.min(g.x(), TOP_FREQUENCY)];
      bucket[0] += g.customers();
      bucket[1] += g.customers() * g.holdoutPurchases();
      bucket[2] += g.customers() * predicted[i];
      customers += g.customers();
      actualTotal += g.customers() * g.holdoutPurchases();
      predictedTotal += g.customers() * predicted[i];
      double error = predicted[i] - g.holdoutPurchases();
      absolute += g.customers() * Math.abs(error);
      squared += g.customers() * error * error;
    }
    List<Bucket> frequency = new ArrayList<>();
    for (int x = 0; x <= TOP_FREQUENCY; x++) {
      double[] b = byFrequency[x];
      if (b[0] > 0) {
        frequency.add(
            new Bucket(x == TOP_FREQUENCY ? x + "+" : Integer.toString(x), (long) b[0], b[1] / b[0], b[2] / b[0]));
      }
    }
    Metrics metrics =
        new Metrics(
            customers, actualTotal, predictedTotal, absolute / customers, Math.sqrt(squared / customers),
            actualTotal > 0 ? 100 * (predictedTotal - actualTotal) / actualTotal : Double.NaN,
            (predictedTotal - actualTotal) / customers);
    return new Result(frequency, deciles(groups, alive, customers), metrics);
  }

  /**
   * Customers in ten groups of rising P(alive), each with its mean P(alive) and the share who
   * bought in the holdout. Customers with equal P(alive) stay together, in the decile where their
   * middle falls, so deciles are uneven, or missing, where many share one value: BG/NBD gives
   * every one-time buyer 1.
   */
  private static List<Bucket> deciles(List<Group> groups, double[] alive, long customers) {
    Integer[] order = new Integer[groups.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble(i -> alive[i]));
    double[][] sums = new double[DECILES][3];
    double before = 0;
    for (int start = 0; start < order.length; ) {
      // Customers with equal P(alive) are one block
      int end = start;
      long block = 0;
      while (end < order.length && alive[order[end]] == alive[order[start]]) {
        block += groups.get(order[end++]).customers();
      }
      int decile = (int) Math.min(DECILES - 1, Math.floor(DECILES * (before + block / 2.0) / customers));
      for (int k = start; k < end; k++) {
        Group g = groups.get(order[k]);
        sums[decile][0] += g.customers();
        sums[decile][1] += g.holdoutPurchases() > 0 ? g.customers() : 0;
        sums[decile][2] += g.customers() * alive[order[k]];
      }
      before += block;
      start = end;
    }
    List<Bucket> deciles = new ArrayList<>();
    for (int d = 0; d < DECILES; d++) {
      if (sums[d][0] > 0) {
        deciles.add(
            new Bucket(String.format(Locale.ROOT, "%d", d + 1), (long) sums[d][0], sums[d][1] / sums[d][0],
                sums[d][2] / sums[d][0]));
      }
    }
    return deciles;
  }

  /**
   * Expected cumulative repeat purchases at each of {@code periodEnds} (model time units from an
   * origin) of customers who made their first purchase at {@code firstPurchase}, {@code
   * customers} of each: Σ n · E[X(end − first)], E[X(t)] being a new customer's expectation (the
   * conditional one at x = t_x = T = 0). The tracking curve of Fader, Hardie &amp; Lee (2005),
   * figure 3.
   */
  public static double[] expectedCumulative(
      PurchaseProcess process, double[] p, double[] firstPurchase, long[] customers, double[] periodEnds) {
    double[] total = new double[periodEnds.length];
    double alive = process.probabilityAlive(p, 0, 0, 0);
    for (int c = 0; c < firstPurchase.length; c++) {
      double[] since = new double[periodEnds.length];
      for (int k = 0; k < since.length; k++) {
        since[k] = Math.max(0, periodEnds[k] - firstPurchase[c]);
      }
      double[] ifAlive = process.expectedPurchasesIfAlive(p, since, 0, 0);
      for (int k = 0; k < total.length; k++) {
        total[k] += customers[c] * alive * (since[k] > 0 ? ifAlive[k] : 0);
      }
    }
    return total;
  }
}
