package dev.lifecycle.core.mle;

/**
 * A model parameter with its bounds. {@link BoundedMle} searches a positive parameter on a log
 * scale and a fraction on a logit scale, so steps are relative and the bounds are never crossed.
 */
public record Parameter(String name, double lower, double upper, boolean fraction) implements java.io.Serializable {
  /** A positive parameter in [1e-4, 1e4]. */
  public static Parameter positive(String name) {
    return new Parameter(name, 1e-4, 1e4, false);
  }

  /** A fraction in [1e-9, 1 - 1e-9]. */
  public static Parameter fraction(String name) {
    return new Parameter(name, 1e-9, 1 - 1e-9, true);
  }

  double toSearch(double value) {
    return fraction ? Math.log(value / (1 - value)) : Math.log(value);
  }

  /** dp/du at the value p: how the natural scale moves with the search scale. */
  double slope(double value) {
    return fraction ? value * (1 - value) : value;
  }

  double fromSearch(double u) {
    double value = fraction ? 1 / (1 + Math.exp(-u)) : Math.exp(u);
    return Math.min(upper, Math.max(lower, value));
  }
}
