package dev.lifecycle.core.retention;

import dev.lifecycle.core.mle.Parameter;
import java.util.List;
import org.apache.commons.math3.special.Beta;

/**
 * The survival curves fitted per cohort, as functions of the period t since acquisition. Each
 * gives log S(t), finite for parameters inside {@link #parameters()}' bounds; the likelihood of
 * churning at period t follows as S(t - 1) - S(t).
 *
 * <p>Sources: shifted-beta-geometric, Fader &amp; Hardie (2007) "How to project customer
 * retention", J. Interactive Marketing 21(1); beta-discrete-Weibull, Fader, Hardie, Liu, Davin
 * &amp; Steenburgh (2018) "How to project customer retention revisited", J. Interactive Marketing
 * 43; Weibull, the continuous dynamic-retention model, observed per period (interval censored).
 */
public enum SurvivalModel {
  /** Constant retention r: S(t) = r^t. The baseline the others must beat. */
  CONSTANT("constant", List.of(Parameter.fraction("retention"))) {
    @Override
    public double logSurvival(double[] p, double t) {
      return t * Math.log(p[0]);
    }

    @Override
    double[][] starts(double meanLifetime) {
      return new double[][] {{Math.exp(-1 / meanLifetime)}};
    }
  },

  /** Shifted-beta-geometric: churn probability per period ~ Beta(alpha, beta) across customers. */
  SBG("sbg", List.of(Parameter.positive("alpha"), Parameter.positive("beta"))) {
    @Override
    public double logSurvival(double[] p, double t) {
      return Beta.logBeta(p[0], p[1] + t) - Beta.logBeta(p[0], p[1]);
    }

    @Override
    double[][] starts(double meanLifetime) {
      return new double[][] {{1, 1}, {0.5, meanLifetime}, {2, 2 * meanLifetime}};
    }
  },

  /**
   * Beta-discrete-Weibull: as sBG, with each customer's hazard changing over time by the shape c
   * (c &lt; 1 falling, c &gt; 1 rising). S(t) = B(alpha, beta + t^c) / B(alpha, beta).
   */
  BDW(
      "bdw",
      List.of(
          Parameter.positive("alpha"),
          Parameter.positive("beta"),
          new Parameter("c", 0.05, 20, false))) {
    @Override
    public double logSurvival(double[] p, double t) {
      return Beta.logBeta(p[0], p[1] + Math.pow(t, p[2])) - Beta.logBeta(p[0], p[1]);
    }

    @Override
    double[][] starts(double meanLifetime) {
      return new double[][] {{1, 1, 1}, {0.5, meanLifetime, 1}, {1, 1, 0.5}, {0.3, 1, 2}};
    }
  },

  /** Weibull with shape k and scale lambda (in periods): S(t) = exp(-(t / lambda)^k). */
  WEIBULL(
      "weibull",
      List.of(new Parameter("shape", 0.05, 20, false), new Parameter("scale", 1e-3, 1e6, false))) {
    @Override
    public double logSurvival(double[] p, double t) {
      return -Math.pow(t / p[1], p[0]);
    }

    @Override
    double[][] starts(double meanLifetime) {
      return new double[][] {{1, meanLifetime}, {0.5, meanLifetime}, {2, meanLifetime}};
    }
  };

  private final String label;
  private final List<Parameter> parameters;

  SurvivalModel(String label, List<Parameter> parameters) {
    this.label = label;
    this.parameters = parameters;
  }

  /** The name in the tables and the config. */
  public String label() {
    return label;
  }

  /** The model with this label, as written in the retention tables. */
  public static SurvivalModel byLabel(String label) {
    for (SurvivalModel model : values()) {
      if (model.label.equals(label)) {
        return model;
      }
    }
    throw new IllegalArgumentException("No survival model is labelled '" + label + "'");
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  /** Where the optimiser starts, in natural parameters, given a rough mean lifetime in periods. */
  abstract double[][] starts(double meanLifetime);

  /** log S(t), the log probability of surviving past period t. */
  public abstract double logSurvival(double[] p, double t);

  /**
   * The log-likelihood of the lifetimes: a churn at period t has probability S(t - 1) - S(t),
   * taken as log S(t - 1) + log(1 - S(t) / S(t - 1)) so that small hazards keep their precision;
   * a censoring at t has probability S(t).
   */
  public double logLikelihood(double[] p, Lifetimes data) {
    double ll = 0;
    double before = 0; // log S(0)
    for (int t = 1; t <= data.lastPeriod(); t++) {
      double logS = logSurvival(p, t);
      long churned = data.churned(t);
      long censored = data.censored(t);
      if (churned > 0) {
        ll += churned * (before + Math.log(-Math.expm1(logS - before)));
      }
      if (censored > 0) {
        ll += censored * logS;
      }
      before = logS;
    }
    return ll;
  }
}
