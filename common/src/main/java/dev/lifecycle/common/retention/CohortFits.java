package dev.lifecycle.common.retention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Fits every {@link SurvivalModel} per group of cohorts and selects one by AIC. A cohort smaller
 * than the minimum is pooled with its neighbours in time (within its segment) until the group is
 * big enough; each model is also fitted without the last {@code holdout} periods and scored on them.
 */
public final class CohortFits {
  private CohortFits() {}

  /** Consecutive cohorts of one segment fitted as one. */
  public record Group(List<Cohort> members, Lifetimes lifetimes) {
    public boolean pooled() {
      return members.size() > 1;
    }

    public Cohort first() {
      return members.get(0);
    }

    public Cohort last() {
      return members.get(members.size() - 1);
    }
  }

  /** One model's fit with its holdout error (in percent), and whether it was selected. */
  public record ModelFit(CurveFit fit, OptionalDouble holdoutMape, boolean selected) {}

  public record GroupFit(Group group, List<ModelFit> models) {
    public ModelFit model(SurvivalModel model) {
      return models.stream().filter(m -> m.fit().model() == model).findFirst().orElseThrow();
    }
  }

  /**
   * Groups the cohorts: in period order within each segment, a group closes once it has {@code
   * minCustomers}; a short remainder joins the group before it.
   */
  public static List<Group> groups(List<Cohort> cohorts, long minCustomers) {
    List<Group> groups = new ArrayList<>();
    cohorts.stream()
        .collect(Collectors.groupingBy(Cohort::segment))
        .values()
        .forEach(segment -> groups.addAll(segmentGroups(segment, minCustomers)));
    groups.sort(
        Comparator.comparing((Group g) -> g.first().segment())
            .thenComparingInt(g -> g.first().period()));
    return groups;
  }

  private static List<Group> segmentGroups(List<Cohort> cohorts, long minCustomers) {
    List<Cohort> ordered = new ArrayList<>(cohorts);
    ordered.sort(Comparator.comparingInt(Cohort::period));
    List<List<Cohort>> closed = new ArrayList<>();
    List<Cohort> open = new ArrayList<>();
    long size = 0;
    for (Cohort cohort : ordered) {
      open.add(cohort);
      size += cohort.lifetimes().customers();
      if (size >= minCustomers) {
        closed.add(open);
        open = new ArrayList<>();
        size = 0;
      }
    }
    if (!open.isEmpty()) {
      if (closed.isEmpty()) {
        closed.add(open);
      } else {
        closed.get(closed.size() - 1).addAll(open);
      }
    }
    return closed.stream().map(CohortFits::group).toList();
  }

  private static Group group(List<Cohort> members) {
    Lifetimes pooled = members.get(0).lifetimes();
    for (int i = 1; i < members.size(); i++) {
      pooled = pooled.plus(members.get(i).lifetimes());
    }
    return new Group(List.copyOf(members), pooled);
  }

  /** {@link #fit} for each group, in parallel (groups are independent); results in group order. */
  public static List<GroupFit> fitAll(List<Group> groups, int holdout) {
    return groups.parallelStream().map(group -> fit(group, holdout)).toList();
  }

  /** Every model fitted to the group, the lowest AIC among the fitted ones selected. */
  public static GroupFit fit(Group group, int holdout) {
    List<CurveFit> fits = new ArrayList<>();
    for (SurvivalModel model : SurvivalModel.values()) {
      fits.add(SurvivalFit.fit(model, group.lifetimes()));
    }
    CurveFit best =
        fits.stream().filter(CurveFit::fitted).min(Comparator.comparingDouble(CurveFit::aic)).orElse(null);
    List<ModelFit> models = new ArrayList<>();
    for (CurveFit fit : fits) {
      OptionalDouble mape =
          fit.fitted() ? holdoutMape(fit.model(), group.lifetimes(), holdout) : OptionalDouble.empty();
      models.add(new ModelFit(fit, mape, fit == best));
    }
    return new GroupFit(group, List.copyOf(models));
  }

  /**
   * The mean absolute percentage error of the survival fitted without the last {@code holdout}
   * periods against Kaplan-Meier on those periods; empty when there is too little to hold out.
   */
  static OptionalDouble holdoutMape(SurvivalModel model, Lifetimes data, int holdout) {
    int calibration = data.window() - holdout;
    if (holdout < 1 || calibration < 1) {
      return OptionalDouble.empty();
    }
    CurveFit early = SurvivalFit.fit(model, data.truncate(calibration));
    if (!early.fitted()) {
      return OptionalDouble.empty();
    }
    double[] observed = data.kaplanMeier();
    double errors = 0;
    int n = 0;
    for (int t = calibration + 1; t < observed.length; t++) {
      if (observed[t] > 0) {
        errors += Math.abs(early.survival(t) - observed[t]) / observed[t];
        n++;
      }
    }
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(100 * errors / n);
  }
}
