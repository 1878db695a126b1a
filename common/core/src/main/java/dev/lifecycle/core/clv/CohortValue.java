package dev.lifecycle.core.clv;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * The value of one acquisition cohort over the years after acquisition, from its fitted survival
 * curve S(t) per retention period (S(0) = 1, the acquisition period) and its revenue per customer
 * per period alive: S(t) is the share not yet churned, whether or not they bought in period t, so
 * the revenue it multiplies is the cohort's revenue over the periods its customers were alive.
 *
 * <p>Dwyer (1997), "Customer lifetime valuation to support marketing decision making", Journal of
 * Direct Marketing 11(4): per year, the customers retained, revenue, costs (acquisition in year 1,
 * a cost per retained customer every year), profit = margin × revenue − costs, the discount
 * factor (1 + d)^−(year − 1), NPV, cumulative NPV, and CLV per acquired customer = cumulative NPV
 * / customers acquired.
 *
 * <p>Berger &amp; Nasr (1998), "Customer lifetime value: marketing models and applications",
 * Journal of Interactive Marketing 12(1), with dynamic retention: CLV = Σ from t = 0 of P S(t)
 * (1 + d_p)^−t, where P is the margin per retained customer per period, S(t) the product of the
 * period retention rates r(1)…r(t), and d_p the yearly rate turned into a per-period one. It is
 * reported cumulatively to the end of each year.
 */
public final class CohortValue {
  private CohortValue() {}

  /** The costs and money terms shared by all cohorts. */
  public record Terms(
      double margin, double discountRate, double acquisitionCost, double costPerCustomerYear) {}

  /** One year of one cohort. */
  public record Year(
      int year,
      double retainedCustomers,
      double revenue,
      double costs,
      double profit,
      double discountFactor,
      double npv,
      double cumulativeNpv,
      double clvPerCustomer,
      double bergerNasrClv) {}

  /**
   * The first {@code years} years of a cohort of {@code customers} with survival {@code survival}
   * (periods since acquisition), {@code periodsPerYear} retention periods a year.
   */
  public static List<Year> years(
      long customers,
      IntToDoubleFunction survival,
      double revenuePerCustomerPeriod,
      int periodsPerYear,
      int years,
      Terms terms) {
    double periodDiscount = Math.pow(1 + terms.discountRate(), 1.0 / periodsPerYear);
    double cumulativeNpv = 0;
    double bergerNasr = 0;
    List<Year> rows = new ArrayList<>();
    for (int year = 1; year <= years; year++) {
      int first = (year - 1) * periodsPerYear;
      double alivePeriods = 0;
      for (int t = first; t < first + periodsPerYear; t++) {
        double s = survival.applyAsDouble(t);
        alivePeriods += s;
        bergerNasr += terms.margin() * revenuePerCustomerPeriod * s / Math.pow(periodDiscount, t);
      }
      double retained = customers * survival.applyAsDouble(first);
      double revenue = customers * alivePeriods * revenuePerCustomerPeriod;
      double costs =
          (year == 1 ? terms.acquisitionCost() * customers : 0) + terms.costPerCustomerYear() * retained;
      double profit = terms.margin() * revenue - costs;
      double discount = Math.pow(1 + terms.discountRate(), -(year - 1));
      cumulativeNpv += profit * discount;
      rows.add(
          new Year(
              year, retained, revenue, costs, profit, discount, profit * discount, cumulativeNpv,
              cumulativeNpv / customers, bergerNasr));
    }
    return rows;
  }
}
