package dev.lifecycle.jobs.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentLabelsTest {
  @Test
  void sharedLabelsAreRankedOnTheMeasureThatTellsThemApart() {
    String shared = SegmentLabels.label(-1, 1, 1);
    assertThat(shared).isEqualTo("recent, frequent, high spend");
    List<String> labels =
        SegmentLabels.unique(
            List.of(shared, "lapsed, one-off, low spend", shared, shared),
            List.of(
                new double[] {-1.0, 1.0, 1.2}, new double[] {1.5, -1, -1}, new double[] {-0.9, 1.1, 3.0},
                new double[] {-1.1, 0.9, 2.0}));
    // spend spreads most among the three (1.2 to 3.0): highest first
    assertThat(labels)
        .containsExactly(
            "recent, frequent, high spend (3rd of 3 by spend)", "lapsed, one-off, low spend",
            "recent, frequent, high spend (1st of 3 by spend)", "recent, frequent, high spend (2nd of 3 by spend)");
    assertThat(labels).doesNotHaveDuplicates();
  }

  @Test
  void fiveLevelsEachWayTellApartTheActiveSegmentsOfSkewedData() {
    // CDNOW (23,570 customers to 1998-06-30, k = 8): the z-scores of k-means segments 1, 2 and 4,
    // each "recent, frequent, high spend" on three levels
    assertThat(SegmentLabels.label(-2.75, 2.88, 2.22)).isEqualTo("very recent, very frequent, top spend");
    assertThat(SegmentLabels.label(-0.97, 1.79, 1.55)).isEqualTo("recent, very frequent, top spend");
    assertThat(SegmentLabels.label(-2.69, 1.02, 0.84)).isEqualTo("very recent, frequent, high spend");
    assertThat(SegmentLabels.label(1.6, -2, -1.6)).isEqualTo("long lapsed, one-off, lowest spend");
    assertThat(SegmentLabels.label(0.5, -0.5, 1.5)).isEqualTo("lapsing, occasional, high spend");
  }

  @Test
  void theMostRecentIsFirstWhenRecencyTellsThemApart() {
    String shared = SegmentLabels.label(-2, 0, 0);
    List<String> labels =
        SegmentLabels.unique(List.of(shared, shared), List.of(new double[] {-0.6, 0, 0}, new double[] {-2.0, 0.1, 0}));
    assertThat(labels).containsExactly(shared + " (2nd of 2 by recency)", shared + " (1st of 2 by recency)");
  }
}
