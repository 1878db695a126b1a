package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.cluster.ExactSum;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;

/**
 * The numbering of the segments: 1 for the highest mean revenue per customer, of either method.
 * The revenue and customers of each k-means cluster and SOM node come from one exact pass over the
 * scored customers, so the numbering does not depend on the partitioning.
 */
final class SegmentOrder {
  /** The segment of each k-means cluster and of each SOM node. */
  record Numbers(int[] kmeansSegment, int[] nodeSegment) {}

  private SegmentOrder() {}

  /**
   * The numbers of the k clusters and of the nodes, whose second-level clusters are {@code
   * nodeClusters}, by the revenue of the scored customers.
   */
  static Numbers byRevenue(JavaRDD<SegmentScorer.Scored> scored, int k, int[] nodeClusters) {
    double[][] cells = revenue(scored, k, nodeClusters.length);
    int somK = 1 + Arrays.stream(nodeClusters).max().orElse(0);
    double[][] kmeansRevenue = new double[2][k];
    double[][] somRevenue = new double[2][somK];
    for (int c = 0; c < k; c++) {
      kmeansRevenue[0][c] = cells[0][c];
      kmeansRevenue[1][c] = cells[1][c];
    }
    for (int node = 0; node < nodeClusters.length; node++) {
      somRevenue[0][nodeClusters[node]] += cells[0][k + node];
      somRevenue[1][nodeClusters[node]] += cells[1][k + node];
    }
    int[] kmeansSegment = byRevenue(kmeansRevenue[0], kmeansRevenue[1]);
    int[] somSegment = byRevenue(somRevenue[0], somRevenue[1]);
    int[] nodeSegment = new int[nodeClusters.length];
    for (int node = 0; node < nodeClusters.length; node++) {
      nodeSegment[node] = somSegment[nodeClusters[node]];
    }
    return new Numbers(kmeansSegment, nodeSegment);
  }

  /** Revenue and customers of each k-means cluster (0..k-1) and then each SOM node. */
  private record Cells(ExactSum[] revenue, long[] customers) implements Serializable {
    Cells(int width) {
      this(IntStream.range(0, width).mapToObj(i -> new ExactSum()).toArray(ExactSum[]::new), new long[width]);
    }

    void add(int cell, double amount) {
      revenue[cell].add(amount);
      customers[cell]++;
    }

    Cells merge(Cells other) {
      for (int c = 0; c < customers.length; c++) {
        revenue[c].add(other.revenue[c]);
        customers[c] += other.customers[c];
      }
      return this;
    }
  }

  /**
   * Revenue (row 0) and customers (row 1) of each k-means cluster (columns 0..k-1) and each SOM
   * node (columns k..) of the scored customers.
   */
  private static double[][] revenue(JavaRDD<SegmentScorer.Scored> scored, int k, int nodes) {
    Cells cells =
        scored.treeAggregate(
            new Cells(k + nodes),
            (total, block) -> {
              double[] amounts = block.customers().points().amounts();
              for (int i = 0; i < amounts.length; i++) {
                total.add(block.clusters()[i], amounts[i]);
                total.add(k + block.nodes()[i], amounts[i]);
              }
              return total;
            },
            Cells::merge);
    double[][] out = new double[2][cells.customers().length];
    for (int c = 0; c < out[0].length; c++) {
      out[0][c] = cells.revenue()[c].value();
      out[1][c] = cells.customers()[c];
    }
    return out;
  }

  /**
   * Segment numbers for clusters 0..k-1 from their revenue and customers: 1 for the highest mean
   * revenue per customer. Clusters without customers come last, in cluster order.
   */
  static int[] byRevenue(double[] revenue, double[] customers) {
    int k = revenue.length;
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      order.add(c);
    }
    order.sort(
        (a, b) -> {
          boolean hasA = customers[a] > 0;
          boolean hasB = customers[b] > 0;
          if (hasA != hasB) {
            return hasA ? -1 : 1;
          }
          double meanA = hasA ? revenue[a] / customers[a] : 0;
          double meanB = hasB ? revenue[b] / customers[b] : 0;
          int byValue = Double.compare(meanB, meanA);
          return byValue != 0 ? byValue : Integer.compare(a, b);
        });
    int[] segment = new int[k];
    for (int rank = 0; rank < k; rank++) {
      segment[order.get(rank)] = rank + 1;
    }
    return segment;
  }
}
