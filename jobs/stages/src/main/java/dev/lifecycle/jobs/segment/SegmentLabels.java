package dev.lifecycle.jobs.segment;

/**
 * A readable label for a segment from where its mean log1p recency, frequency and monetary value
 * sit against all customers', in standard deviations: beyond half a deviation either way is high
 * or low, in between is middling. For example "recent, frequent, high spend" or "lapsed, one-off,
 * low spend".
 */
final class SegmentLabels {
  static final double CUT = 0.5;

  private SegmentLabels() {}

  static String label(double recencyZ, double frequencyZ, double monetaryZ) {
    return word(recencyZ, "recent", "lapsing", "lapsed")
        + ", " + word(frequencyZ, "one-off", "occasional", "frequent")
        + ", " + word(monetaryZ, "low spend", "mid spend", "high spend");
  }

  private static String word(double z, String low, String middle, String high) {
    return z < -CUT ? low : z > CUT ? high : middle;
  }
}
