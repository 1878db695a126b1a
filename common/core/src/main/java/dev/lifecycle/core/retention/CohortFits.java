package dev.lifecycle.core.retention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Fits every {@link SurvivalModel} per group of cohorts and selects one by AIC. A cohort with at
 * least the minimum number of customers is fitted on its own. Smaller ones are pooled: a run of
 * neighbouring small cohorts is fitted together once it reaches the minimum, and a small cohort
 * left over borrows the data of its nearest big neighbour, whose own fit stays its own. Each
 * model is also fitted without the last {@code holdout} periods of every cohort, and scored on
 * them.
 */
public final class CohortFits {
  private CohortFits() {}

  /**
   * The cohorts that get one fit ({@code members}) and the cohorts whose lifetimes it is fitted
   * to ({@code data}): the members, plus a big neighbour when small members borrow its data.
   */
  public record Group(List<Cohort> members, List<Cohort> data, Lifetimes lifetimes) {
    public boolean pooled() {
      return data.size() > 1;
    }
  }

  /** One model's fit with its holdout error (in percent), and whether it was selected. */
  public record ModelFit(CurveFit fit, OptionalDouble holdoutMape, boolean selected) {}

  public record GroupFit(Group group, List<ModelFit> models) {}

  /** The groups of every segment, in segment and period order. */
  public static List<Group> groups(List<Cohort> cohorts, long minCustomers) {
    List<Group> groups = new ArrayList<>();
    cohorts.stream()
        .collect(Collectors.groupingBy(Cohort::segment, TreeMap::new, Collectors.toList()))
        .values()
        .forEach(segment -> groups.addAll(segmentGroups(segment, minCustomers)));
    return groups;
  }

  private static List<Group> segmentGroups(List<Cohort> cohorts, long minCustomers) {
    List<Cohort> ordered = new ArrayList<>(cohorts);
    ordered.sort(Comparator.comparingInt(Cohort::period));
    List<Group> groups = new ArrayList<>();
    List<Cohort> small = new ArrayList<>();
    Cohort lastBig = null;
    boolean lastWasSmallRun = false;
    for (Cohort cohort : ordered) {
      if (cohort.lifetimes().customers() >= minCustomers) {
        leftOver(groups, small, lastWasSmallRun, lastBig != null ? lastBig : cohort);
        groups.add(group(List.of(cohort), List.of(cohort)));
        lastBig = cohort;
        lastWasSmallRun = false;
      } else {
        small.add(cohort);
        if (customers(small) >= minCustomers) {
          groups.add(group(small, small));
          small = new ArrayList<>();
          lastWasSmallRun = true;
        }
      }
    }
    leftOver(groups, small, lastWasSmallRun, lastBig);
    groups.sort(Comparator.comparingInt(g -> g.members().get(0).period()));
    return groups;
  }

  /**
   * Small cohorts too few to reach the minimum: they join the run of small cohorts just before
   * them, else borrow the data of the big cohort before them (after them when there is none
   * before), else (a segment of small cohorts only) are fitted as they are.
   */
  private static void leftOver(List<Group> groups, List<Cohort> small, boolean afterSmallRun, Cohort big) {
    if (small.isEmpty()) {
      return;
    }
    if (afterSmallRun) {
      Group previous = groups.remove(groups.size() - 1);
      List<Cohort> joined = new ArrayList<>(previous.members());
      joined.addAll(small);
      groups.add(group(joined, joined));
    } else if (big != null) {
      List<Cohort> data = new ArrayList<>(small);
      data.add(big);
      data.sort(Comparator.comparingInt(Cohort::period));
      groups.add(group(small, data));
    } else {
      groups.add(group(small, small));
    }
    small.clear();
  }

  private static long customers(List<Cohort> cohorts) {
    return cohorts.stream().mapToLong(c -> c.lifetimes().customers()).sum();
  }

  private static Group group(List<Cohort> members, List<Cohort> data) {
    Lifetimes pooled = data.get(0).lifetimes();
    for (int i = 1; i < data.size(); i++) {
      pooled = pooled.plus(data.get(i).lifetimes());
    }
    return new Group(List.copyOf(members), List.copyOf(data), pooled);
  }

  /** {@link #fit} for each group, in parallel (groups are independent); results in group order. */
  public static List<GroupFit> fitAll(List<Group> groups, int holdout) {
    return groups.parallelStream().map(group -> fit(group, holdout)).toList();
  }

  /**
   * Every model fitted to the group, and the one selected: the lowest AIC among the fitted ones
   * that may compete. A fit with a parameter on its bound competes with fits inside their bounds
   * only when its holdout error is known and no worse than theirs: its curve may owe its shape to
   * where the bound lies (a Weibull shape of 20, the bound, on a cohort with no churn but in its
   * last period, projected every customer gone by period 24 and won on AIC), while the limit it
   * approaches may also be the best description (sBG with α and β near 0: a share that churns at
   * once and a rest that stays, whose holdout error is far below constant retention's). Where no
   * fit is inside its bounds, the lowest AIC of all is selected, as before.
   */
  public static GroupFit fit(Group group, int holdout) {
    List<CurveFit> fits = new ArrayList<>();
    for (SurvivalModel model : SurvivalModel.values()) {
      fits.add(SurvivalFit.fit(model, group.lifetimes()));
    }
    List<Lifetimes> parts = group.data().stream().map(Cohort::lifetimes).toList();
    List<OptionalDouble> mapes = new ArrayList<>();
    for (CurveFit fit : fits) {
      mapes.add(fit.fitted() ? holdoutMape(fit.model(), parts, holdout) : OptionalDouble.empty());
    }
    CurveFit best = select(fits, mapes);
    List<ModelFit> models = new ArrayList<>();
    for (int i = 0; i < fits.size(); i++) {
      models.add(new ModelFit(fits.get(i), mapes.get(i), fits.get(i) == best));
    }
    return new GroupFit(group, List.copyOf(models));
  }

  private static CurveFit select(List<CurveFit> fits, List<OptionalDouble> mapes) {
    double insideBest = Double.POSITIVE_INFINITY;
    boolean anyInside = false;
    for (int i = 0; i < fits.size(); i++) {
      if (fits.get(i).fitted() && !fits.get(i).onBound()) {
        anyInside = true;
        insideBest = Math.min(insideBest, mapes.get(i).orElse(Double.POSITIVE_INFINITY));
      }
    }
    CurveFit best = null;
    for (int i = 0; i < fits.size(); i++) {
      CurveFit fit = fits.get(i);
      boolean competes =
          fit.fitted() && (!anyInside || !fit.onBound() || mapes.get(i).orElse(Double.NaN) <= insideBest);
      if (competes && (best == null || fit.aic() < best.aic())) {
        best = fit;
      }
    }
    return best;
  }

  /**
   * The mean absolute percentage error of the survival fitted without the last {@code holdout}
   * periods of each part, against the pooled Kaplan-Meier on the last {@code holdout} periods of
   * the longest window: data none of the parts were fitted on. Empty when there is too little to
   * hold out.
   */
  static OptionalDouble holdoutMape(SurvivalModel model, List<Lifetimes> parts, int holdout) {
    Lifetimes data = parts.get(0);
    Lifetimes early = parts.get(0).truncate(parts.get(0).window() - holdout);
    for (int i = 1; i < parts.size(); i++) {
      data = data.plus(parts.get(i));
      early = early.plus(parts.get(i).truncate(parts.get(i).window() - holdout));
    }
    int calibration = data.window() - holdout;
    if (holdout < 1 || calibration < 1) {
      return OptionalDouble.empty();
    }
    CurveFit fit = SurvivalFit.fit(model, early);
    if (!fit.fitted()) {
      return OptionalDouble.empty();
    }
    double[] observed = data.kaplanMeier();
    double errors = 0;
    int n = 0;
    for (int t = calibration + 1; t < observed.length; t++) {
      if (observed[t] > 0) {
        errors += Math.abs(fit.survival(t) - observed[t]) / observed[t];
        n++;
      }
    }
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(100 * errors / n);
  }
}
