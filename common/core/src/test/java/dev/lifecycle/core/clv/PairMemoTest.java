package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PairMemoTest {
  @Test
  void aPairNotHeldHasNaNValuesAndKeepsWhatIsWrittenThroughTheTablesGrowth() {
    PairMemo memo = new PairMemo(2, "test");
    int first = memo.place(3, 52.0 / 7);
    assertThat(memo.values()[first]).isNaN();
    assertThat(memo.values()[first + 1]).isNaN();
    memo.values()[first] = 1.5;
    memo.values()[first + 1] = 2.5;
    // Whole numbers and sevenths, as x and T are: 50,000 pairs, enough to double the table 7 times.
    Set<Integer> places = new HashSet<>();
    for (int x = 0; x < 100; x++) {
      for (int days = 0; days < 500; days++) {
        int place = memo.place(x, days / 7.0);
        if (x != 3 || days != 52) {
          assertThat(memo.values()[place]).isNaN();
          memo.values()[place] = x * 1000 + days;
        }
      }
    }
    for (int x = 0; x < 100; x++) {
      for (int days = 0; days < 500; days++) {
        int place = memo.place(x, days / 7.0);
        assertThat(places.add(place)).as("x=%d, T=%d/7 has its own place", x, days).isTrue();
        if (x != 3 || days != 52) {
          assertThat(memo.values()[place]).isEqualTo(x * 1000 + days);
        }
      }
    }
    int again = memo.place(3, 52.0 / 7);
    assertThat(memo.values()[again]).isEqualTo(1.5);
    assertThat(memo.values()[again + 1]).isEqualTo(2.5);
  }

  @Test
  void pastItsLargestSizeTheTableStartsAgainEmptySoItsMemoryStaysBounded() {
    PairMemo memo = new PairMemo(1, "test");
    int pairs = PairMemo.MAX_SLOTS; // more than three quarters of the largest table
    for (int i = 0; i < pairs; i++) {
      memo.values()[memo.place(i, 1)] = i;
    }
    assertThat(memo.values()).hasSizeLessThanOrEqualTo(PairMemo.MAX_SLOTS);
    // The first pairs were dropped when the table emptied; the last ones are still held.
    assertThat(memo.values()[memo.place(pairs - 1, 1)]).isEqualTo(pairs - 1);
    assertThat(memo.values()[memo.place(0, 1)]).isNaN();
  }
}
