package dev.lifecycle.core.cluster;

import java.util.Arrays;

/**
 * The optimal one-to-one assignment of rows to columns of a cost matrix (Kuhn and Munkres, the
 * Hungarian method, in its O(n³) form with potentials): the matching of min(rows, columns) pairs
 * whose total cost is least. A rectangular matrix is padded with zero-cost dummies, so the extra
 * rows (or columns) stay unassigned.
 */
public final class Assignment {
  private Assignment() {}

  /**
   * For each row, its column, or −1 when there are more rows than columns and the row is left
   * over. Costs must be finite.
   */
  public static int[] solve(double[][] cost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    int n = Math.max(rows, cols);
    double[][] a = new double[n + 1][n + 1];
    for (int i = 0; i < rows; i++) {
      if (cost[i].length != cols) {
        throw new IllegalArgumentException("Cannot assign: row " + i + " has " + cost[i].length + " costs, not " + cols);
      }
      for (int j = 0; j < cols; j++) {
        if (!Double.isFinite(cost[i][j])) {
          throw new IllegalArgumentException("Cannot assign: cost[" + i + "][" + j + "] is " + cost[i][j]);
        }
        a[i + 1][j + 1] = cost[i][j];
      }
    }
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] p = new int[n + 1]; // p[j]: the row matched to column j (1-based), 0 for none
    int[] way = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      double[] minv = new double[n + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[n + 1];
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double current = a[i0][j] - u[i0] - v[j];
            if (current < minv[j]) {
              minv[j] = current;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] column = new int[rows];
    Arrays.fill(column, -1);
    for (int j = 1; j <= n; j++) {
      if (p[j] >= 1 && p[j] <= rows && j <= cols) {
        column[p[j] - 1] = j - 1;
      }
    }
    return column;
  }
}
