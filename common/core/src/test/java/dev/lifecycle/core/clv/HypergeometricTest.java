package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HypergeometricTest {
  @Test
  void closedForms() {
    for (double z : new double[] {0, 0.1, 0.5, 0.9, 0.99}) {
      // 2F1(1, 1; 2; z) = -ln(1 - z) / z, and 2F1(a, b; b; z) = (1 - z)^-a
      double log = z == 0 ? 1 : -Math.log1p(-z) / z;
      assertThat(Hypergeometric.f21(1, 1, 2, z)).as("z=%s", z).isCloseTo(log, within(1e-12 * log));
      double power = Math.pow(1 - z, -0.37);
      assertThat(Hypergeometric.f21(0.37, 2.5, 2.5, z)).isCloseTo(power, within(1e-12 * power));
    }
  }

  @Test
  void severalPointsAtOnceEachStopOnTheirOwn() {
    double[] z = {0.99, 0, 0.1, 0.5, 0.9};
    double[] logs = Hypergeometric.f21(1, 1, 2, z);
    double[] powers = Hypergeometric.f21(0.37, 2.5, 2.5, z);
    for (int k = 0; k < z.length; k++) {
      double log = z[k] == 0 ? 1 : -Math.log1p(-z[k]) / z[k];
      assertThat(logs[k]).as("z=%s", z[k]).isCloseTo(log, within(1e-12 * log));
      double power = Math.pow(1 - z[k], -0.37);
      assertThat(powers[k]).as("z=%s", z[k]).isCloseTo(power, within(1e-12 * power));
    }
    assertThatThrownBy(() -> Hypergeometric.f21(1, 1, 2, new double[] {0.5, -0.1}))
        .hasMessage("Cannot sum 2F1 at z=-0.1: needs 0 <= z < 1");
  }

  @Test
  void logOfTheShiftedFormMatchesItsClosedFormAndTheSeries() {
    for (double z : new double[] {0, 0.3, 0.9, 0.999}) {
      for (double b : new double[] {0.4, 1.6, 1.999}) {
        // 2F1(1, b; 2; z) = ((1 - z)^(1 - b) - 1) / ((b - 1) z)
        double closed = z == 0 ? 1 : (Math.pow(1 - z, 1 - b) - 1) / ((b - 1) * z);
        assertThat(Hypergeometric.logF21AtAPlusOne(1, b, z))
            .as("z=%s b=%s", z, b)
            .isCloseTo(Math.log(closed), within(1e-12));
      }
      assertThat(Hypergeometric.logF21AtAPlusOne(26.8, 1.6, z))
          .isCloseTo(Math.log(Hypergeometric.f21(26.8, 1.6, 27.8, z)), within(1e-11));
    }
  }

  /**
   * 2F1(a, b; b; z) = (1 − z)^−a. For a = −60.5 the terms alternate in sign, and their absolute
   * values add up to about (1 + z)^60.5: 1.9e5 times the sum at z = 0.1, which costs about 5
   * digits, and beyond 1e16 times it at z = 0.9, where no digit is left.
   */
  @Test
  void theAbsoluteTermSumMeasuresTheCancellation() {
    double[] logScale = new double[1];
    double sum = Hypergeometric.f21(-60.5, 2.5, 2.5, new double[] {0.1}, logScale)[0];
    assertThat(sum).isCloseTo(Math.pow(0.9, 60.5), within(1e-10 * Math.pow(0.9, 60.5)));
    double condition = Math.exp(Hypergeometric.logAbsoluteTermSum(-60.5, 2.5, 2.5, 0.1) - Math.log(sum));
    assertThat(condition).isCloseTo(Math.pow(1.1 / 0.9, 60.5), within(1e-6 * Math.pow(1.1 / 0.9, 60.5)));
    assertThat(Hypergeometric.logAbsoluteTermSum(-60.5, 2.5, 2.5, 0.9) - 60.5 * Math.log(0.1))
        .isGreaterThan(Math.log(1e16));
    // all terms positive: the absolute sum is the sum
    assertThat(Hypergeometric.logAbsoluteTermSum(1, 1, 2, 0.9)).isCloseTo(Math.log(Hypergeometric.f21(1, 1, 2, 0.9)), within(1e-13));
  }

  @Test
  void outsideTheUnitIntervalIsRefused() {
    assertThatThrownBy(() -> Hypergeometric.f21(1, 1, 2, 1))
        .hasMessage("Cannot sum 2F1 at z=1.0: needs 0 <= z < 1");
    assertThatThrownBy(() -> Hypergeometric.logF21AtAPlusOne(1, 2.5, 0.5))
        .hasMessage("Cannot sum 2F1(1.0, 2.5; a + 1; 0.5): needs a > 0, 0 < b < a + 1, 0 <= z < 1");
  }
}
