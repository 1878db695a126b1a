package dev.lifecycle.core.propensity;

import java.util.Arrays;

/**
 * How well scores rank and estimate a binary outcome on held-out cases: the area under the ROC
 * curve (ties counted half, the Mann–Whitney statistic), log loss, lift and capture in the top
 * decile, calibration by decile of the score, and points of the ROC curve.
 */
public final class ClassifierCheck {
  /** Probabilities are kept this far from 0 and 1 in the log loss. */
  static final double CLIP = 1e-15;

  /**
   * The checks of one model: AUC; mean log loss; the churn rate in the top decile of scores over
   * the overall rate, and the share of all positives found there; per decile of the score, lowest
   * first, its mean score and its observed rate; and the ROC curve as false- and true-positive
   * rates from (0, 0) to (1, 1).
   */
  public record Result(
      long cases,
      long positives,
      double auc,
      double logLoss,
      double topDecileLift,
      double topDecileCapture,
      double[] decileMeanScore,
      double[] decileObservedRate,
      double[] rocFalsePositiveRate,
      double[] rocTruePositiveRate) {}

  private ClassifierCheck() {}

  /**
   * The checks of scores (probabilities of the positive outcome) against outcomes, case by case.
   * Both outcomes must occur.
   */
  public static Result of(double[] score, boolean[] positive, int rocPoints) {
    int n = score.length;
    if (positive.length != n) {
      throw new IllegalArgumentException("scores and outcomes differ in length");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      if (!Double.isFinite(score[i])) {
        throw new IllegalArgumentException("score " + i + " is " + score[i]);
      }
    }
    // highest score first
    Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
    long positives = 0;
    double logLoss = 0;
    for (int i = 0; i < n; i++) {
      double p = Math.min(1 - CLIP, Math.max(CLIP, score[i]));
      positives += positive[i] ? 1 : 0;
      logLoss -= positive[i] ? Math.log(p) : Math.log1p(-p);
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException("both outcomes must occur: " + positives + " of " + n + " cases are positive");
    }
    // AUC: walk down the scores in groups of ties; a tie of a positive and a negative counts half
    double area = 0;
    long truePositives = 0;
    long falsePositives = 0;
    int rocStep = Math.max(1, n / Math.max(1, rocPoints));
    double[] fpr = new double[n / rocStep + 3];
    double[] tpr = new double[fpr.length];
    int points = 1; // (0, 0)
    int lastPoint = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      long groupPositives = 0;
      while (j < n && score[order[j]] == score[order[i]]) {
        groupPositives += positive[order[j]] ? 1 : 0;
        j++;
      }
      long groupNegatives = (j - i) - groupPositives;
      area += groupNegatives * (truePositives + groupPositives / 2.0);
      truePositives += groupPositives;
      falsePositives += groupNegatives;
      if (j - lastPoint >= rocStep || j == n) {
        fpr[points] = (double) falsePositives / negatives;
        tpr[points] = (double) truePositives / positives;
        points++;
        lastPoint = j;
      }
      i = j;
    }
    int top = Math.max(1, (int) Math.round(n / 10.0));
    long topPositives = 0;
    for (int i = 0; i < top; i++) {
      topPositives += positive[order[i]] ? 1 : 0;
    }
    double rate = (double) positives / n;
    double[] meanScore = new double[10];
    double[] observed = new double[10];
    for (int d = 0; d < 10; d++) {
      // decile d (0 lowest) holds ranks from the bottom [d n / 10, (d + 1) n / 10)
      int from = (int) ((long) d * n / 10);
      int to = (int) ((long) (d + 1) * n / 10);
      double sum = 0;
      long hits = 0;
      for (int r = from; r < to; r++) {
        int i = order[n - 1 - r];
        sum += score[i];
        hits += positive[i] ? 1 : 0;
      }
      meanScore[d] = to > from ? sum / (to - from) : Double.NaN;
      observed[d] = to > from ? (double) hits / (to - from) : Double.NaN;
    }
    return new Result(
        n, positives, area / ((double) positives * negatives), logLoss / n, ((double) topPositives / top) / rate,
        (double) topPositives / positives, meanScore, observed, Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points));
  }
}
