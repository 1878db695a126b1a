package dev.lifecycle.core.config;

import dev.lifecycle.core.loyalty.Ahp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The AHP loyalty index: its indicators, each with the direction in which a customer is more
 * loyal, and the weights Saaty's method derives from the pairwise comparisons of {@code
 * loyalty.comparisons} (the whole matrix). Judgments with a consistency ratio of 0.1 or more are refused.
 */
public record LoyaltyConfig(List<Criterion> criteria, double[][] matrix, Ahp.Priorities priorities) {
  /** An indicator of loyalty, from the customer_features columns named in models.md. */
  public enum Indicator {
    /** Days since the last purchase. */
    RECENCY,
    /** Orders. */
    FREQUENCY,
    /** Total spend. */
    MONETARY,
    /** Days since the first purchase. */
    TENURE,
    /** Mean spend per order. */
    AOV,
    /** Share of the comparable spend windows since the first purchase with a purchase. */
    REGULARITY,
    /** The last window's spend minus the one before. */
    TREND;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** An indicator, and whether a higher value is more loyal ({@code +}) or a lower one ({@code -}). */
  public record Criterion(Indicator indicator, boolean higherIsLoyal) {
    public String label() {
      return indicator.label() + (higherIsLoyal ? ":+" : ":-");
    }
  }

  static LoyaltyConfig from(Settings settings) {
    List<Criterion> criteria = criteria(settings);
    double[][] matrix = matrix(settings, criteria.size());
    Ahp.Priorities priorities;
    try {
      priorities = Ahp.of(matrix);
    } catch (IllegalArgumentException e) {
      throw settings.invalid(ConfigKey.LOYALTY_COMPARISONS, e.getMessage());
    }
    if (!priorities.consistent()) {
      int i = priorities.worstRow();
      int j = priorities.worstColumn();
      throw settings.invalid(
          ConfigKey.LOYALTY_COMPARISONS,
          String.format(
              Locale.ROOT,
              "the judgments are inconsistent, consistency ratio CR = %.3f (must be below 0.1); the most"
                  + " inconsistent pair is %s vs %s, judged %s where the weights imply %.2f",
              priorities.cr(), criteria.get(i).indicator().label(), criteria.get(j).indicator().label(),
              Ahp.format(matrix[i][j]), priorities.weights()[i] / priorities.weights()[j]));
    }
    return new LoyaltyConfig(List.copyOf(criteria), matrix, priorities);
  }

  private static List<Criterion> criteria(Settings settings) {
    List<Criterion> criteria = new ArrayList<>();
    Set<Indicator> seen = new HashSet<>();
    for (String item : settings.required(ConfigKey.LOYALTY_CRITERIA).split(",")) {
      String text = item.trim();
      int colon = text.lastIndexOf(':');
      String direction = colon < 0 ? "" : text.substring(colon + 1).trim();
      if (colon < 0 || !(direction.equals("+") || direction.equals("-"))) {
        throw settings.invalid(ConfigKey.LOYALTY_CRITERIA, "'" + text + "' needs a direction: indicator:+ or indicator:-");
      }
      Indicator indicator;
      try {
        indicator = Indicator.valueOf(text.substring(0, colon).trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw settings.invalid(
            ConfigKey.LOYALTY_CRITERIA,
            "unknown indicator '" + text.substring(0, colon).trim() + "'; expected recency, frequency, monetary, tenure,"
                + " aov, regularity or trend");
      }
      if (!seen.add(indicator)) {
        throw settings.invalid(ConfigKey.LOYALTY_CRITERIA, "indicator '" + indicator.label() + "' is listed twice");
      }
      criteria.add(new Criterion(indicator, direction.equals("+")));
    }
    if (criteria.size() < 2 || criteria.size() > Ahp.MAX_SIZE) {
      throw settings.invalid(ConfigKey.LOYALTY_CRITERIA, "list 2 to " + Ahp.MAX_SIZE + " indicators");
    }
    return criteria;
  }

  /**
   * The comparison matrix: the upper triangle as one list, row by row, or the whole matrix as rows
   * separated by {@code ;}. Values are whole numbers, fractions {@code 1/k} or decimals.
   */
  private static double[][] matrix(Settings settings, int n) {
    String text = settings.required(ConfigKey.LOYALTY_COMPARISONS);
    String[] rows = text.split(";");
    try {
      if (rows.length == 1) {
        return Ahp.fromUpperTriangle(values(settings, rows[0]), n);
      }
      if (rows.length != n) {
        throw new IllegalArgumentException(
            "a whole matrix of " + n + " criteria needs " + n + " rows separated by ';', not " + rows.length);
      }
      double[][] matrix = new double[n][];
      for (int i = 0; i < n; i++) {
        matrix[i] = values(settings, rows[i]);
      }
      return matrix;
    } catch (IllegalArgumentException e) {
      throw settings.invalid(ConfigKey.LOYALTY_COMPARISONS, e.getMessage());
    }
  }

  private static double[] values(Settings settings, String row) {
    String[] items = row.trim().split("[,\\s]+");
    double[] values = new double[items.length];
    for (int i = 0; i < items.length; i++) {
      values[i] = judgment(settings, items[i]);
    }
    return values;
  }

  private static double judgment(Settings settings, String item) {
    try {
      int slash = item.indexOf('/');
      return slash < 0
          ? Double.parseDouble(item)
          : Double.parseDouble(item.substring(0, slash)) / Double.parseDouble(item.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw settings.invalid(ConfigKey.LOYALTY_COMPARISONS, "'" + item + "' is not a number or a fraction like 1/3");
    }
  }
}
