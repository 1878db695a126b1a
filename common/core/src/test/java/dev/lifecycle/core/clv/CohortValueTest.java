package dev.lifecycle.core.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CohortValueTest {
  private static final CohortValue.Terms TERMS = new CohortValue.Terms(0.4, 0.1, 50, 5);

  /** Yearly periods and constant retention r: Berger-Nasr's closed form m Σ r^t / (1 + d)^t. */
  @Test
  void constantRetentionGivesBergerNasrsClosedForm() {
    double r = 0.8;
    List<CohortValue.Year> years = CohortValue.years(1000, t -> Math.pow(r, t), 100, 1, 40, TERMS);

    double ratio = r / 1.1;
    double closed = 0.4 * 100 * (1 - Math.pow(ratio, 40)) / (1 - ratio);
    assertThat(years.get(39).bergerNasrClv()).isCloseTo(closed, within(1e-9));
    assertThat(years.get(0).bergerNasrClv()).isCloseTo(40, within(1e-12));
  }

  /** Dwyer's table by hand for a two-year cohort with monthly periods. */
  @Test
  void dwyerTableByHand() {
    // 1,000 customers, S(t) = 0.9^t per month, 20 revenue per active customer-month
    List<CohortValue.Year> years = CohortValue.years(1000, t -> Math.pow(0.9, t), 20, 12, 2, TERMS);

    double yearOneActive = (1 - Math.pow(0.9, 12)) / 0.1; // Σ t = 0..11 of 0.9^t
    CohortValue.Year first = years.get(0);
    assertThat(first.retainedCustomers()).isEqualTo(1000);
    assertThat(first.revenue()).isCloseTo(1000 * 20 * yearOneActive, within(1e-6));
    assertThat(first.costs()).isCloseTo(50 * 1000 + 5 * 1000, within(1e-9));
    assertThat(first.profit()).isCloseTo(0.4 * first.revenue() - first.costs(), within(1e-9));
    assertThat(first.discountFactor()).isEqualTo(1);
    CohortValue.Year second = years.get(1);
    assertThat(second.retainedCustomers()).isCloseTo(1000 * Math.pow(0.9, 12), within(1e-9));
    assertThat(second.costs()).isCloseTo(5 * second.retainedCustomers(), within(1e-9));
    assertThat(second.discountFactor()).isCloseTo(1 / 1.1, within(1e-12));
    assertThat(second.cumulativeNpv()).isCloseTo(first.profit() + second.profit() / 1.1, within(1e-6));
    assertThat(second.clvPerCustomer()).isCloseTo(second.cumulativeNpv() / 1000, within(1e-9));
  }
}
