package dev.lifecycle.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedKMeansTest {
  @Test
  void twoPairsOnALineByHand() {
    double[][] points = {{0}, {1}, {10}, {11}};
    WeightedKMeans.Result result = WeightedKMeans.fit(points, ones(4), 2, 7, 50);
    assertThat(result.assignment()[0]).isEqualTo(result.assignment()[1]).isNotEqualTo(result.assignment()[2]);
    assertThat(result.assignment()[2]).isEqualTo(result.assignment()[3]);
    assertThat(result.centers()[result.assignment()[0]][0]).isEqualTo(0.5);
    assertThat(result.centers()[result.assignment()[2]][0]).isEqualTo(10.5);
    assertThat(result.cost()).isEqualTo(1.0);
  }

  @Test
  void aWeightCountsAsThatManyCopies() {
    Random random = new Random(3);
    List<double[]> copies = new ArrayList<>();
    double[][] points = new double[90][];
    double[] weights = new double[90];
    for (int i = 0; i < points.length; i++) {
      double[] center = {10 * (i % 3), i % 3 == 1 ? 10 : 0};
      points[i] = new double[] {center[0] + random.nextGaussian(), center[1] + random.nextGaussian()};
      weights[i] = 1 + i % 4;
      for (int c = 0; c < weights[i]; c++) {
        copies.add(points[i]);
      }
    }
    WeightedKMeans.Result weighted = WeightedKMeans.fit(points, weights, 3, 1, 100);
    double[][] repeated = copies.toArray(double[][]::new);
    WeightedKMeans.Result copied = WeightedKMeans.fit(repeated, ones(repeated.length), 3, 1, 100);
    assertThat(weighted.cost()).isCloseTo(copied.cost(), within(1e-9 * copied.cost()));
    assertThat(sorted(weighted.centers())).isDeepEqualTo(sorted(copied.centers()));
    assertThat(WeightedKMeans.fit(points, weights, 3, 1, 100)).usingRecursiveComparison().isEqualTo(weighted);
  }

  @Test
  void boundsGiveTheClustersOfComparingEveryPointWithEveryCenter() {
    Random random = new Random(9);
    for (int trial = 0; trial < 30; trial++) {
      int n = 200 + random.nextInt(800);
      int k = 1 + random.nextInt(10);
      double[][] points = new double[n][3];
      double[] weights = new double[n];
      for (int i = 0; i < n; i++) {
        for (int f = 0; f < 3; f++) {
          // Every third trial on a coarse lattice: duplicate points and ties between centers.
          points[i][f] = trial % 3 == 0 ? random.nextInt(3) : random.nextGaussian() + 4 * (i % k);
        }
        weights[i] = 1 + random.nextInt(3);
      }
      double[][] start = new double[k][];
      for (int c = 0; c < k; c++) {
        start[c] = points[random.nextInt(n)].clone();
      }
      WeightedKMeans.Result fast = WeightedKMeans.lloyd(points, weights, start, 50);
      WeightedKMeans.Result plain = plainLloyd(points, weights, start, 50);
      assertThat(fast.assignment()).as("trial %d", trial).containsExactly(plain.assignment());
      assertThat(fast.centers()).isDeepEqualTo(plain.centers());
      assertThat(fast.iterations()).isEqualTo(plain.iterations());
      assertThat(fast.cost()).isEqualTo(plain.cost());
    }
  }

  /** Every point against every center on every pass, until no point changes cluster. */
  private static WeightedKMeans.Result plainLloyd(double[][] points, double[] weights, double[][] start, int maxIterations) {
    double[][] centers = start;
    int[] assignment = new int[points.length];
    Arrays.fill(assignment, -1);
    int iteration = 0;
    boolean changed = true;
    while (changed && iteration < maxIterations) {
      iteration++;
      changed = false;
      for (int i = 0; i < points.length; i++) {
        int nearest = WeightedKMeans.nearest(points[i], centers);
        changed |= nearest != assignment[i];
        assignment[i] = nearest;
      }
      if (changed) {
        double[][] next = new double[centers.length][];
        for (int c = 0; c < centers.length; c++) {
          double weight = 0;
          double[] sum = new double[points[0].length];
          for (int i = 0; i < points.length; i++) {
            if (assignment[i] == c) {
              weight += weights[i];
              for (int f = 0; f < sum.length; f++) {
                sum[f] += weights[i] * points[i][f];
              }
            }
          }
          if (weight == 0) {
            next[c] = centers[c];
            continue;
          }
          for (int f = 0; f < sum.length; f++) {
            sum[f] /= weight;
          }
          next[c] = sum;
        }
        centers = next;
      }
    }
    double cost = 0;
    for (int i = 0; i < points.length; i++) {
      double[] center = centers[assignment[i]];
      double squared = 0;
      for (int f = 0; f < center.length; f++) {
        squared += (points[i][f] - center[f]) * (points[i][f] - center[f]);
      }
      cost += weights[i] * squared;
    }
    return new WeightedKMeans.Result(centers, assignment, cost, iteration);
  }

  @Test
  void silhouetteByHand() {
    // cluster 0 holds 0 and 2, cluster 1 holds 10 alone: s = (100 - 4) / 100, (64 - 4) / 64 and 0
    double[][] points = {{0}, {2}, {10}};
    assertThat(WeightedKMeans.silhouette(points, ones(3), new int[] {0, 0, 1}, 2))
        .isCloseTo((0.96 + 0.9375 + 0) / 3, within(1e-12));
    // weight 2 on the point at 0 (as Spark weighs it: a point's own weight leaves its cluster's
    // count, so unlike two copies it is not at distance 0 from itself): half the mean's weight
    assertThat(WeightedKMeans.silhouette(points, new double[] {2, 1, 1}, new int[] {0, 0, 1}, 2))
        .isCloseTo((2 * 0.96 + 0.9375 + 0) / 4, within(1e-12));
  }

  @Test
  void distinctStopsAtTheLimit() {
    double[][] points = {{1, 2}, {1, 2}, {3, 4}, {5, 6}};
    assertThat(WeightedKMeans.distinct(points, 10)).isEqualTo(3);
    assertThat(WeightedKMeans.distinct(points, 2)).isEqualTo(2);
  }

  @Test
  void badArgumentsSaySo() {
    assertThatThrownBy(() -> WeightedKMeans.fit(new double[][] {{0}}, ones(1), 2, 1, 10))
        .hasMessage("Cannot cluster 1 points into k=2");
    assertThatThrownBy(() -> WeightedKMeans.fit(new double[][] {{0}, {1}}, new double[] {1, 0}, 1, 1, 10))
        .hasMessage("Cannot cluster with weight 0.0: needs a positive, finite weight");
  }

  private static double[] ones(int n) {
    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    return ones;
  }

  private static double[][] sorted(double[][] centers) {
    double[][] copy = centers.clone();
    Arrays.sort(copy, (a, b) -> Double.compare(a[0] * 1000 + a[1], b[0] * 1000 + b[1]));
    for (int c = 0; c < copy.length; c++) {
      copy[c] = Arrays.stream(copy[c]).map(v -> Math.round(v * 1e9) / 1e9).toArray();
    }
    return copy;
  }
}
