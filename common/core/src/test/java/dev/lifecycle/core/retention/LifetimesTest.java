package dev.lifecycle.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LifetimesTest {
  /**
   * Five customers observed through period 3: one churns at 1, one is censored at 1, two churn at
   * 2, one is censored at 3. By hand: S(1) = 1 - 1/5 = 0.8; at risk at 2 are 3 (the censored one
   * left), two churn, S(2) = 0.8 * 1/3; at risk at 3 is 1, nobody churns, S(3) = S(2).
   */
  private static Lifetimes fiveCustomers() {
    return Lifetimes.observedThrough(3)
        .add(0, false, 1)
        .add(1, true, 1)
        .add(1, false, 2)
        .add(3, true, 1);
  }

  @Test
  void kaplanMeierByHand() {
    assertThat(fiveCustomers().kaplanMeier())
        .containsExactly(new double[] {1.0, 0.8, 0.8 / 3, 0.8 / 3}, within(1e-12));
  }

  /** Last active periods 0, 1, 1, 1 and 3: alive 1 + 2 + 2 + 2 + 4 customer-periods. */
  @Test
  void customerPeriodsCountEachCustomerThroughTheirLastActivePeriod() {
    assertThat(fiveCustomers().customerPeriods()).isEqualTo(11);
    assertThat(Lifetimes.observedThrough(2).customerPeriods()).isZero();
  }

  @Test
  void kaplanMeierStopsWhereNobodyIsAtRisk() {
    Lifetimes data = Lifetimes.observedThrough(4).add(0, false, 2).add(1, false, 1);

    assertThat(data.kaplanMeier()).containsExactly(new double[] {1.0, 1.0 / 3, 0.0}, within(1e-12));
  }

  @Test
  void truncatingCensorsLaterLifetimesAtTheNewEnd() {
    Lifetimes early = fiveCustomers().truncate(1);

    assertThat(early.window()).isEqualTo(1);
    assertThat(early.churned(1)).isEqualTo(1);
    assertThat(early.censored(1)).isEqualTo(4);
    assertThat(early.customers()).isEqualTo(5);
  }

  @Test
  void truncatingBeforePeriodZeroKeepsEveryoneCensoredAtZero() {
    Lifetimes early = fiveCustomers().truncate(-2);

    assertThat(early.window()).isZero();
    assertThat(early.censored(0)).isEqualTo(5);
    assertThat(early.atRisk(1)).isZero();
  }

  @Test
  void poolingAddsCountsOverTheLongerWindow() {
    Lifetimes pooled = fiveCustomers().plus(Lifetimes.observedThrough(5).add(4, false, 3));

    assertThat(pooled.window()).isEqualTo(5);
    assertThat(pooled.customers()).isEqualTo(8);
    assertThat(pooled.churned(5)).isEqualTo(3);
    assertThat(pooled.atRisk(3)).isEqualTo(4);
  }

  @Test
  void aNegativeWindowIsRefused() {
    assertThatThrownBy(() -> Lifetimes.observedThrough(-1))
        .hasMessage("Cannot observe a negative window: -1");
  }

  @Test
  void aLastActivePeriodOutsideTheWindowIsRefused() {
    assertThatThrownBy(() -> Lifetimes.observedThrough(2).add(3, true, 1))
        .hasMessage("Cannot add a last active period 3 outside the window 0..2");
  }
}
