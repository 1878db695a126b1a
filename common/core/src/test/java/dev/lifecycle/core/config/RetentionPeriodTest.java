package dev.lifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RetentionPeriodTest {
  @Test
  void periodsAreCountedFromTheEpochAndStartOnTheirFirstDay() {
    LocalDate day = LocalDate.of(1997, 8, 17);

    assertThat(RetentionPeriod.MONTH.index(day)).isEqualTo(27 * 12 + 7);
    assertThat(RetentionPeriod.MONTH.start(RetentionPeriod.MONTH.index(day)))
        .isEqualTo(LocalDate.of(1997, 8, 1));
    assertThat(RetentionPeriod.QUARTER.start(RetentionPeriod.QUARTER.index(day)))
        .isEqualTo(LocalDate.of(1997, 7, 1));
    assertThat(RetentionPeriod.YEAR.index(day)).isEqualTo(27);
    assertThat(RetentionPeriod.YEAR.start(27)).isEqualTo(LocalDate.of(1997, 1, 1));
  }

  @Test
  void daysBeforeTheEpochGetNegativePeriods() {
    LocalDate day = LocalDate.of(1969, 11, 30);

    assertThat(RetentionPeriod.MONTH.index(day)).isEqualTo(-2);
    assertThat(RetentionPeriod.QUARTER.index(day)).isEqualTo(-1);
    assertThat(RetentionPeriod.QUARTER.start(-1)).isEqualTo(LocalDate.of(1969, 10, 1));
    assertThat(RetentionPeriod.MONTH.index((int) day.toEpochDay())).isEqualTo(-2);
  }
}
