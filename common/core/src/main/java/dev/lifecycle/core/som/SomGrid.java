package dev.lifecycle.core.som;

import java.io.Serializable;

/**
 * The map's grid of ROWS x COLS nodes, numbered row by row. On a rectangular grid node (row, col)
 * sits at (col, row); on a hexagonal grid odd rows shift half a step right and rows are sqrt(3)/2
 * apart, so each inner node has six neighbours at distance 1.
 */
public record SomGrid(int rows, int cols, Topology topology) implements Serializable {
  private static final double HEX_ROW_HEIGHT = Math.sqrt(3) / 2;

  /** How the nodes are laid out. */
  public enum Topology {
    RECTANGULAR,
    HEXAGONAL
  }

  public SomGrid {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(
          "Cannot build a SOM grid of " + rows + " x " + cols + ": both sides must be at least 1");
    }
  }

  public int nodes() {
    return rows * cols;
  }

  public int row(int node) {
    return node / cols;
  }

  public int col(int node) {
    return node % cols;
  }

  public double x(int node) {
    double x = col(node);
    return topology == Topology.HEXAGONAL && row(node) % 2 == 1 ? x + 0.5 : x;
  }

  public double y(int node) {
    return topology == Topology.HEXAGONAL ? row(node) * HEX_ROW_HEIGHT : row(node);
  }

  /** Squared distance between two nodes on the map (not in data space). */
  public double distanceSquared(int a, int b) {
    double dx = x(a) - x(b);
    double dy = y(a) - y(b);
    return dx * dx + dy * dy;
  }

  /**
   * Whether two distinct nodes are neighbours: the six nearest on a hexagonal grid, the eight
   * around on a rectangular one (diagonals included, as in the topographic error of MiniSom).
   */
  public boolean adjacent(int a, int b) {
    if (a == b) {
      return false;
    }
    if (topology == Topology.HEXAGONAL) {
      return distanceSquared(a, b) < 1 + 1e-9;
    }
    return Math.abs(row(a) - row(b)) <= 1 && Math.abs(col(a) - col(b)) <= 1;
  }

  /**
   * The default grid for N points: about 5 sqrt(N) nodes (Vesanto's rule of thumb), at most
   * {@code maxNodes}, at least 2 x 2, with the sides in the given ratio (rows / cols).
   */
  public static SomGrid forData(long points, int maxNodes, double ratio, Topology topology) {
    double nodes = Math.max(4, Math.min(maxNodes, 5 * Math.sqrt(points)));
    int rows = Math.max(2, (int) Math.round(Math.sqrt(nodes * ratio)));
    int cols = Math.max(2, (int) Math.round(nodes / rows));
    return new SomGrid(rows, cols, topology);
  }
}
