package dev.lifecycle.jobs.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loyalty index's ranks from the sample's distinct values, against their definition. */
class LoyaltyRanksTest {
  @Test
  void aRankIsTheValuesBelowPlusHalfTheEqualOnesOverTheSampleToTheLastBit() {
    SplittableRandom random = new SplittableRandom(11);
    for (int n : new int[] {1, 2, 7, 100, 5_000}) {
      for (boolean ties : new boolean[] {true, false}) {
        double[] sample = new double[n];
        for (int i = 0; i < n; i++) {
          sample[i] = ties ? random.nextInt(20) : random.nextDouble() * 100;
        }
        Arrays.sort(sample);
        LoyaltyIndex.Ranks ranks = LoyaltyIndex.Ranks.of(sample);
        for (int q = 0; q < 300; q++) {
          double value = q % 3 == 0 ? sample[random.nextInt(n)] : random.nextDouble() * 120 - 10;
          assertThat(ranks.of(value)).as("n=%d, value %s", n, value).isEqualTo(definition(sample, value));
        }
        assertThat(ranks.of(Double.NaN)).isEqualTo(definition(sample, Double.NaN));
      }
    }
    assertThat(LoyaltyIndex.Ranks.of(new double[0]).of(3)).isEqualTo(0.5);
    assertThat(LoyaltyIndex.Ranks.of(new double[] {1, 2, 2, 2, 5}).of(2)).isEqualTo((1 + 0.5 * 3) / 5);
  }

  private static double definition(double[] sample, double value) {
    int below = 0;
    int equal = 0;
    for (double v : sample) {
      below += v < value ? 1 : 0;
      equal += v == value ? 1 : 0;
    }
    return (below + 0.5 * equal) / sample.length;
  }
}
