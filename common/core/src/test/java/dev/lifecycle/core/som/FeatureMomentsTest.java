package dev.lifecycle.core.som;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FeatureMomentsTest {
  @Test
  void meansAndCovarianceByHand() {
    // (1, 2), (3, 6), (5, 7): means 3 and 5; variances 4 and 7; covariance (−2·−3 + 0·1 + 2·2)/2 = 5
    FeatureMoments moments =
        new FeatureMoments(2).add(new double[] {1, 2}).add(new double[] {3, 6}).add(new double[] {5, 7});
    assertThat(moments.count()).isEqualTo(3);
    assertThat(moments.mean()).containsExactly(new double[] {3, 5}, within(1e-12));
    double[][] c = moments.covariance();
    assertThat(c[0]).containsExactly(new double[] {4, 5}, within(1e-12));
    assertThat(c[1]).containsExactly(new double[] {5, 7}, within(1e-12));
  }

  @Test
  void pooledPartsEqualTheWhole() {
    double[][] points = BatchSomTest.blobs(1_001, 3, 4);
    FeatureMoments whole = new FeatureMoments(3);
    FeatureMoments[] parts = {new FeatureMoments(3), new FeatureMoments(3), new FeatureMoments(3)};
    for (int i = 0; i < points.length; i++) {
      whole.add(points[i]);
      parts[i < 10 ? 0 : i < 700 ? 1 : 2].add(points[i]);
    }
    FeatureMoments pooled = new FeatureMoments(3).merge(parts[0]).merge(parts[1]).merge(parts[2]);
    assertThat(pooled.count()).isEqualTo(1_001);
    assertThat(pooled.mean()).containsExactly(whole.mean(), within(1e-12));
    for (int f = 0; f < 3; f++) {
      assertThat(pooled.covariance()[f]).containsExactly(whole.covariance()[f], within(1e-10));
    }
    assertThat(new FeatureMoments(2).add(new double[] {1, 1}).covariance()[0]).containsExactly(0, 0);
  }

  /**
   * 300 customers of one order of 10 each: their features are identical, yet the fixed point's
   * resolution leaves their standard deviation well above 1e-12, which the segment stage took for
   * a spread and then failed on k = 1. The range tells.
   */
  @Test
  void identicalPointsAreAllEqualThoughTheirDeviationIsNotZero() {
    double[] point = {Math.log1p(10), Math.log1p(1), Math.log1p(0), Math.log1p(157)};
    FeatureMoments same = new FeatureMoments(4);
    for (int i = 0; i < 300; i++) {
      same.add(point);
    }
    assertThat(same.standardDeviation()[0]).isGreaterThan(1e-12);
    assertThat(same.allEqual()).isTrue();
    assertThat(new FeatureMoments(4).merge(same).merge(new FeatureMoments(4).add(point)).allEqual()).isTrue();
    FeatureMoments one = new FeatureMoments(4).add(point);
    assertThat(one.allEqual()).isTrue();

    double[] nearby = point.clone();
    nearby[3] = Math.nextUp(nearby[3]);
    assertThat(same.merge(new FeatureMoments(4).add(nearby)).allEqual()).isFalse();
  }
}
