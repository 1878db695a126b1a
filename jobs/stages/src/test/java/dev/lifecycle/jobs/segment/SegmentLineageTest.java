package dev.lifecycle.jobs.segment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which new segments keep a previous id: the assignment, less the pairs that are not nearest or too far. */
class SegmentLineageTest {
  private static final double NO_LIMIT = Double.POSITIVE_INFINITY;

  /** Distances between centroids on a line: new at {@code now}, previous at {@code was}. */
  private static double[][] cost(double[] now, double[] was) {
    double[][] cost = new double[now.length][was.length];
    for (int i = 0; i < now.length; i++) {
      for (int j = 0; j < was.length; j++) {
        cost[i][j] = Math.abs(now[i] - was[j]);
      }
    }
    return cost;
  }

  @Test
  void segmentsThatStayedNearTheirPlaceKeepTheirIdsInWhateverOrder() {
    assertThat(SegmentLineage.matches(cost(new double[] {3.1, 0.2, 6.0}, new double[] {0, 3, 6}), 3, NO_LIMIT))
        .containsExactly(1, 0, 2);
  }

  @Test
  void aSegmentThatMovedIntoAnothersPlaceTakesANewIdThoughTheAssignmentGaveItOne() {
    // Least total distance pairs 2.9 with 0 (2.9) and 10 with 3 (7.0): 9.9 against 10.1 the other
    // way. But 2.9 sits by 3, not 0: a customer there was in the segment at 3. Only 10 keeps an id.
    double[][] cost = cost(new double[] {2.9, 10}, new double[] {0, 3});
    assertThat(SegmentLineage.matches(cost, 2, NO_LIMIT)).containsExactly(-1, 1);
  }

  @Test
  void twoNewSegmentsSplittingOnePreviousOneLeaveTheFartherOneNew() {
    assertThat(SegmentLineage.matches(cost(new double[] {0.4, -0.3}, new double[] {0, 5}), 2, NO_LIMIT))
        .containsExactly(-1, 0);
  }

  @Test
  void aMatchFurtherThanTheLimitTakesANewIdAndMoreNewSegmentsThanPreviousOnesGetNewIds() {
    double[][] cost = cost(new double[] {0.3, 5.9, 9}, new double[] {0, 5});
    assertThat(SegmentLineage.matches(cost, 2, NO_LIMIT)).containsExactly(0, 1, -1);
    assertThat(SegmentLineage.matches(cost, 2, 0.5)).containsExactly(0, -1, -1);
    assertThat(SegmentLineage.matches(new double[][] {{}, {}}, 0, NO_LIMIT)).containsExactly(-1, -1);
  }
}
