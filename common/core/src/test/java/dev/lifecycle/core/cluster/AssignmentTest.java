package dev.lifecycle.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AssignmentTest {
  @Test
  void aTextbookMatrixGetsItsKnownOptimum() {
    // Workers × jobs; the optimum is 1→1, 2→0, 3→2 (0-based rows 0..2: 1, 0, 2) with cost 5.
    double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
    int[] column = Assignment.solve(cost);
    assertThat(column).containsExactly(1, 0, 2);
    assertThat(total(cost, column)).isEqualTo(5);
  }

  @Test
  void itIsNeverWorseThanEveryPermutationOnRandomMatrices() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(6);
      double[][] cost = new double[n][n];
      for (double[] row : cost) {
        for (int j = 0; j < n; j++) {
          row[j] = random.nextDouble() * 10;
        }
      }
      assertThat(total(cost, Assignment.solve(cost))).isCloseTo(bruteForce(cost, 0, new boolean[n]), org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  @Test
  void rectangularMatricesLeaveTheExtraRowsOrColumnsOut() {
    double[][] moreRows = {{1, 9}, {9, 1}, {0.5, 0.6}};
    int[] column = Assignment.solve(moreRows);
    assertThat(column).containsExactly(-1, 1, 0);
    double[][] moreColumns = {{5, 1, 9}, {1, 7, 9}};
    assertThat(Assignment.solve(moreColumns)).containsExactly(1, 0);
    assertThat(Assignment.solve(new double[0][0])).isEmpty();
  }

  @Test
  void aCostThatIsNotFiniteIsRefused() {
    assertThatThrownBy(() -> Assignment.solve(new double[][] {{1, Double.NaN}}))
        .hasMessage("Cannot assign: cost[0][1] is NaN");
  }

  private static double total(double[][] cost, int[] column) {
    double sum = 0;
    for (int i = 0; i < column.length; i++) {
      sum += column[i] < 0 ? 0 : cost[i][column[i]];
    }
    return sum;
  }

  private static double bruteForce(double[][] cost, int row, boolean[] taken) {
    if (row == cost.length) {
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < taken.length; j++) {
      if (!taken[j]) {
        taken[j] = true;
        best = Math.min(best, cost[row][j] + bruteForce(cost, row + 1, taken));
        taken[j] = false;
      }
    }
    return best;
  }
}
