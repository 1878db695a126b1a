package dev.lifecycle.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named RFM segment map: ordered rules over the R, F and M scores (1..5), first match wins.
 * Written as {@code Name: r=4-5 f=4-5 m=1-5; Next: ...}; a score left out matches 1..5. The map
 * must name a segment for every one of the 125 cells.
 */
public final class RfmSegmentMap {
  /** The common 11-segment map on the R x F grid. */
  public static final String DEFAULT_RULES =
      "Champions: r=5 f=4-5; Loyal: r=3-4 f=4-5; Can't Lose: r=1-2 f=5; At Risk: r=1-2 f=3-4;"
          + " Lost: r=1 f=1; Hibernating: r=1-2 f=1-2; Need Attention: r=3 f=3;"
          + " About to Sleep: r=3 f=1-2; New: r=5 f=1; Promising: r=4 f=1;"
          + " Potential Loyalist: r=4-5 f=2-3";

  private static final Pattern CONDITION = Pattern.compile("([rfm])=([1-5])(?:-([1-5]))?");

  private final Map<String, String> segmentByCell;

  private RfmSegmentMap(Map<String, String> segmentByCell) {
    this.segmentByCell = segmentByCell;
  }

  private record Rule(String name, int[] low, int[] high) {
    boolean matches(int r, int f, int m) {
      int[] scores = {r, f, m};
      for (int i = 0; i < 3; i++) {
        if (scores[i] < low[i] || scores[i] > high[i]) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Parses the rules; {@code onError} turns a reason into the exception to throw, so that the
   * caller can name the config key and its source.
   */
  public static RfmSegmentMap parse(
      String rules, Function<String, RuntimeException> onError) {
    List<Rule> parsed = new ArrayList<>();
    for (String text : rules.split(";")) {
      if (text.isBlank()) {
        continue;
      }
      int colon = text.indexOf(':');
      if (colon <= 0 || text.substring(0, colon).isBlank()) {
        throw onError.apply("rule '" + text.trim() + "' needs the form 'Name: r=1-5 f=1-5 m=1-5'");
      }
      int[] low = {1, 1, 1};
      int[] high = {5, 5, 5};
      for (String condition : text.substring(colon + 1).trim().split("\\s+")) {
        if (condition.isEmpty()) {
          continue;
        }
        Matcher matcher = CONDITION.matcher(condition);
        if (!matcher.matches()) {
          throw onError.apply(
              "condition '" + condition + "' needs the form r=N or r=N-M with scores 1 to 5");
        }
        int index = "rfm".indexOf(matcher.group(1));
        low[index] = Integer.parseInt(matcher.group(2));
        high[index] = matcher.group(3) == null ? low[index] : Integer.parseInt(matcher.group(3));
        if (low[index] > high[index]) {
          throw onError.apply("condition '" + condition + "' has its range reversed");
        }
      }
      parsed.add(new Rule(text.substring(0, colon).trim(), low, high));
    }
    Map<String, String> byCell = new TreeMap<>();
    for (int r = 1; r <= 5; r++) {
      for (int f = 1; f <= 5; f++) {
        for (int m = 1; m <= 5; m++) {
          String cell = "" + r + f + m;
          byCell.put(cell, firstMatch(parsed, r, f, m, cell, onError));
        }
      }
    }
    return new RfmSegmentMap(Map.copyOf(byCell));
  }

  private static String firstMatch(
      List<Rule> rules,
      int r,
      int f,
      int m,
      String cell,
      Function<String, RuntimeException> onError) {
    for (Rule rule : rules) {
      if (rule.matches(r, f, m)) {
        return rule.name();
      }
    }
    throw onError.apply("no rule covers RFM cell " + cell);
  }

  /** The segment of a cell code such as {@code "545"}. */
  public String segmentOf(String cell) {
    return segmentByCell.get(cell);
  }

  /** All 125 cells and their segment. */
  public Map<String, String> cells() {
    return segmentByCell;
  }
}
