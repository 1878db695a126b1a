package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.cluster.LloydSums;
import dev.lifecycle.core.cluster.PointBlock;
import dev.lifecycle.core.som.BatchSom;
import dev.lifecycle.core.som.BatchStats;
import dev.lifecycle.core.som.Codebook;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The passes over the cached customers that the SOM and k-means share. The SOM trains first, on
 * its own; once the driver has chosen k on the sample and {@link #start started} k-means from that
 * sample's centers, each SOM pass also runs the Lloyd pass k-means waits for, so one read of the
 * blocks serves both fits. The Lloyd passes still due when the SOM ends run {@link #finish alone}.
 * The centers after each Lloyd pass depend only on the start and the data, never on which pass
 * carried it, so the fit is the same whenever the driver starts.
 *
 * <p>k-means stops as MLlib's does: when no center moves more than 1e-4, or after 20 passes.
 */
final class SharedPasses implements BatchSom.Pass {
  /** MLlib's own default for the k-means on every customer. */
  static final int MAX_ITERATIONS = 20;
  /** MLlib's own: k-means on every customer stops when no center moves further. */
  static final double TOLERANCE = 1e-4;

  private final JavaRDD<PointBlock> blocks;
  private final JavaSparkContext context;
  /** The centers of the next Lloyd pass, or null before the start and after the end. */
  private double[][] due;
  private double[][] centers;
  private int iterations;
  private double cost = Double.NaN;
  private volatile boolean stopped;

  SharedPasses(JavaRDD<PointBlock> blocks) {
    this.blocks = blocks;
    this.context = JavaSparkContext.fromSparkContext(blocks.context());
  }

  /** Starts k-means from these centers: the next pass over the blocks carries its first Lloyd pass. */
  synchronized void start(double[][] start) {
    centers = start;
    due = start;
  }

  /** Ends the fit early (the stage failed): the SOM's next pass throws instead of reading the blocks. */
  void stop() {
    stopped = true;
  }

  /** A SOM pass under {@code codebook}, carrying a Lloyd pass if one is due. */
  @Override
  public BatchStats apply(Codebook codebook, Boolean topographic) {
    if (stopped) {
      throw new IllegalStateException("The segment fit was stopped");
    }
    double[][] current = takeDue();
    Broadcast<Codebook> shared = context.broadcast(codebook);
    int dim = codebook.dim();
    try {
      Sums sums =
          blocks.treeAggregate(
              new Sums(
                  new BatchStats(codebook.grid().nodes(), dim, topographic),
                  current == null ? null : new LloydSums(current.length, dim)),
              (total, block) -> total.add(shared.value(), current, block),
              Sums::merge);
      if (current != null) {
        step(current, sums.kmeans());
      }
      return sums.som();
    } finally {
      shared.destroy();
    }
  }

  /**
   * The Lloyd passes the SOM did not carry, alone, until k-means stops; then its final centers.
   * Call after the SOM has ended.
   */
  double[][] finish() {
    for (double[][] current = takeDue(); current != null; current = takeDue()) {
      double[][] next = current;
      int k = next.length;
      int dim = next[0].length;
      step(
          current,
          blocks.treeAggregate(new LloydSums(k, dim), (total, block) -> total.add(next, block), LloydSums::merge));
    }
    synchronized (this) {
      return centers;
    }
  }

  synchronized int iterations() {
    return iterations;
  }

  /** The sum of squared distances of the last Lloyd pass. */
  synchronized double cost() {
    return cost;
  }

  private synchronized double[][] takeDue() {
    double[][] current = due;
    due = null;
    return current;
  }

  /** The centers after a Lloyd pass from {@code current}; the next pass is due unless k-means stops. */
  private synchronized void step(double[][] current, LloydSums sums) {
    centers = sums.centers(current);
    cost = sums.cost();
    iterations++;
    boolean moved = false;
    for (int c = 0; c < centers.length; c++) {
      moved |= squaredDistance(centers[c], current[c]) > TOLERANCE * TOLERANCE;
    }
    due = moved && iterations < MAX_ITERATIONS ? centers : null;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double sum = 0;
    for (int f = 0; f < a.length; f++) {
      sum += (a[f] - b[f]) * (a[f] - b[f]);
    }
    return sum;
  }

  /** What one shared pass sums: the SOM's, and the Lloyd pass's when one rides along. */
  private record Sums(BatchStats som, LloydSums kmeans) implements Serializable {
    Sums add(Codebook codebook, double[][] centers, PointBlock block) {
      som.add(codebook, block);
      if (kmeans != null) {
        kmeans.add(centers, block);
      }
      return this;
    }

    Sums merge(Sums other) {
      som.merge(other.som);
      if (kmeans != null) {
        kmeans.merge(other.kmeans);
      }
      return this;
    }
  }
}
