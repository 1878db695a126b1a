package dev.lifecycle.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdjustedRandTest {
  @Test
  void identicalPartitionsUnderOtherNamesScoreOne() {
    AdjustedRand ari = new AdjustedRand().add(1, 7, 30).add(2, 3, 20).add(3, 5, 50);
    assertThat(ari.index()).isEqualTo(1.0);
  }

  @Test
  void aWorkedExample() {
    // Contingency [[1, 1], [0, 2]] (labels a = 0 0 1 1, b = 0 1 1 1):
    // cell pairs 1; row pairs 1 + 1 = 2; column pairs 0 + 3 = 3; n pairs 6;
    // expected 2 * 3 / 6 = 1, max (2 + 3) / 2 = 2.5: ARI = (1 - 1) / (2.5 - 1) = 0
    AdjustedRand ari = new AdjustedRand().add(0, 0, 1).add(0, 1, 1).add(1, 1, 2);
    assertThat(ari.index()).isCloseTo(0, within(1e-12));
    // [[2, 0], [1, 1]]: cells 1; rows 1 + 1 = 2; cols 3 + 0 = 3 -> again 0. And a split of one
    // class into two: [[2, 2]] rows 6, cols 1 + 1 = 2, cells 2, n pairs 6, expected 2, max 4 -> 0
    assertThat(new AdjustedRand().add(0, 0, 2).add(0, 1, 2).index()).isCloseTo(0, within(1e-12));
  }

  @Test
  void oneClassOnBothSidesIsUndefined() {
    assertThat(new AdjustedRand().add(0, 0, 5).index()).isNaN();
  }
}
