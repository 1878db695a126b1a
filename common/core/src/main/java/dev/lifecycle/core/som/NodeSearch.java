package dev.lifecycle.core.som;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

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
 *
 * <p>Most points are not searched in the tree at all. A grid of cells spans the codebook's box
 * (a tenth wider on each side), and each cell lists, once, the nodes that can be the best (or the
 * best two) for some point inside it: every node except those surely further from the whole cell
 * than another node is from all of it. A point inside the grid is compared with its cell's few
 * nodes only, in index order, which ranks them as a scan of every node would; a point outside the
 * grid, or not finite, goes to the tree. The lists are filled as cells are first reached, shared
 * by every thread that searches this codebook.
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
  private final Cells cells;

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
    this.cells = new Cells(codebook);
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
      int cell = cells.of(values, offset);
      if (cell >= 0) {
        for (int node : cells.candidates(cell, second)) {
          offer(node, codebook.distanceSquared(values, offset, node), second);
        }
      } else {
        visit(0, values, offset, second);
      }
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
        offer(order[i], d, second);
      }
    }

    /** Ranks a node at squared distance d by (distance, index) against the best two so far. */
    private void offer(int node, double d, boolean second) {
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

  /**
   * The grid of cells and, per cell, the nodes that can be a point's best unit (and those that can
   * be its best or second best) for some point in the cell.
   */
  private static final class Cells {
    /** The grid has at most about this many cells, whatever the dimension. */
    private static final int MOST = 1 << 13;

    private final Codebook codebook;
    private final int dim;
    private final int perAxis;
    private final double[] origin;
    private final double[] width;
    /** 1 / width: a product is cheaper than a quotient, and the cells are a millionth wider anyway. */
    private final double[] inverseWidth;
    /** Margin on a distance for rounding: far above the error of any distance computed here. */
    private final double slack;
    private final AtomicReferenceArray<int[]> best;
    private final AtomicReferenceArray<int[]> bestTwo;

    Cells(Codebook codebook) {
      this.codebook = codebook;
      this.dim = codebook.dim();
      int nodes = codebook.grid().nodes();
      // Cells pay off when they hold far fewer nodes than the tree visits; with few nodes or many
      // dimensions the grid is left out (one cell per axis) and every point goes to the tree.
      this.perAxis = nodes < 8 ? 1 : (int) Math.floor(Math.pow(MOST, 1.0 / dim) + 1e-9);
      this.origin = new double[dim];
      this.width = new double[dim];
      this.inverseWidth = new double[dim];
      double largest = 0;
      for (int f = 0; f < dim; f++) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int node = 0; node < nodes; node++) {
          min = Math.min(min, codebook.weight(node, f));
          max = Math.max(max, codebook.weight(node, f));
        }
        double span = Math.max((max - min) * 1.2, 1e-9 * (1 + Math.abs(min)));
        origin[f] = min - (span - (max - min)) / 2;
        width[f] = span / perAxis;
        inverseWidth[f] = perAxis / span;
        largest = Math.max(largest, Math.max(Math.abs(origin[f]), Math.abs(origin[f] + span)));
      }
      this.slack = 1e-12 * (1 + largest);
      int count = 1;
      for (int f = 0; f < dim && perAxis > 1; f++) {
        count *= perAxis;
      }
      this.best = new AtomicReferenceArray<>(perAxis > 1 ? count : 0);
      this.bestTwo = new AtomicReferenceArray<>(perAxis > 1 ? count : 0);
    }

    /** The cell of the point at values[offset..), or -1 outside the grid (or not finite). */
    int of(double[] values, int offset) {
      if (perAxis == 1) {
        return -1;
      }
      int cell = 0;
      for (int f = 0; f < dim; f++) {
        double u = (values[offset + f] - origin[f]) * inverseWidth[f];
        if (!(u >= 0 && u < perAxis)) {
          return -1;
        }
        cell = cell * perAxis + (int) u;
      }
      return cell;
    }

    /** The nodes, in index order, that can be the best (or with {@code two}, best or second). */
    int[] candidates(int cell, boolean two) {
      AtomicReferenceArray<int[]> lists = two ? bestTwo : best;
      int[] list = lists.get(cell);
      if (list == null) {
        list = compute(cell, two ? 2 : 1);
        lists.set(cell, list);
      }
      return list;
    }

    /**
     * Every node except those surely further from each point of the cell than {@code top} other
     * nodes are. The cell is taken a millionth of its width wider on each side, which covers any
     * rounding in placing a point into it.
     */
    private int[] compute(int cell, int top) {
      double[] lo = new double[dim];
      double[] hi = new double[dim];
      for (int f = dim - 1, rest = cell; f >= 0; f--, rest /= perAxis) {
        int index = rest % perAxis;
        lo[f] = origin[f] + index * width[f] - width[f] * 1e-6;
        hi[f] = origin[f] + (index + 1) * width[f] + width[f] * 1e-6;
      }
      int nodes = codebook.grid().nodes();
      double[] nearest = new double[nodes];
      // The least and second least, over the nodes, of the squared distance to the cell's far corner
      double least = Double.POSITIVE_INFINITY;
      double secondLeast = Double.POSITIVE_INFINITY;
      for (int node = 0; node < nodes; node++) {
        double near = 0;
        double far = 0;
        for (int f = 0; f < dim; f++) {
          double w = codebook.weight(node, f);
          double outside = w < lo[f] ? lo[f] - w : w > hi[f] ? w - hi[f] : 0;
          near += outside * outside;
          double across = Math.max(w - lo[f], hi[f] - w);
          far += across * across;
        }
        nearest[node] = near;
        if (far < least) {
          secondLeast = least;
          least = far;
        } else if (far < secondLeast) {
          secondLeast = far;
        }
      }
      double bound = Math.sqrt(top == 1 || nodes == 1 ? least : secondLeast) * (1 + 1e-9) + slack;
      double beaten = bound * bound;
      return IntStream.range(0, nodes).filter(node -> nearest[node] <= beaten).toArray();
    }
  }
}
