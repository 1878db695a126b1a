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
   * Five segments that a customer's recency, frequency and spend tell apart whatever their
   * acquisition date and luck, so that segmentation on log R, F and M can recover them:
   *
   * <ul>
   *   <li>loyal high spenders: 0.5 purchases a week, almost never drop out, baskets of about 450;
   *   <li>frequent small baskets: 1 a week, almost never drop out, baskets of about 5.50;
   *   <li>lapsed after a burst: 1 a week, drop out after each repeat purchase with probability
   *       0.26, so a handful of purchases and then a long silence; baskets of about 50;
   *   <li>one-and-done: one purchase, rarely a second (dropout 0.95, 0.01 a week); about 6.50;
   *   <li>rare big tickets: about one purchase in two years, baskets of about 2,000.
   * </ul>
   *
   * Within a segment the rate varies little (r 20 to 30) and so does spend (p 20, q 40). About
   * 18 transactions per customer on average. The earlier five segments differed mainly in basket
   * size; within each, dropout and the acquisition date spread recency and frequency more than the
   * segments differed, and k-means on R, F, M recovered them with an adjusted Rand index of 0.3.
   */
  public static final List<PlantedSegment> DEFAULTS =
      List.of(
          new PlantedSegment(1, "loyal high spenders", 0.12, 30, 60, 1, 3000, 20, 40, 877.5),
          new PlantedSegment(2, "frequent small baskets", 0.18, 30, 30, 1, 3000, 20, 40, 10.725),
          new PlantedSegment(3, "lapsed after a burst", 0.28, 20, 20, 12, 34, 20, 40, 97.5),
          new PlantedSegment(4, "one-and-done", 0.17, 20, 2000, 20, 1, 20, 40, 12.675),
          new PlantedSegment(5, "rare big tickets", 0.25, 20, 3000, 1, 20, 20, 40, 3900));

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
