package dev.lifecycle.jobs.segment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A readable label for a segment from where its mean log1p recency, frequency and monetary value
 * sit against all customers', in standard deviations: beyond half a deviation either way is high
 * or low, beyond one and a half very high or very low, in between is middling. For example "very
 * recent, frequent, top spend" or "lapsed, one-off, low spend". On skewed data, where most
 * customers bought once, the active segments all sit beyond half a deviation; the outer level tells
 * them apart (CDNOW's three best k-means segments, all "recent, frequent, high spend" on three
 * levels). Labels are unique within a method: segments that still share one are told apart by the
 * measure on which they differ most, e.g. "recent, frequent, high spend (1st of 3 by spend)".
 */
final class SegmentLabels {
  static final double CUT = 0.5;
  static final double OUTER_CUT = 1.5;
  private static final String[] MEASURES = {"recency", "frequency", "spend"};

  private SegmentLabels() {}

  static String label(double recencyZ, double frequencyZ, double monetaryZ) {
    return word(recencyZ, "very recent", "recent", "lapsing", "lapsed", "long lapsed")
        + ", " + word(frequencyZ, "one-off", "one-off", "occasional", "frequent", "very frequent")
        + ", " + word(monetaryZ, "lowest spend", "low spend", "mid spend", "high spend", "top spend");
  }

  /**
   * The labels of one method's segments, made unique: each group that shares a label is ranked on
   * the measure whose z-scores spread most within it, best first (most recent: the lowest
   * recency; most frequent; highest spend), and each member gets its rank. {@code z} holds each
   * segment's recency, frequency and monetary z-scores, in the order of {@code labels}.
   */
  static List<String> unique(List<String> labels, List<double[]> z) {
    Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byLabel.computeIfAbsent(labels.get(i), l -> new ArrayList<>()).add(i);
    }
    List<String> out = new ArrayList<>(labels);
    byLabel.forEach(
        (label, members) -> {
          if (members.size() < 2) {
            return;
          }
          int measure = 0;
          double widest = -1;
          for (int m = 0; m < MEASURES.length; m++) {
            int mm = m;
            double low = members.stream().mapToDouble(i -> z.get(i)[mm]).min().orElse(0);
            double high = members.stream().mapToDouble(i -> z.get(i)[mm]).max().orElse(0);
            if (high - low > widest) {
              widest = high - low;
              measure = m;
            }
          }
          int by = measure;
          // best first: recency is days since the last purchase, so the lowest is best
          Comparator<Integer> best = Comparator.comparingDouble(i -> by == 0 ? z.get(i)[by] : -z.get(i)[by]);
          List<Integer> ranked = new ArrayList<>(members);
          ranked.sort(best.thenComparing(Comparator.naturalOrder()));
          for (int r = 0; r < ranked.size(); r++) {
            out.set(
                ranked.get(r), label + " (" + ordinal(r + 1) + " of " + ranked.size() + " by " + MEASURES[by] + ")");
          }
        });
    return out;
  }

  private static String ordinal(int n) {
    String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }

  private static String word(double z, String lowest, String low, String middle, String high, String highest) {
    return z < -OUTER_CUT ? lowest : z < -CUT ? low : z > OUTER_CUT ? highest : z > CUT ? high : middle;
  }
}
