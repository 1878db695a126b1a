package dev.lifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RfmSegmentMapTest {
  private static final Function<String, RuntimeException> ERROR = IllegalArgumentException::new;

  @Test
  void defaultMapNamesEveryCellWithTheElevenSegments() {
    RfmSegmentMap map = RfmSegmentMap.parse(RfmSegmentMap.DEFAULT_RULES, ERROR);

    assertThat(map.cells()).hasSize(125);
    assertThat(new HashSet<>(map.cells().values()))
        .containsExactlyInAnyOrder(
            "Champions", "Loyal", "Potential Loyalist", "New", "Promising", "Need Attention",
            "About to Sleep", "At Risk", "Can't Lose", "Hibernating", "Lost");
    assertThat(map.segmentOf("555")).isEqualTo("Champions");
    assertThat(map.segmentOf("541")).isEqualTo("Champions");
    assertThat(map.segmentOf("111")).isEqualTo("Lost");
    assertThat(map.segmentOf("155")).isEqualTo("Can't Lose");
    assertThat(map.segmentOf("511")).isEqualTo("New");
    assertThat(map.segmentOf("411")).isEqualTo("Promising");
    assertThat(map.segmentOf("333")).isEqualTo("Need Attention");
    assertThat(map.segmentOf("221")).isEqualTo("Hibernating");
  }

  @Test
  void firstMatchingRuleWinsAndMissingScoresMatchAll() {
    RfmSegmentMap map = RfmSegmentMap.parse("Big: m=5; Rest: r=1-5", ERROR);

    assertThat(map.segmentOf("115")).isEqualTo("Big");
    assertThat(map.segmentOf("554")).isEqualTo("Rest");
  }

  @Test
  void uncoveredCellIsNamed() {
    assertThatThrownBy(() -> RfmSegmentMap.parse("Top: r=5", ERROR))
        .hasMessage("no rule covers RFM cell 111");
  }

  @Test
  void ruleWithoutNameIsRejected() {
    assertThatThrownBy(() -> RfmSegmentMap.parse("r=1-5", ERROR))
        .hasMessage("rule 'r=1-5' needs the form 'Name: r=1-5 f=1-5 m=1-5'");
  }

  @Test
  void badConditionIsRejected() {
    assertThatThrownBy(() -> RfmSegmentMap.parse("All: r=0-6", ERROR))
        .hasMessage("condition 'r=0-6' needs the form r=N or r=N-M with scores 1 to 5");
  }

  @Test
  void reversedRangeIsRejected() {
    assertThatThrownBy(() -> RfmSegmentMap.parse("All: f=4-2", ERROR))
        .hasMessage("condition 'f=4-2' has its range reversed");
  }

  @Test
  void configErrorNamesTheKey() {
    Settings settings =
        Settings.defaults().with(java.util.Map.of("features.rfm-segments", "Top: r=5"), "--set");

    assertThatThrownBy(() -> LifecycleConfig.from(settings))
        .hasMessage(
            "Invalid value 'Top: r=5' for config key 'features.rfm-segments' (from --set):"
                + " no rule covers RFM cell 111");
  }
}
