package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepeatPatternsTest {
  @Test
  void patternsGrowAndCountTheirCustomers() {
    RepeatPatterns patterns = new RepeatPatterns();
    for (int i = 0; i < 40; i++) {
      patterns.add(i, i, 40, 2);
    }

    assertThat(patterns.size()).isEqualTo(40);
    assertThat(patterns.customers()).isEqualTo(80);
    assertThat(patterns.tx(39)).isEqualTo(39);
  }

  @Test
  void anImpossibleSummaryIsRefusedWithItsValues() {
    assertThatThrownBy(() -> new RepeatPatterns().add(0, 3, 10, 1))
        .hasMessage(
            "Cannot use the summary x=0.0, t_x=3.0, T=10.0: needs x >= 0, 0 <= t_x <= T,"
                + " and t_x = 0 when x = 0");
    assertThatThrownBy(() -> new RepeatPatterns().add(2, 12, 10, 1))
        .hasMessageStartingWith("Cannot use the summary x=2.0, t_x=12.0, T=10.0");
  }
}
