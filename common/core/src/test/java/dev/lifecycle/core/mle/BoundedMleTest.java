package dev.lifecycle.core.mle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedMleTest {
  private static final List<Parameter> THREE =
      List.of(Parameter.positive("r"), Parameter.positive("a"), Parameter.positive("b"));

  /** Rising in r and b towards a limit never reached, peaked in a at 2: r and b end on their upper bounds. */
  @Test
  void everyParameterOnABoundIsNamedInOrder() {
    BoundedMle.Estimate fit =
        BoundedMle.maximize(
            THREE, new double[][] {{1, 1, 1}},
            p -> -1 / p[0] - (p[1] - 2) * (p[1] - 2) - 1 / p[2]);

    assertThat(fit.onBound()).as(fit.failure()).containsExactly("r", "b");
    assertThat(fit.boundNote()).isEqualTo("r and b at their bounds");
    assertThat(fit.standardErrors()).isNull();
    assertThat(fit.parameters()[1]).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-4));
  }

  @Test
  void oneOrThreeOnTheirBoundsReadAsEnglish() {
    assertThat(new BoundedMle.Estimate(new double[3], null, 0, List.of("a"), null).boundNote())
        .isEqualTo("a at its bound");
    assertThat(new BoundedMle.Estimate(new double[3], null, 0, List.of("r", "a", "b"), null).boundNote())
        .isEqualTo("r, a and b at their bounds");
    assertThat(new BoundedMle.Estimate(new double[3], null, 0, List.of(), null).boundNote()).isNull();
  }
}
