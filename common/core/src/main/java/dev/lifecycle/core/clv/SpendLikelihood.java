package dev.lifecycle.core.clv;

import dev.lifecycle.core.mle.BoundedMle;
import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * The Gamma-Gamma log-likelihood of weighted (x, z̄) pairs and its gradient, with the gamma
 * functions computed once per distinct x and ln z̄, ln x once per pair, so each evaluation costs
 * one log per pair. The gradient: ∂/∂p = Σ x [ψ(px + q) − ψ(px) + ln z̄ + ln x − ln(γ + x z̄)],
 * ∂/∂q = Σ [ψ(px + q) − ψ(q) + ln γ − ln(γ + x z̄)], ∂/∂γ = Σ [q / γ − (px + q) / (γ + x z̄)].
 */
final class SpendLikelihood implements BoundedMle.Differentiable {
  private final double[] x;
  private final double[] meanValue;
  private final double[] weight;
  private final double[] logMean;
  private final double[] logX;
  private final double[] xs;
  private final int[] xAt;

  SpendLikelihood(double[] x, double[] meanValue, double[] weights) {
    this.x = x;
    this.meanValue = meanValue;
    this.weight = weights == null ? filled(x.length) : weights;
    logMean = new double[x.length];
    logX = new double[x.length];
    xAt = new int[x.length];
    xs = PatternLikelihood.distinct(i -> x[i], x.length);
    for (int i = 0; i < x.length; i++) {
      logMean[i] = Math.log(meanValue[i]);
      logX[i] = Math.log(x[i]);
      xAt[i] = Arrays.binarySearch(xs, x[i]);
    }
  }

  @Override
  public double applyAsDouble(double[] params) {
    return valueAndGradient(params, null);
  }

  @Override
  public double valueAndGradient(double[] params, double[] gradient) {
    double p = params[0];
    double q = params[1];
    double gamma = params[2];
    double[] gammaRatio = new double[xs.length];
    double[] digammaSum = new double[xs.length];
    double[] digammaRatio = new double[xs.length];
    for (int k = 0; k < xs.length; k++) {
      double px = p * xs[k];
      gammaRatio[k] = Gamma.logGamma(px + q) - Gamma.logGamma(px);
      if (gradient != null) {
        digammaSum[k] = Gamma.digamma(px + q);
        digammaRatio[k] = digammaSum[k] - Gamma.digamma(px);
      }
    }
    double logGamma = Math.log(gamma);
    double constant = q * logGamma - Gamma.logGamma(q);
    double ll = 0;
    double dp = 0;
    double dq = 0;
    double dGamma = 0;
    double digammaQ = gradient == null ? 0 : Gamma.digamma(q);
    for (int i = 0; i < x.length; i++) {
      double w = weight[i];
      double px = p * x[i];
      double logTotal = Math.log(gamma + x[i] * meanValue[i]);
      ll += w * (gammaRatio[xAt[i]] + constant + (px - 1) * logMean[i] + px * logX[i] - (px + q) * logTotal);
      if (gradient != null) {
        dp += w * x[i] * (digammaRatio[xAt[i]] + logMean[i] + logX[i] - logTotal);
        dq += w * (digammaSum[xAt[i]] - digammaQ + logGamma - logTotal);
        dGamma += w * (q / gamma - (px + q) / (gamma + x[i] * meanValue[i]));
      }
    }
    if (gradient != null) {
      gradient[0] = dp;
      gradient[1] = dq;
      gradient[2] = dGamma;
    }
    return ll;
  }

  /** Every {@code stride}-th pair, for a cheap starting point. */
  SpendLikelihood strided(int stride) {
    int n = (x.length + stride - 1) / stride;
    double[] sx = new double[n];
    double[] sm = new double[n];
    double[] sw = new double[n];
    for (int i = 0; i < n; i++) {
      sx[i] = x[i * stride];
      sm[i] = meanValue[i * stride];
      sw[i] = weight[i * stride];
    }
    return new SpendLikelihood(sx, sm, sw);
  }

  int size() {
    return x.length;
  }

  private static double[] filled(int n) {
    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    return ones;
  }
}
