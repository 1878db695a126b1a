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

  /** Five segments far enough apart in R, F and M to be told apart by clustering. */
  public static final List<PlantedSegment> DEFAULTS =
      List.of(
          new PlantedSegment(1, "loyal high spenders", 0.15, 12, 10, 1, 60, 6, 20, 380),
          new PlantedSegment(2, "frequent small baskets", 0.20, 16, 8, 1, 40, 8, 25, 48),
          new PlantedSegment(3, "occasional buyers", 0.30, 6, 40, 2, 20, 6, 15, 117),
          new PlantedSegment(4, "one-and-done", 0.20, 4, 20, 8, 4, 4, 10, 67),
          new PlantedSegment(5, "rare big tickets", 0.15, 10, 200, 1, 15, 10, 30, 1450));

  /** The segment's mean amount per transaction, p * gamma / (q - 1). */
  public double meanSpend() {
    return p * gamma / (q - 1);
  }
}
