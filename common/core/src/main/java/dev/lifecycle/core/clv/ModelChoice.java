package dev.lifecycle.core.clv;

import dev.lifecycle.core.config.LifecycleConfig.PurchaseModel;
import dev.lifecycle.core.mle.BoundedMle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code clv.purchase-model = auto}: every candidate purchase model is fitted on the customers'
 * histories up to a split day inside the calibration, predicts each customer's repeat purchases
 * from the split to the snapshot, and the one with the lowest mean absolute error per customer
 * wins. Errors within a relative {@value #TIE} of the lowest are a tie, which the first of {@link
 * PurchaseModel#CANDIDATES} wins: where the data show no drop-out all three end as the NBD and
 * differ only in rounding. A model that cannot be fitted does not compete.
 */
public final class ModelChoice {
  static final double TIE = 1e-6;

  private ModelChoice() {}

  /** One candidate: its fit at the split, and its mean absolute error (NaN when not fitted). */
  public record Candidate(PurchaseModel model, BoundedMle.Estimate fit, double meanAbsoluteError) {
    boolean competes() {
      return Double.isFinite(meanAbsoluteError);
    }
  }

  /** The winner (null when no candidate could be fitted), every candidate, and why. */
  public record Choice(PurchaseModel winner, List<Candidate> candidates, double customers, String why) {}

  /**
   * Customers (weighted by {@code customers}) with their BTYD summary {@code x}, {@code tx},
   * {@code bigT} at the split and their {@code actual} repeat purchases in the {@code horizon}
   * (model units) after it.
   */
  public static Choice choose(
      double[] x, double[] tx, double[] bigT, double[] actual, double[] customers, double horizon) {
    RepeatPatterns patterns = new RepeatPatterns();
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      patterns.add(x[i], tx[i], bigT[i], (long) customers[i]);
      total += customers[i];
    }
    List<Candidate> candidates = new ArrayList<>();
    for (PurchaseModel model : PurchaseModel.CANDIDATES) {
      PurchaseProcess process = PurchaseProcess.of(model);
      BoundedMle.Estimate fit = total == 0 ? null : process.fit(patterns);
      double error = Double.NaN;
      if (fit != null && fit.found()) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
          double predicted = process.conditionalExpectedPurchases(fit.parameters(), horizon, x[i], tx[i], bigT[i]);
          sum += customers[i] * Math.abs(actual[i] - predicted);
        }
        error = sum / total;
      }
      candidates.add(new Candidate(model, fit, error));
    }
    List<Candidate> ranked =
        candidates.stream()
            .filter(Candidate::competes)
            .sorted(Comparator.comparingDouble(Candidate::meanAbsoluteError))
            .toList();
    if (ranked.isEmpty()) {
      return new Choice(
          null, candidates, total,
          total == 0 ? "no customer had bought by the split day" : "no candidate could be fitted at the split");
    }
    double lowest = ranked.get(0).meanAbsoluteError();
    List<Candidate> tied =
        candidates.stream()
            .filter(Candidate::competes)
            .filter(c -> c.meanAbsoluteError() <= lowest * (1 + TIE))
            .toList();
    Candidate winner = tied.get(0);
    String errors =
        ranked.stream()
            .filter(c -> c != winner)
            .map(c -> String.format(Locale.ROOT, ", %s %.4f", c.model().label(), c.meanAbsoluteError()))
            .collect(Collectors.joining());
    String tie =
        tied.size() == 1
            ? ""
            : " (" + tied.stream().map(c -> c.model().label()).collect(Collectors.joining(", "))
                + " tie to a relative 1e-6; the first listed wins)";
    return new Choice(
        winner.model(), candidates, total,
        String.format(Locale.ROOT, "lowest mean absolute error: %s %.4f", winner.model().label(), winner.meanAbsoluteError())
            + errors + tie);
  }
}
