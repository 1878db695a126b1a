package dev.lifecycle.core.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.lifecycle.core.mle.BoundedMle;

/** Checks an analytic gradient against central differences. */
public final class Gradients {
  private Gradients() {}

  /**
   * Asserts that each component of the gradient at {@code p} is within 1e-4 percent of the central
   * difference with step 1e-6 p_i, and that the value returned with it is the plain value.
   */
  public static void assertMatchCentralDifferences(BoundedMle.Differentiable f, double[] p) {
    double[] gradient = new double[p.length];
    double value = f.valueAndGradient(p, gradient);
    assertThat(value).isEqualTo(f.applyAsDouble(p));
    for (int i = 0; i < p.length; i++) {
      double h = 1e-6 * p[i];
      double[] up = p.clone();
      double[] down = p.clone();
      up[i] += h;
      down[i] -= h;
      double numeric = (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h);
      assertThat(gradient[i]).as("component %d", i).isCloseTo(numeric, withinPercentage(1e-4));
    }
  }
}
