package dev.lifecycle.core.mle;

import java.io.Serializable;
import java.util.List;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Draws of an estimate's parameters from its approximate sampling distribution: normal on the
 * search scale of {@link BoundedMle} (log for a positive parameter, logit for a fraction), with
 * the covariance of the estimate carried there by the delta method. The draws come in antithetic
 * pairs, u + δ and u − δ, so they are centred on the estimate in every direction; they depend only
 * on the estimate, its covariance, the count and the seed.
 */
public final class ParameterDraws implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Parameter> parameters;
  private final double[] estimate;
  private final double[][] offsets;

  private ParameterDraws(List<Parameter> parameters, double[] estimate, double[][] offsets) {
    this.parameters = List.copyOf(parameters);
    this.estimate = estimate.clone();
    this.offsets = offsets;
  }

  /**
   * {@code count} draws (rounded up to even) of the parameters around {@code estimate}, whose
   * natural-scale {@code covariance} is as in {@link BoundedMle.Estimate}; null when that covariance
   * is not positive definite on the search scale.
   */
  public static ParameterDraws of(
      List<Parameter> parameters, double[] estimate, double[][] covariance, int count, long seed) {
    int n = estimate.length;
    RealMatrix search = new Array2DRowRealMatrix(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double slopes = parameters.get(i).slope(estimate[i]) * parameters.get(j).slope(estimate[j]);
        search.setEntry(i, j, (covariance[i][j] + covariance[j][i]) / 2 / slopes);
      }
    }
    RealMatrix root;
    try {
      root = new CholeskyDecomposition(search).getL();
    } catch (MathIllegalArgumentException e) { // not symmetric positive definite
      return null;
    }
    RandomGenerator random = new Well19937c(seed);
    int pairs = (count + 1) / 2;
    double[][] offsets = new double[2 * pairs][];
    double[] z = new double[n];
    for (int d = 0; d < pairs; d++) {
      for (int i = 0; i < n; i++) {
        z[i] = random.nextGaussian();
      }
      double[] delta = root.operate(z);
      double[] opposite = new double[n];
      for (int i = 0; i < n; i++) {
        opposite[i] = -delta[i];
      }
      offsets[2 * d] = delta;
      offsets[2 * d + 1] = opposite;
    }
    return new ParameterDraws(parameters, estimate, offsets);
  }

  public int count() {
    return offsets.length;
  }

  /** Draw d's offset from the estimate on the search scale. */
  public double[] offset(int d) {
    return offsets[d].clone();
  }

  /** Draw d's parameters, on the natural scale. */
  public double[] values(int d) {
    return shifted(offsets[d]);
  }

  /** The estimate with parameter i moved by {@code step} on the search scale. */
  public double[] moved(int i, double step) {
    double[] offset = new double[estimate.length];
    offset[i] = step;
    return shifted(offset);
  }

  private double[] shifted(double[] offset) {
    double[] values = new double[estimate.length];
    for (int i = 0; i < values.length; i++) {
      Parameter p = parameters.get(i);
      values[i] = p.fromSearch(p.toSearch(estimate[i]) + offset[i]);
    }
    return values;
  }
}
