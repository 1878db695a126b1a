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

  @Test
  void aSampleKeepsAboutTheCustomersAskedForSameSeedSameSample() {
    RepeatPatterns patterns = new RepeatPatterns();
    for (int i = 0; i < 2_000; i++) {
      patterns.add(i % 7, i % 7, 30, 1 + i % 9); // 9,993 customers
    }

    RepeatPatterns sample = patterns.sample(1_000, 4);

    // Binomial(9,993, 0.1): standard deviation 30
    assertThat(sample.customers()).isBetween(900L, 1_100L);
    assertThat(sample.size()).isLessThan(patterns.size());
    for (int i = 0; i < sample.size(); i++) {
      assertThat(sample.x(i)).isEqualTo(sample.tx(i)).isBetween(0.0, 6.0);
      assertThat(sample.weight(i)).isBetween(1.0, 9.0);
    }
    RepeatPatterns again = patterns.sample(1_000, 4);
    assertThat(again.customers()).isEqualTo(sample.customers());
    assertThat(again.size()).isEqualTo(sample.size());
    for (int i = 0; i < sample.size(); i++) {
      assertThat(again.weight(i)).isEqualTo(sample.weight(i));
    }
    assertThat(patterns.sample(1_000, 5).customers()).isNotEqualTo(sample.customers());
    assertThat(patterns.sample(20_000, 4).customers()).isEqualTo(patterns.customers());
  }
}
