package dev.lifecycle.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Fits against the published values in ../shared/data/REFERENCE_VALUES.md. */
class SurvivalFitTest {
  @Test
  void sbgMatchesFaderHardie2007Regular() {
    CurveFit fit = SurvivalFit.fit(SurvivalModel.SBG, FaderHardie.calibration(FaderHardie.REGULAR));

    assertThat(fit.status()).isEqualTo(CurveFit.FITTED);
    assertSignificant(fit.parameters(), 0.704, 1.182);
    assertThat(fit.logLikelihood()).isCloseTo(-1680.27, within(0.005));
    assertProjected(fit, new double[] {220.1, 204.4, 191.2, 179.9, 170.0});
    // r(t) = (beta + t - 1) / (alpha + beta + t - 1)
    double[] rates = {0.627, 0.756, 0.819, 0.856, 0.880};
    for (int t = 1; t <= 5; t++) {
      assertThat(fit.retentionRate(t)).as("r(%d)", t).isCloseTo(rates[t - 1], within(0.0005));
    }
  }

  @Test
  void sbgMatchesFaderHardie2007HighEnd() {
    CurveFit fit = SurvivalFit.fit(SurvivalModel.SBG, FaderHardie.calibration(FaderHardie.HIGH_END));

    assertSignificant(fit.parameters(), 0.668, 3.806);
    assertThat(fit.logLikelihood()).isCloseTo(-1611.16, within(0.005));
    assertProjected(fit, new double[] {460.4, 435.8, 414.2, 395.1, 378.0});
  }

  @Test
  void betaDiscreteWeibullMatchesReferenceRegular() {
    CurveFit fit = SurvivalFit.fit(SurvivalModel.BDW, FaderHardie.calibration(FaderHardie.REGULAR));

    assertSignificant(fit.parameters(), 0.456, 0.779, 1.284);
    assertThat(fit.logLikelihood()).isCloseTo(-1679.60, within(0.005));
    assertProjected(fit, new double[] {223.4, 208.9, 196.8, 186.4, 177.3});
  }

  @Test
  void betaDiscreteWeibullMatchesReferenceHighEnd() {
    CurveFit fit = SurvivalFit.fit(SurvivalModel.BDW, FaderHardie.calibration(FaderHardie.HIGH_END));

    assertSignificant(fit.parameters(), 0.214, 1.427, 1.724);
    assertThat(fit.logLikelihood()).isCloseTo(-1605.31, within(0.005));
    assertProjected(fit, new double[] {467.8, 448.3, 431.6, 416.9, 403.9});
  }

  @Test
  void constantRetentionIsTheClosedFormEstimate() {
    // With churns d_t and survivors censored at 7, the MLE of r is 1 - D / exposure, where the
    // exposure counts every period each customer was at risk.
    Lifetimes data = FaderHardie.calibration(FaderHardie.REGULAR);
    long exposure = 0;
    for (int t = 1; t <= 7; t++) {
      exposure += data.atRisk(t);
    }
    double expected = 1 - (double) data.churnedTotal() / exposure;

    CurveFit fit = SurvivalFit.fit(SurvivalModel.CONSTANT, data);

    assertThat(fit.parameters()[0]).isCloseTo(expected, within(1e-9));
    assertThat(fit.standardErrors()[0])
        .isCloseTo(Math.sqrt(expected * (1 - expected) / exposure), within(1e-6));
  }

  @Test
  void everyModelBeatsConstantRetentionOnFaderHardie() {
    Lifetimes data = FaderHardie.calibration(FaderHardie.REGULAR);
    double constant = SurvivalFit.fit(SurvivalModel.CONSTANT, data).aic();

    for (SurvivalModel model : new SurvivalModel[] {SurvivalModel.SBG, SurvivalModel.BDW, SurvivalModel.WEIBULL}) {
      assertThat(SurvivalFit.fit(model, data).aic()).as(model.label()).isLessThan(constant);
    }
  }

  /** Each value rounds to the published one's first three significant digits. */
  static void assertSignificant(double[] actual, double... published) {
    assertThat(actual).hasSameSizeAs(published);
    for (int i = 0; i < published.length; i++) {
      assertThat(round3(actual[i])).as("parameter %d: %s", i, actual[i]).isEqualTo(round3(published[i]));
    }
  }

  private static double round3(double value) {
    return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).doubleValue();
  }

  /** Survivors of the original 1,000 in years 8..12, to three significant digits. */
  private static void assertProjected(CurveFit fit, double[] published) {
    for (int i = 0; i < published.length; i++) {
      int year = 8 + i;
      assertThat(1000 * fit.survival(year)).as("year %d", year).isCloseTo(published[i], within(0.05));
    }
  }
}
