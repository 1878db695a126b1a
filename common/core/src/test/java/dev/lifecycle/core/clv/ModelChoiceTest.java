package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.config.LifecycleConfig.PurchaseModel;
import org.junit.jupiter.api.Test;

/**
 * {@code clv.purchase-model = auto}'s rule: each candidate's error is the mean absolute error of
 * its predictions, recomputed here, and the winner's is the lowest.
 */
class ModelChoiceTest {
  @Test
  void theWinnerHasTheLowestErrorAndEveryErrorIsTheMeanAbsoluteError() {
    RepeatPatterns whole = ClvRecoveryTest.simulateParetoNbd(new double[] {0.8, 6.0, 0.7, 12.0}, 3_000, 5);
    // Simulated Pareto/NBD histories; the purchases after the split, a stand-in: 10 periods at
    // each customer's own calibration rate, rounded
    int n = whole.size();
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] bigT = new double[n];
    double[] actual = new double[n];
    double[] customers = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = whole.x(i);
      tx[i] = whole.tx(i);
      bigT[i] = whole.bigT(i);
      actual[i] = Math.round(whole.x(i) * 10 / whole.bigT(i));
      customers[i] = whole.weight(i);
    }

    ModelChoice.Choice choice = ModelChoice.choose(x, tx, bigT, actual, customers, 10);

    assertThat(choice.candidates()).extracting(ModelChoice.Candidate::model).containsExactlyElementsOf(PurchaseModel.CANDIDATES);
    double lowest = Double.MAX_VALUE;
    for (ModelChoice.Candidate candidate : choice.candidates()) {
      PurchaseProcess process = PurchaseProcess.of(candidate.model());
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += customers[i]
            * Math.abs(actual[i] - process.conditionalExpectedPurchases(candidate.fit().parameters(), 10, x[i], tx[i], bigT[i]));
      }
      assertThat(candidate.meanAbsoluteError()).isEqualTo(sum / choice.customers());
      lowest = Math.min(lowest, candidate.meanAbsoluteError());
    }
    ModelChoice.Candidate winner =
        choice.candidates().stream().filter(c -> c.model() == choice.winner()).findFirst().orElseThrow();
    assertThat(winner.meanAbsoluteError()).isLessThanOrEqualTo(lowest * (1 + ModelChoice.TIE));
    assertThat(choice.why()).startsWith("lowest mean absolute error: " + choice.winner().label() + " ");
    assertThat(choice.customers()).isEqualTo(3_000);
  }

  @Test
  void withoutCustomersThereIsNoWinnerAndTheChoiceSaysWhy() {
    ModelChoice.Choice none = ModelChoice.choose(new double[0], new double[0], new double[0], new double[0], new double[0], 10);
    assertThat(none.winner()).isNull();
    assertThat(none.why()).isEqualTo("no customer had bought by the split day");
  }
}
