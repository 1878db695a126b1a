package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.clv.CustomerValue.Interval;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The percentiles of draws: {@link Interval#of} picks the order statistics a full sort would, and
 * {@link Interval#ofScaledExp} gives, bit for bit, what {@link Interval#of} gives on the products
 * it does not compute.
 */
class IntervalTest {
  @Test
  void thePercentilesAreThoseOfAFullSort() {
    Random random = new Random(7);
    for (int trial = 0; trial < 500; trial++) {
      double[] draws = new double[1 + random.nextInt(300)];
      for (int d = 0; d < draws.length; d++) {
        // Some spread over decades, some ties
        draws[d] = trial % 3 == 0 ? random.nextInt(5) : Math.exp(8 * random.nextGaussian());
      }
      double[] sorted = draws.clone();
      Arrays.sort(sorted);
      assertThat(Interval.of(draws)).isEqualTo(new Interval(sortedQuantile(sorted, 0.1), sortedQuantile(sorted, 0.9)));
    }
  }

  @Test
  void scaledExponentialsHaveThePercentilesOfTheirProducts() {
    Random random = new Random(11);
    for (int trial = 0; trial < 2_000; trial++) {
      double[] exponents = new double[1 + random.nextInt(300)];
      double spread = Math.pow(10, random.nextInt(7) - 4); // 1e-4 to 100: ties by rounding, overflow
      for (int d = 0; d < exponents.length; d++) {
        exponents[d] = trial % 5 == 0 ? Math.rint(random.nextGaussian()) : spread * random.nextGaussian();
      }
      if (trial % 7 == 0) {
        exponents[random.nextInt(exponents.length)] = Double.NEGATIVE_INFINITY;
      }
      double scale = trial % 11 == 0 ? 1e300 : Math.exp(10 * random.nextGaussian());
      assertThat(Interval.ofScaledExp(scale, exponents)).as("trial %d", trial).isEqualTo(Interval.of(products(scale, exponents)));
    }
  }

  @Test
  void scaledExponentialsThatCannotAllBeComputedHaveNoInterval() {
    assertThat(Interval.ofScaledExp(2, new double[] {0, 1000})).isEqualTo(Interval.NONE);
    assertThat(Interval.ofScaledExp(2, new double[] {0, Double.NaN})).isEqualTo(Interval.NONE);
    assertThat(Interval.ofScaledExp(Double.POSITIVE_INFINITY, new double[] {0, 1})).isEqualTo(Interval.NONE);
    assertThat(Interval.ofScaledExp(Double.NaN, new double[] {0, 0})).isEqualTo(Interval.NONE);
    assertThat(Interval.ofScaledExp(2, new double[0])).isEqualTo(Interval.NONE);
    // A constant scale, any sign: the exponents all 0
    assertThat(Interval.ofScaledExp(0, new double[] {0, 0, 0})).isEqualTo(Interval.of(new double[] {0, 0, 0}));
    assertThat(Interval.ofScaledExp(-0.0, new double[] {0, 0})).isEqualTo(Interval.of(new double[] {-0.0, -0.0}));
  }

  private static double[] products(double scale, double[] exponents) {
    return Arrays.stream(exponents).map(x -> scale * Math.exp(x)).toArray();
  }

  /** The quantile linear between the order statistics of sorted values, as Interval defines it. */
  private static double sortedQuantile(double[] sorted, double probability) {
    double h = (sorted.length - 1) * probability;
    int below = (int) Math.floor(h);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
  }
}
