package dev.lifecycle.common.som;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Exact best-unit search over a k-d tree of the codebook's nodes, so a point is compared with a
 * handful of nodes instead of all of them. Each split halves its nodes at the median of the
 * feature in which they spread most; a search descends to the point's side first and crosses a
 * split only when the point is no further from it than the distance to beat.
 *
 * <p>The answer equals a scan of every node in index order: nodes rank by (distance, index), so
 * the best is the lowest index among the nearest and the second the next in that order. A split is
 * crossed when the squared gap is at most the distance to beat, and since rounding is monotonic, no
 * node beyond it can come out nearer in floating point either.
 */
final class NodeSearch {
  /** Most nodes in a leaf, scanned in full. */
  private static final int LEAF = 4;

  private final Codebook codebook;
  private final int dim;
  /** The nodes' weights in tree order, so a leaf's nodes lie side by side. */
  private final double[] ordered;
  /** Node indices in tree order: each tree node covers a range of them. */
  private final int[] order;
  private final int[] start;
  private final int[] end;
  private final int[] feature;
  private final double[] split;
  private final int[] below;
  private final int[] above;
  private int size;

  NodeSearch(Codebook codebook) {
    this.codebook = codebook;
    int nodes = codebook.grid().nodes();
    this.order = new int[nodes];
    for (int node = 0; node < nodes; node++) {
      order[node] = node;
    }
    int capacity = 2 * nodes;
    start = new int[capacity];
    end = new int[capacity];
    feature = new int[capacity];
    split = new double[capacity];
    below = new int[capacity];
    above = new int[capacity];
    build(0, nodes);
    this.dim = codebook.dim();
    this.ordered = new double[nodes * dim];
    for (int i = 0; i < nodes; i++) {
      for (int f = 0; f < dim; f++) {
        ordered[i * dim + f] = codebook.weight(order[i], f);
      }
    }
  }

  /** Builds the tree over order[from, to) and returns its index. */
  private int build(int from, int to) {
    int t = size++;
    start[t] = from;
    end[t] = to;
    feature[t] = -1;
    if (to - from <= LEAF) {
      return t;
    }
    int widest = 0;
    double widestSpread = -1;
    for (int f = 0; f < codebook.dim(); f++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = from; i < to; i++) {
        double w = codebook.weight(order[i], f);
        min = Math.min(min, w);
        max = Math.max(max, w);
      }
      if (max - min > widestSpread) {
        widestSpread = max - min;
        widest = f;
      }
    }
    int f = widest;
    Integer[] range = Arrays.stream(order, from, to).boxed().toArray(Integer[]::new);
    Arrays.sort(range, Comparator.comparingDouble((Integer node) -> codebook.weight(node, f)).thenComparing(node -> node));
    for (int i = from; i < to; i++) {
      order[i] = range[i - from];
    }
    int middle = (from + to) >>> 1;
    feature[t] = f;
    split[t] = codebook.weight(order[middle], f);
    below[t] = build(from, middle);
    above[t] = build(middle, to);
    return t;
  }

  /** A search in progress: one per thread, reused point after point. */
  Cursor cursor() {
    return new Cursor();
  }

  /** Finds a point's best unit and, if asked, the second best; holds them until the next point. */
  final class Cursor {
    private int best;
    private int next;
    private double bestDistance;
    private double nextDistance;

    /**
     * Searches for the point at {@code values[offset..offset+dim)}; with {@code second}, the
     * second best too (-1 with one node). The best is -1 when the point is not finite.
     */
    Cursor nearest(double[] values, int offset, boolean second) {
      best = -1;
      next = -1;
      bestDistance = Double.POSITIVE_INFINITY;
      nextDistance = Double.POSITIVE_INFINITY;
      visit(0, values, offset, second);
      return this;
    }

    int best() {
      return best;
    }

    double bestDistance() {
      return bestDistance;
    }

    int second() {
      return next;
    }

    private void visit(int t, double[] values, int offset, boolean second) {
      while (feature[t] >= 0) {
        double gap = values[offset + feature[t]] - split[t];
        visit(gap < 0 ? below[t] : above[t], values, offset, second);
        if (!(gap * gap <= (second ? nextDistance : bestDistance))) {
          return;
        }
        t = gap < 0 ? above[t] : below[t];
      }
      for (int i = start[t]; i < end[t]; i++) {
        int base = i * dim;
        double d = 0;
        for (int f = 0; f < dim; f++) {
          double diff = values[offset + f] - ordered[base + f];
          d += diff * diff;
        }
        int node = order[i];
        if (d < bestDistance || (d == bestDistance && node < best)) {
          next = best;
          nextDistance = bestDistance;
          best = node;
          bestDistance = d;
        } else if (second && (d < nextDistance || (d == nextDistance && node < next))) {
          next = node;
          nextDistance = d;
        }
      }
    }
  }
}
