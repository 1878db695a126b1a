package dev.lifecycle.core.rfm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AbcClassesTest {
  @Test
  void topEightyPercentOfRevenueIsA() {
    // Spend 50, 30, 10, 5, 3, 2 (total 100). Share before each: 0, .5, .8, .9, .95, .98.
    AbcClasses abc =
        AbcClasses.of(
            new ValueHistogram(new double[] {2, 3, 5, 10, 30, 50}, new long[] {1, 1, 1, 1, 1, 1}));

    assertThat(abc.classOf(50)).isEqualTo("A");
    assertThat(abc.classOf(30)).isEqualTo("A");
    assertThat(abc.classOf(10)).isEqualTo("B");
    assertThat(abc.classOf(5)).isEqualTo("B");
    assertThat(abc.classOf(3)).isEqualTo("C");
    assertThat(abc.classOf(2)).isEqualTo("C");
  }

  @Test
  void aCustomerStartingExactlyAtEightyPercentIsB() {
    // Spend 0.16, 0.03, 0.01 (total 0.20): the 0.03 customer starts at exactly 80% (0.16 / 0.20).
    // In binary doubles 0.16 / 0.2 comes out just below 0.8, which would make it A.
    AbcClasses abc =
        AbcClasses.of(new ValueHistogram(new double[] {0.01, 0.03, 0.16}, new long[] {1, 1, 1}));

    assertThat(abc.classOf(0.16)).isEqualTo("A");
    assertThat(abc.classOf(0.03)).isEqualTo("B");
    assertThat(abc.classOf(0.01)).isEqualTo("C");
  }

  @Test
  void equalSpendSharesAClassAndNonPositiveSpendIsC() {
    // Two customers at 40 (share before the pair: 0), one at 20, one at 0 and one at -5.
    AbcClasses abc =
        AbcClasses.of(
            new ValueHistogram(new double[] {-5, 0, 20, 40}, new long[] {1, 1, 1, 2}));

    assertThat(abc.classOf(40)).isEqualTo("A");
    assertThat(abc.classOf(20)).isEqualTo("B");
    assertThat(abc.classOf(0)).isEqualTo("C");
    assertThat(abc.classOf(-5)).isEqualTo("C");
  }
}
