package dev.lifecycle.jobs.sample;

import java.util.List;

/**
 * A behavioural segment planted in the synthetic data, with the parameters of its generative
 * process: BG/NBD purchases (rate lambda ~ Gamma(r, alpha) per week; after each repeat purchase
 * the customer drops out with probability p ~ Beta(a, b)) and Gamma-Gamma spend (nu ~ Gamma(q, gamma), each amount ~ Gamma(p, nu); rates, not
 * scales).
 */
public record PlantedSegment(
    int id,
    String name,
    double weight,
    double r,
    double alpha,
    double a,
    double b,
    double p,
    double q,
    double gamma)
    implements java.io.Serializable {

  /**
   * Five segments that differ in how often they buy, how soon they drop out and, most clearly,
   * in basket size: mean amounts of 10, 30, 90, 270 and 810, three times apart, with little
   * spread within a segment (p = 12, q = 40), so the segments can be told apart whatever a
   * customer's acquisition date and luck.
   */
  public static final List<PlantedSegment> DEFAULTS =
      List.of(
          new PlantedSegment(1, "loyal high spenders", 0.15, 12, 10, 1, 60, 12, 40, 877.5),
          new PlantedSegment(2, "frequent small baskets", 0.20, 16, 8, 1, 40, 12, 40, 32.5),
          new PlantedSegment(3, "occasional buyers", 0.30, 6, 40, 2, 20, 12, 40, 292.5),
          new PlantedSegment(4, "one-and-done", 0.20, 4, 20, 8, 4, 12, 40, 97.5),
          new PlantedSegment(5, "rare big tickets", 0.15, 10, 200, 1, 15, 12, 40, 2632.5));

  /** The names of {@link #homogeneous}'s parameters, in the order of the record's fields. */
  public static final List<String> PARAMETERS = List.of("r", "alpha", "a", "b", "p", "q", "gamma");

  /**
   * One population with the given BG/NBD and Gamma-Gamma parameters, named as in {@link
   * #PARAMETERS}; each must be finite and positive, and q above 1 so that mean spend exists.
   *
   * @throws IllegalArgumentException naming the missing, unknown or invalid parameter
   */
  public static PlantedSegment homogeneous(java.util.Map<String, Double> parameters) {
    for (String name : parameters.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown parameter '" + name + "'; expected " + String.join(", ", PARAMETERS));
      }
    }
    double[] values = new double[PARAMETERS.size()];
    for (int i = 0; i < values.length; i++) {
      Double value = parameters.get(PARAMETERS.get(i));
      if (value == null) {
        throw new IllegalArgumentException(
            "parameter '" + PARAMETERS.get(i) + "' is missing; all of " + String.join(", ", PARAMETERS)
                + " are needed");
      }
      if (!(value > 0) || value.isInfinite()) {
        throw new IllegalArgumentException(
            "parameter '" + PARAMETERS.get(i) + "' must be finite and positive, got " + value);
      }
      values[i] = value;
    }
    if (!(values[5] > 1)) {
      throw new IllegalArgumentException("parameter 'q' must be above 1, got " + values[5]);
    }
    return new PlantedSegment(
        1, "homogeneous", 1, values[0], values[1], values[2], values[3], values[4], values[5],
        values[6]);
  }

  /** The segment's mean amount per transaction, p * gamma / (q - 1). */
  public double meanSpend() {
    return p * gamma / (q - 1);
  }
}
