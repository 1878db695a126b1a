package dev.lifecycle.core.rfm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RankScoresTest {
  private static ValueHistogram distinct(double... values) {
    long[] ones = new long[values.length];
    java.util.Arrays.fill(ones, 1);
    return new ValueHistogram(values, ones);
  }

  @Test
  void tenDistinctValuesFallTwoToABin() {
    // percent_rank of v = (v-1)/9; score = 1 + floor(5 * percent_rank), capped at 5.
    RankScores scores = RankScores.ascending(distinct(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 5);

    assertThat(IntStream.rangeClosed(1, 10).map(v -> scores.score(v)).toArray())
        .containsExactly(1, 1, 2, 2, 3, 3, 4, 4, 5, 5);
    assertThat(scores.cuts()).containsExactly(3, 5, 7, 9);
  }

  @Test
  void tiesNeverSplitABin() {
    // 60 customers bought once, 20 twice, 20 three times: n = 100, ranks 0, 60, 80.
    // percent_rank: 0, 60/99, 80/99 -> scores 1, 4 (floor 3.03) + 1 = 4, 1 + floor(4.04) = 5.
    RankScores scores =
        RankScores.ascending(new ValueHistogram(new double[] {1, 2, 3}, new long[] {60, 20, 20}), 5);

    assertThat(scores.score(1)).isEqualTo(1);
    assertThat(scores.score(2)).isEqualTo(4);
    assertThat(scores.score(3)).isEqualTo(5);
  }

  @Test
  void descendingGivesTheLowestValueTheTopScore() {
    RankScores scores = RankScores.descending(distinct(0, 10, 20, 30, 40, 50, 60, 70, 80, 90), 5);

    assertThat(scores.score(0)).isEqualTo(5);
    assertThat(scores.score(10)).isEqualTo(5);
    assertThat(scores.score(20)).isEqualTo(4);
    assertThat(scores.score(80)).isEqualTo(1);
    assertThat(scores.score(90)).isEqualTo(1);
  }

  @Test
  void singleCustomerScoresOne() {
    RankScores scores = RankScores.ascending(distinct(42), 5);

    assertThat(scores.score(42)).isEqualTo(1);
  }

  @Test
  void allEqualScoreOne() {
    RankScores scores =
        RankScores.ascending(new ValueHistogram(new double[] {7}, new long[] {1000}), 5);

    assertThat(scores.score(7)).isEqualTo(1);
  }

  @Test
  void histogramMustBeAscendingAndDistinct() {
    assertThatThrownBy(() -> new ValueHistogram(new double[] {2, 1}, new long[] {1, 1}))
        .hasMessage("Cannot build histogram: values must be distinct and ascending at index 1");
  }
}
