package dev.lifecycle.core.propensity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassifierCheckTest {
  @Test
  void aucCountsOrderedPairsAndTiesHalf() {
    // positives 0.9 and 0.7, negatives 0.8 and 0.6: 3 of 4 pairs in order
    ClassifierCheck.Result r =
        ClassifierCheck.of(new double[] {0.9, 0.8, 0.7, 0.6}, new boolean[] {true, false, true, false}, 10);
    assertThat(r.auc()).isEqualTo(0.75);
    assertThat(ClassifierCheck.of(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false}, 10).auc())
        .isEqualTo(0.5);
    assertThat(ClassifierCheck.of(new double[] {0.1, 0.9}, new boolean[] {true, false}, 10).auc()).isZero();
  }

  @Test
  void theAucIsTheShareOfPairsInOrderCountedOneByOne() {
    Random random = new Random(7);
    int n = 500;
    double[] score = new double[n];
    boolean[] positive = new boolean[n];
    for (int i = 0; i < n; i++) {
      positive[i] = random.nextDouble() < 0.3;
      score[i] = Math.round((random.nextGaussian() + (positive[i] ? 1 : 0)) * 4) / 4.0; // many ties
    }
    double pairs = 0;
    double inOrder = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (positive[i] && !positive[j]) {
          pairs++;
          inOrder += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
        }
      }
    }
    ClassifierCheck.Result r = ClassifierCheck.of(score, positive, 20);
    assertThat(r.auc()).isCloseTo(inOrder / pairs, within(1e-12));
    double[] fpr = r.rocFalsePositiveRate();
    double[] tpr = r.rocTruePositiveRate();
    assertThat(fpr[0]).isZero();
    assertThat(tpr[0]).isZero();
    assertThat(fpr[fpr.length - 1]).isEqualTo(1.0);
    assertThat(tpr[tpr.length - 1]).isEqualTo(1.0);
    double trapezoids = 0;
    for (int k = 1; k < fpr.length; k++) {
      assertThat(fpr[k]).isGreaterThanOrEqualTo(fpr[k - 1]);
      assertThat(tpr[k]).isGreaterThanOrEqualTo(tpr[k - 1]);
      trapezoids += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
    }
    assertThat(trapezoids).as("the curve's area, on fewer points").isCloseTo(r.auc(), within(0.02));
  }

  @Test
  void logLossLiftCaptureAndDecilesAreThoseOfTheCases() {
    // 20 cases scored 0.05, 0.10, ..., 1.00; the top two (the top decile) and one other are positive
    double[] score = new double[20];
    boolean[] positive = new boolean[20];
    for (int i = 0; i < 20; i++) {
      score[i] = (i + 1) / 20.0;
    }
    positive[19] = positive[18] = positive[3] = true;
    ClassifierCheck.Result r = ClassifierCheck.of(score, positive, 10);
    assertThat(r.positives()).isEqualTo(3);
    assertThat(r.topDecileCapture()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(r.topDecileLift()).isCloseTo(1.0 / (3 / 20.0), within(1e-12));
    assertThat(r.decileMeanScore()[0]).isCloseTo(0.075, within(1e-12));
    assertThat(r.decileMeanScore()[9]).isCloseTo(0.975, within(1e-12));
    assertThat(r.decileObservedRate()[9]).isEqualTo(1.0);
    assertThat(r.decileObservedRate()[1]).isEqualTo(0.5); // 0.15 and 0.20: case 3 scored 0.20
    double expected = 0;
    for (int i = 0; i < 20; i++) {
      double p = Math.min(1 - 1e-15, score[i]);
      expected -= positive[i] ? Math.log(p) : Math.log(1 - p);
    }
    assertThat(r.logLoss()).isCloseTo(expected / 20, within(1e-12));
  }

  @Test
  void oneOutcomeAloneIsRefused() {
    assertThatThrownBy(() -> ClassifierCheck.of(new double[] {0.2, 0.4}, new boolean[] {true, true}, 10))
        .hasMessageContaining("both outcomes must occur: 2 of 2");
  }
}
