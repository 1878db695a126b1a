package dev.lifecycle.core.som;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Kohonen's batch SOM, independent of where the data lives: each iteration asks a {@link Pass}
 * for the {@link BatchStats} of the data under the current codebook and applies the
 * neighbourhood-weighted update with that iteration's radius. A final pass under the trained
 * codebook gives hits, quantization error and topographic error. The same loop trains on an
 * in-memory array ({@link #inMemory}) and, through Spark, on a distributed dataset.
 */
public final class BatchSom {
  /** One pass over the data: the sums under the given codebook (topographic error if asked). */
  public interface Pass extends BiFunction<Codebook, Boolean, BatchStats> {}

  /** How the map trains: neighbourhood, iterations and the radius from start to end. */
  public record Schedule(Neighbourhood neighbourhood, int iterations, double sigmaStart, double sigmaEnd) {
    public Schedule {
      if (iterations < 1) {
        throw new IllegalArgumentException("Cannot train a SOM for " + iterations + " iterations: at least 1");
      }
      if (!(sigmaStart > 0) || !(sigmaEnd > 0) || sigmaEnd > sigmaStart) {
        throw new IllegalArgumentException(
            "Cannot train a SOM with radius from " + sigmaStart + " to " + sigmaEnd
                + ": both must be positive and the end no larger than the start");
      }
    }

    /** The default: a radius from half the grid's longer side (at least 1) down to 1. */
    public static Schedule standard(SomGrid grid, Neighbourhood neighbourhood, int iterations) {
      return new Schedule(neighbourhood, iterations, Math.max(1, Math.max(grid.rows(), grid.cols()) / 2.0), 1);
    }

    /**
     * The radius of iteration t (0-based): exponential decay from the start, reaching the end at
     * the last iteration.
     */
    public double sigma(int t) {
      if (iterations == 1) {
        return sigmaEnd;
      }
      return sigmaStart * Math.pow(sigmaEnd / sigmaStart, (double) t / (iterations - 1));
    }
  }

  /** The trained map: its codebook, the final pass's statistics and QE before each update. */
  public record Result(Codebook codebook, BatchStats finalPass, List<Double> quantizationErrors) {}

  private BatchSom() {}

  public static Result train(Codebook initial, Schedule schedule, Pass pass) {
    Codebook codebook = initial;
    List<Double> errors = new ArrayList<>();
    for (int t = 0; t < schedule.iterations(); t++) {
      BatchStats stats = pass.apply(codebook, false);
      errors.add(stats.quantizationError());
      codebook = codebook.updated(stats, schedule.neighbourhood(), schedule.sigma(t));
    }
    return new Result(codebook, pass.apply(codebook, true), errors);
  }

  /** A pass over points held in memory. */
  public static Pass inMemory(double[][] points) {
    return (codebook, topographic) -> {
      BatchStats stats = new BatchStats(codebook.grid().nodes(), codebook.dim(), topographic);
      for (double[] point : points) {
        stats.add(codebook, point);
      }
      return stats;
    };
  }

  /**
   * Linear initialisation along the two principal components: node (row, col) starts at mean +
   * a sqrt(λ1) v1 + b sqrt(λ2) v2, with a and b spread evenly over [−1, 1] along the grid's longer
   * and shorter side. Eigenvectors are signed so their largest component is positive, which makes
   * the start deterministic. With one feature, only the first component is used.
   */
  public static Codebook pcaInit(SomGrid grid, double[] mean, double[][] covariance) {
    int dim = mean.length;
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(covariance));
    double[] values = eigen.getRealEigenvalues();
    Integer[] order = new Integer[dim];
    for (int i = 0; i < dim; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (i, j) -> Double.compare(values[j], values[i]));
    double[] first = component(eigen.getEigenvector(order[0]), values[order[0]]);
    double[] second = dim > 1 ? component(eigen.getEigenvector(order[1]), values[order[1]]) : new double[dim];
    boolean rowsLonger = grid.rows() >= grid.cols();
    double[] weights = new double[grid.nodes() * dim];
    for (int node = 0; node < grid.nodes(); node++) {
      double a = spread(rowsLonger ? grid.row(node) : grid.col(node), rowsLonger ? grid.rows() : grid.cols());
      double b = spread(rowsLonger ? grid.col(node) : grid.row(node), rowsLonger ? grid.cols() : grid.rows());
      for (int f = 0; f < dim; f++) {
        weights[node * dim + f] = mean[f] + a * first[f] + b * second[f];
      }
    }
    return new Codebook(grid, dim, weights);
  }

  /** Seeded random initialisation: each weight drawn from N(mean, variance) of its feature. */
  public static Codebook randomInit(SomGrid grid, double[] mean, double[] variance, long seed) {
    RandomGenerator random = new MersenneTwister(seed);
    int dim = mean.length;
    double[] weights = new double[grid.nodes() * dim];
    for (int i = 0; i < weights.length; i++) {
      int f = i % dim;
      weights[i] = mean[f] + Math.sqrt(Math.max(variance[f], 0)) * random.nextGaussian();
    }
    return new Codebook(grid, dim, weights);
  }

  private static double[] component(RealVector vector, double eigenvalue) {
    double[] v = vector.toArray();
    int largest = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(v[i]) > Math.abs(v[largest])) {
        largest = i;
      }
    }
    double scale = Math.sqrt(Math.max(eigenvalue, 0)) * Math.signum(v[largest] == 0 ? 1 : v[largest]);
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }

  private static double spread(int index, int count) {
    return count == 1 ? 0 : -1 + 2.0 * index / (count - 1);
  }
}
