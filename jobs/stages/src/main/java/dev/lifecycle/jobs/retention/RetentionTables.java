package dev.lifecycle.jobs.retention;

import dev.lifecycle.spark.table.NamedNumbers;
import dev.lifecycle.spark.table.RetentionCurvesTable;
import dev.lifecycle.spark.table.RetentionModelsTable;
import dev.lifecycle.core.config.RetentionPeriod;
import dev.lifecycle.core.retention.Cohort;
import dev.lifecycle.core.retention.CohortFits;
import dev.lifecycle.core.retention.CurveFit;
import dev.lifecycle.core.retention.Lifetimes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The rows of the retention tables, built on the driver from the cohorts and their fits. */
final class RetentionTables {
  private final RetentionPeriod period;
  private final int horizon;

  RetentionTables(RetentionPeriod period, int horizon) {
    this.period = period;
    this.horizon = horizon;
  }

  /**
   * {@code tally} rows are (segment, cohort, offset, active customers, revenue); the cohort's size
   * is its number of customers, all active in period 0.
   */
  List<Row> activity(List<Row> tally, List<Cohort> cohorts) {
    record Key(String segment, int period) {}
    Map<Key, Long> sizes = new HashMap<>();
    cohorts.forEach(c -> sizes.put(new Key(c.segment(), c.period()), c.lifetimes().customers()));
    List<Row> rows = new ArrayList<>();
    for (Row row : tally) {
      int cohort = row.getInt(1);
      int offset = row.getInt(2);
      long size = sizes.get(new Key(row.getString(0), cohort));
      long active = row.getLong(3);
      rows.add(
          RowFactory.create(
              period.start(cohort), row.getString(0), offset, period.start(cohort + offset), size,
              active, (double) active / size, row.getDouble(4)));
    }
    return rows;
  }

  /** One row per cohort and model; a pooled group's fit is repeated for each of its cohorts. */
  List<Row> models(List<CohortFits.GroupFit> fits) {
    List<Row> rows = new ArrayList<>();
    for (CohortFits.GroupFit groupFit : fits) {
      CohortFits.Group group = groupFit.group();
      for (Cohort cohort : group.members()) {
        for (CohortFits.ModelFit model : groupFit.models()) {
          CurveFit fit = model.fit();
          rows.add(
              new RetentionModelsTable.Model(
                      period.start(cohort.period()),
                      cohort.segment(),
                      fit.model().label(),
                      fit.status(),
                      fit.fitted() ? NamedNumbers.of(fit.model().parameters(), fit.parameters()) : null,
                      fit.standardErrorsIfKnown().map(se -> NamedNumbers.of(fit.model().parameters(), se)).orElse(null),
                      NamedNumbers.ofCovariance(fit.model().parameters(), fit.covariance()),
                      fit.fitted() ? fit.logLikelihood() : null,
                      fit.fitted() ? fit.aic() : null,
                      model.holdoutMape().isPresent() ? model.holdoutMape().getAsDouble() : null,
                      model.selected(),
                      cohort.lifetimes().customers(),
                      cohort.lifetimes().window(),
                      basis(group),
                      group.lifetimes().customers(),
                      cohort.lifetimes().customerPeriods())
                  .toRow());
        }
      }
    }
    return rows;
  }

  /**
   * Per cohort: the observed (Kaplan-Meier) curve through its window, and each fitted model's
   * curve from period 0 to the horizon (or the window, if longer), beside the observed values.
   */
  List<Row> curves(List<CohortFits.GroupFit> fits) {
    List<Row> rows = new ArrayList<>();
    for (CohortFits.GroupFit groupFit : fits) {
      for (Cohort cohort : groupFit.group().members()) {
        Lifetimes data = cohort.lifetimes();
        double[] observed = data.kaplanMeier();
        for (int t = 0; t < observed.length; t++) {
          Double rate = t == 0 || observed[t - 1] == 0 ? null : observed[t] / observed[t - 1];
          rows.add(curveRow(cohort, RetentionCurvesTable.KAPLAN_MEIER, t, observed, data, null, rate, false));
        }
        int last = Math.max(horizon, data.window());
        for (CohortFits.ModelFit model : groupFit.models()) {
          CurveFit fit = model.fit();
          if (!fit.fitted()) {
            continue;
          }
          for (int t = 0; t <= last; t++) {
            rows.add(
                curveRow(
                    cohort, fit.model().label(), t, observed, data, fit.survival(t),
                    t == 0 ? null : fit.retentionRate(t), model.selected()));
          }
        }
      }
    }
    return rows;
  }

  private Row curveRow(
      Cohort cohort, String model, int t, double[] observed, Lifetimes data, Double fitted,
      Double rate, boolean selected) {
    boolean seen = t < observed.length;
    return RowFactory.create(
        period.start(cohort.period()),
        cohort.segment(),
        model,
        t,
        period.start(cohort.period() + t),
        seen ? observed[t] : null,
        seen ? data.atRisk(t) : null,
        fitted,
        rate,
        selected);
  }

  private String basis(CohortFits.Group group) {
    List<Cohort> data = group.data();
    if (!group.pooled()) {
      return "cohort";
    }
    LocalDate first = period.start(data.get(0).period());
    LocalDate last = period.start(data.get(data.size() - 1).period());
    return "pooled: " + data.size() + " cohorts " + first + ".." + last;
  }

}
