package dev.lifecycle.core.rfm;

import java.util.Arrays;

/**
 * Rank-based scores 1..bins, as {@code min(bins, 1 + floor(bins * percent_rank))}: equal values get
 * the same score (ties never split a bin) and the lowest value always scores 1. Held as the cut
 * values where each score starts, so that scoring is a comparison, not a sort.
 */
public final class RankScores {
  private final double[] cuts;
  private final boolean descending;

  private RankScores(double[] cuts, boolean descending) {
    this.cuts = cuts;
    this.descending = descending;
  }

  /** Higher values score higher (frequency, monetary). */
  public static RankScores ascending(ValueHistogram histogram, int bins) {
    return new RankScores(cuts(histogram.values(), histogram.counts(), bins), false);
  }

  /** Lower values score higher (recency: recent buyers score 5). */
  public static RankScores descending(ValueHistogram histogram, int bins) {
    int n = histogram.values().length;
    double[] negated = new double[n];
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      negated[i] = -histogram.values()[n - 1 - i];
      counts[i] = histogram.counts()[n - 1 - i];
    }
    double[] cuts = cuts(negated, counts, bins);
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = -cuts[i];
    }
    return new RankScores(cuts, true);
  }

  /**
   * cuts[k-2] is the smallest value whose rank (count of strictly smaller values) reaches
   * (k-1)/bins of (n-1); infinite where no value reaches score k.
   */
  private static double[] cuts(double[] values, long[] counts, int bins) {
    double[] cuts = new double[bins - 1];
    Arrays.fill(cuts, Double.POSITIVE_INFINITY);
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    if (n <= 1) {
      return cuts;
    }
    long rank = 0;
    int next = 0;
    for (int i = 0; i < values.length && next < cuts.length; i++) {
      while (next < cuts.length && rank * bins >= (long) (next + 1) * (n - 1)) {
        cuts[next++] = values[i];
      }
      rank += counts[i];
    }
    return cuts;
  }

  /** The values where scores 2..bins start: a value scores 1 + the number of cuts it reaches. */
  public double[] cuts() {
    return cuts.clone();
  }

  public boolean isDescending() {
    return descending;
  }

  public int score(double value) {
    int score = 1;
    for (double cut : cuts) {
      if (descending ? value <= cut : value >= cut) {
        score++;
      }
    }
    return score;
  }
}
