package dev.lifecycle.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.som.FeatureMoments;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exact sums behind partition-independent fits: any split and order of the same values gives
 * bit-identical totals, moments and k-means centers, including the curve order the blocks are put
 * in for speed.
 */
class ExactSumsTest {
  @Test
  void exactSumIgnoresOrderAndHoldsTotalsBeyondALong() {
    Random random = new Random(3);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      values.add(random.nextGaussian() * Math.pow(10, random.nextInt(9)));
    }
    ExactSum forward = new ExactSum();
    values.forEach(forward::add);
    Collections.shuffle(values, random);
    ExactSum left = new ExactSum();
    ExactSum right = new ExactSum();
    for (int i = 0; i < values.size(); i++) {
      (i % 3 == 0 ? left : right).add(values.get(i));
    }
    assertThat(right.add(left).value()).isEqualTo(forward.value());
    assertThat(forward.value()).isCloseTo(values.stream().mapToDouble(Double::doubleValue).sum(), within(1e-3));

    // 100,000 amounts of 9e11 sum to 9e16, past what a long holds in units of 2^-20 (8.8e12).
    ExactSum large = new ExactSum();
    for (int i = 0; i < 100_000; i++) {
      large.add(9e11);
    }
    assertThat(large.value()).isEqualTo(9e16);
    assertThat(new ExactSum().add(-2.5).add(1).value()).isEqualTo(-1.5);
    // Beyond fixed point's range (a corrupt amount): still exact and in any order.
    assertThat(new ExactSum().add(2e300).add(1).add(-2e300).value()).isEqualTo(1);
    assertThat(new ExactSum().add(1).add(new ExactSum().add(-2e300)).add(2e300).value()).isEqualTo(1);
    assertThatThrownBy(() -> new ExactSum().add(Double.NaN))
        .hasMessage("Cannot fit on the value NaN: features must be finite and standardized");
  }

  @Test
  void momentsAndLloydPassesDoNotDependOnTheSplit() {
    Random random = new Random(11);
    int n = 5_000;
    double[] values = new double[n * 2];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian() + (i % 4 == 0 ? 3 : 0);
    }
    PointBlock whole = block(values, 0, n);
    double[][] centers = {{0, 0}, {3, 0}, {0, 3}};

    FeatureMoments oneMoments = new FeatureMoments(2).add(whole);
    LloydSums onePass = new LloydSums(3, 2).add(centers, whole);
    // Three unequal parts, merged in reverse.
    PointBlock a = block(values, 0, 17);
    PointBlock b = block(values, 17, 3_000);
    PointBlock c = block(values, 3_000, n);
    FeatureMoments split = new FeatureMoments(2).add(c).merge(new FeatureMoments(2).add(b)).merge(new FeatureMoments(2).add(a));
    LloydSums splitPass =
        new LloydSums(3, 2).add(centers, c).merge(new LloydSums(3, 2).add(centers, b)).merge(new LloydSums(3, 2).add(centers, a));

    assertThat(split.count()).isEqualTo(n);
    assertThat(split.mean()).containsExactly(oneMoments.mean());
    for (int f = 0; f < 2; f++) {
      assertThat(split.covariance()[f]).containsExactly(oneMoments.covariance()[f]);
    }
    double[][] next = splitPass.centers(centers);
    for (int k = 0; k < 3; k++) {
      assertThat(next[k]).containsExactly(onePass.centers(centers)[k]);
    }
    assertThat(splitPass.cost()).isEqualTo(onePass.cost());
  }

  @Test
  void lloydPassByHand() {
    // Points 0, 1 and 10 on a line, centers 0 and 9: {0, 1} -> 0.5 and {10} -> 10; cost 0 + 1 + 1.
    PointBlock points = new PointBlock(1, new double[] {0, 1, 10}, new double[3], new long[3]);
    LloydSums sums = new LloydSums(3, 1).add(new double[][] {{0}, {9}, {100}}, points);
    double[][] next = sums.centers(new double[][] {{0}, {9}, {100}});
    assertThat(next[0]).containsExactly(0.5);
    assertThat(next[1]).containsExactly(10);
    assertThat(next[2]).as("a center without points stays").containsExactly(100);
    assertThat(sums.cost()).isEqualTo(2);
  }

  @Test
  void curveOrderIsAPermutationThatKeepsNeighboursTogetherAndChangesNoSum() {
    Random random = new Random(13);
    int n = 20_000;
    double[] values = new double[n * 3];
    double[] amounts = new double[n];
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < 3; f++) {
        values[i * 3 + f] = random.nextGaussian() * (f + 1);
      }
      amounts[i] = random.nextDouble() * 100;
      keys[i] = random.nextLong();
    }
    values[7 * 3 + 1] = Double.NaN; // a point that is not finite still gets a place
    PointBlock block = new PointBlock(3, values, amounts, keys);
    int[] order = block.curveOrder();
    assertThat(Arrays.stream(order).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
    PointBlock moved = block.permuted(order);
    for (int i = 0; i < n; i++) {
      assertThat(moved.point(i)).containsExactly(block.point(order[i]));
      assertThat(moved.amounts()[i]).isEqualTo(amounts[order[i]]);
      assertThat(moved.keys()[i]).isEqualTo(keys[order[i]]);
    }
    // Consecutive points lie far nearer one another than random pairs do.
    assertThat(meanStep(moved)).isLessThan(meanStep(block) / 5);

    double[] finite = values.clone();
    finite[7 * 3 + 1] = 0;
    PointBlock whole = new PointBlock(3, finite, amounts, keys);
    double[][] centers = {{0, 0, 0}, {1, 2, 3}, {-1, -2, -3}};
    LloydSums before = new LloydSums(3, 3).add(centers, whole);
    LloydSums after = new LloydSums(3, 3).add(centers, whole.permuted(whole.curveOrder()));
    for (int c = 0; c < 3; c++) {
      assertThat(after.centers(centers)[c]).containsExactly(before.centers(centers)[c]);
    }
    assertThat(after.cost()).isEqualTo(before.cost());
  }

  @Test
  void curveOrderRefusesABlockBeyondItsIndexBits() {
    int n = (1 << 17) + 1;
    PointBlock huge = new PointBlock(1, new double[n], new double[n], new long[n]);
    assertThatThrownBy(huge::curveOrder).hasMessage("Cannot order a block of 131073 points: at most 131072");
  }

  /** The mean distance between consecutive finite points of a block. */
  private static double meanStep(PointBlock block) {
    double total = 0;
    int steps = 0;
    for (int i = 1; i < block.size(); i++) {
      double d = 0;
      for (int f = 0; f < block.dim(); f++) {
        double diff = block.values()[i * block.dim() + f] - block.values()[(i - 1) * block.dim() + f];
        d += diff * diff;
      }
      if (Double.isFinite(d)) {
        total += Math.sqrt(d);
        steps++;
      }
    }
    return total / steps;
  }

  @Test
  void correctSumIsTheExactSumRoundedOnceInAnyOrder() {
    Random random = new Random(17);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(3_000);
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add(
            switch (trial % 4) {
              case 0 -> Math.round(random.nextDouble() * 100_000) / 100.0; // amounts in cents
              case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(30) - 15); // mixed magnitudes
              case 2 -> random.nextBoolean() ? 1e300 * random.nextGaussian() : Double.MIN_VALUE * random.nextInt(1000);
              default -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1);
            });
      }
      BigDecimal exact = BigDecimal.ZERO;
      CorrectSum forward = new CorrectSum();
      for (double value : values) {
        exact = exact.add(new BigDecimal(value));
        forward.add(value);
      }
      Collections.shuffle(values, random);
      CorrectSum left = new CorrectSum();
      CorrectSum right = new CorrectSum();
      for (int i = 0; i < values.size(); i++) {
        (i % 5 == 0 ? left : right).add(values.get(i));
      }
      double expected = exact.doubleValue();
      assertThat(forward.value()).as("trial %d", trial).isEqualTo(expected);
      assertThat(left.add(right).value()).as("trial %d, split", trial).isEqualTo(expected);
    }
    // Cancellation a double sum gets wrong, and amounts a double sum leaves off the cent.
    assertThat(new CorrectSum().add(1e16).add(1).add(-1e16).value()).isEqualTo(1);
    CorrectSum cents = new CorrectSum();
    for (int i = 0; i < 1_000; i++) {
      cents.add(0.1);
    }
    assertThat(cents.value()).isEqualTo(new BigDecimal(0.1).multiply(BigDecimal.valueOf(1_000)).doubleValue()).isEqualTo(100.0);
    assertThat(new CorrectSum().value()).isZero();
    assertThatThrownBy(() -> new CorrectSum().add(Double.NaN)).hasMessage("Cannot sum NaN exactly: not finite");
  }

  @Test
  void groupedTotalsIgnoreTheSplitAndSkipNullsAsSqlDoes() {
    Random random = new Random(5);
    List<String> keys = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      keys.add(random.nextInt(3) == 0 ? null : "k" + random.nextInt(4));
      values.add(random.nextInt(10) == 0 ? null : random.nextGaussian() * Math.pow(10, random.nextInt(7)));
    }
    ExactTotals<List<String>> whole = new ExactTotals<>(2);
    ExactTotals<List<String>> odd = new ExactTotals<>(2);
    ExactTotals<List<String>> even = new ExactTotals<>(2);
    for (int i = 0; i < keys.size(); i++) {
      whole.add(Arrays.asList(keys.get(i)), values.get(i), 1.0);
    }
    for (int i = keys.size() - 1; i >= 0; i--) {
      (i % 2 == 0 ? even : odd).add(Arrays.asList(keys.get(i)), values.get(i), 1.0);
    }
    var expected = whole.totals();
    var merged = odd.merge(even).totals();
    assertThat(merged.keySet()).isEqualTo(expected.keySet()).hasSize(5);
    for (List<String> key : expected.keySet()) {
      assertThat(merged.get(key).count()).isEqualTo(expected.get(key).count());
      assertThat(merged.get(key).sums()).containsExactly(expected.get(key).sums());
      double plain = 0;
      long rows = 0;
      for (int i = 0; i < keys.size(); i++) {
        if (Arrays.asList(keys.get(i)).equals(key)) {
          rows++;
          plain += values.get(i) == null ? 0 : values.get(i);
        }
      }
      assertThat(expected.get(key).count()).isEqualTo(rows);
      assertThat(expected.get(key).sums()[0]).isCloseTo(plain, within(1e-3));
      assertThat(expected.get(key).sums()[1]).isEqualTo((double) rows);
    }

    ExactTotals<String> sparse = new ExactTotals<String>(2).add("a", null, 1.0).add("a", null, Double.POSITIVE_INFINITY);
    assertThat(sparse.totals().get("a").sums()).containsExactly(null, Double.POSITIVE_INFINITY);
    assertThat(sparse.totals().get("a").count()).isEqualTo(2);
    assertThatThrownBy(() -> sparse.add("a", 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected 2 values, got 1");
  }

  private static PointBlock block(double[] values, int from, int to) {
    double[] part = Arrays.copyOfRange(values, from * 2, to * 2);
    return new PointBlock(2, part, new double[to - from], new long[to - from]);
  }
}
