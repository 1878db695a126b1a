package dev.lifecycle.jobs.clv;

import static org.apache.spark.sql.functions.col;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.Tables;
import dev.lifecycle.core.clv.CohortValue;
import dev.lifecycle.core.clv.CustomerValue;
import dev.lifecycle.core.clv.GammaGamma;
import dev.lifecycle.core.clv.RepeatPatterns;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import dev.lifecycle.core.retention.SurvivalModel;
import dev.lifecycle.jobs.run.RunContext;
import dev.lifecycle.jobs.score.ScoreJob;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes {@code clv_models} and {@code cohort_value} for the snapshot. The purchase model and
 * Gamma-Gamma are fitted on the driver on what Spark compresses the customer features to:
 * distinct (x, t_x, T) patterns and distinct (x, z̄) pairs with their counts. The cohort table
 * needs the retention stage's selected curves of the same snapshot, and is skipped without them.
 */
public final class ClvJob {
  public static final String STAGE = "clv";
  public static final String GAMMA_GAMMA = "gamma_gamma";

  private static final DataType NUMBERS_BY_NAME =
      DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false);

  static final StructType MODELS =
      new StructType()
          .add(Columns.MODEL, DataTypes.StringType, false)
          .add(Columns.STATUS, DataTypes.StringType, false)
          .add(Columns.PARAMETERS, NUMBERS_BY_NAME)
          .add(Columns.STANDARD_ERRORS, NUMBERS_BY_NAME)
          .add(Columns.LOG_LIKELIHOOD, DataTypes.DoubleType)
          .add(Columns.CUSTOMERS, DataTypes.LongType, false)
          .add(Columns.TIME_UNIT, DataTypes.StringType, false);

  static final StructType COHORT_VALUE =
      new StructType()
          .add(Columns.COHORT, DataTypes.DateType, false)
          .add(Columns.COHORT_SEGMENT, DataTypes.StringType, false)
          .add(Columns.MODEL, DataTypes.StringType, false)
          .add(Columns.YEAR, DataTypes.IntegerType, false)
          .add(Columns.COHORT_CUSTOMERS, DataTypes.LongType, false)
          .add(Columns.RETAINED_CUSTOMERS, DataTypes.DoubleType, false)
          .add(Columns.REVENUE, DataTypes.DoubleType, false)
          .add(Columns.COSTS, DataTypes.DoubleType, false)
          .add(Columns.PROFIT, DataTypes.DoubleType, false)
          .add(Columns.DISCOUNT_FACTOR, DataTypes.DoubleType, false)
          .add(Columns.NPV, DataTypes.DoubleType, false)
          .add(Columns.CUMULATIVE_NPV, DataTypes.DoubleType, false)
          .add(Columns.CLV_PER_CUSTOMER, DataTypes.DoubleType, false)
          .add(Columns.BERGER_NASR_CLV, DataTypes.DoubleType, false);

  private ClvJob() {}

  public static long run(RunContext context) {
    return context.stage(STAGE, "customers", () -> clv(context));
  }

  /** The purchase model's name in {@code clv_models}: bg_nbd or pareto_nbd. */
  public static String name(LifecycleConfig.PurchaseModel model) {
    return model.name().toLowerCase(Locale.ROOT);
  }

  private static long clv(RunContext context) {
    LifecycleConfig config = context.config();
    LocalDate snapshot = ScoreJob.snapshot(context);
    Dataset<Row> features = context.warehouse().readPartition(Tables.CUSTOMER_FEATURES, snapshot);
    String unit = config.timeUnit().name().toLowerCase(Locale.ROOT);

    RepeatPatterns patterns = new RepeatPatterns();
    for (Row row :
        sorted(features.groupBy(Columns.BTYD_X, Columns.BTYD_T_X, Columns.BTYD_T).count().collectAsList())) {
      patterns.add(row.getLong(0), row.getDouble(1), row.getDouble(2), row.getLong(3));
    }
    LifecycleConfig.PurchaseModel model = config.clv().purchaseModel();
    long started = System.nanoTime();
    BoundedMle.Estimate purchase = CustomerValue.fit(model, patterns);
    context.metric("clv_fit_seconds", (System.nanoTime() - started) / 1e9);

    List<Row> pairs =
        sorted(
            features
                .where(col(Columns.BTYD_X).gt(0).and(col(Columns.REPEAT_VALUE_AVG).gt(0)))
                .groupBy(Columns.BTYD_X, Columns.REPEAT_VALUE_AVG)
                .count()
                .collectAsList());
    double[] x = pairs.stream().mapToDouble(r -> r.getLong(0)).toArray();
    double[] mean = pairs.stream().mapToDouble(r -> r.getDouble(1)).toArray();
    double[] weights = pairs.stream().mapToDouble(r -> r.getLong(2)).toArray();
    long spenders = (long) Arrays.stream(weights).sum();
    BoundedMle.Estimate spend = pairs.isEmpty() ? null : GammaGamma.fit(x, mean, weights);

    List<Row> models = new ArrayList<>();
    models.add(modelRow(name(model), CustomerValue.parameters(model), purchase, patterns.customers(), unit));
    models.add(
        spend == null
            ? RowFactory.create(GAMMA_GAMMA, "not fitted: no customer with a repeat purchase of positive value", null, null, null, 0L, unit)
            : modelRow(GAMMA_GAMMA, GammaGamma.PARAMETERS, spend, spenders, "money"));
    context.writeTable(Tables.CLV_MODELS, MODELS, models, snapshot);

    if (context.warehouse().hasPartition(Tables.RETENTION_MODELS, snapshot)) {
      context.writeTable(Tables.COHORT_VALUE, COHORT_VALUE, cohortValue(context, snapshot), snapshot);
    }
    context.count("clv_patterns", patterns.size());
    return patterns.customers();
  }

  /**
   * Grouped counts (a long key, then double keys, then the count) in key order, so the fit sums its
   * likelihood in one order and comes out the same to the last bit on any partitioning.
   */
  private static List<Row> sorted(List<Row> counts) {
    Comparator<Row> order = Comparator.comparingLong(r -> r.getLong(0));
    int keys = counts.isEmpty() ? 0 : counts.get(0).length() - 1;
    for (int i = 1; i < keys; i++) {
      int key = i;
      order = order.thenComparingDouble(r -> r.getDouble(key));
    }
    List<Row> sorted = new ArrayList<>(counts);
    sorted.sort(order);
    return sorted;
  }

  private static Row modelRow(
      String name, List<Parameter> parameters, BoundedMle.Estimate fit, long customers, String unit) {
    if (!fit.found()) {
      return RowFactory.create(name, "not fitted: " + fit.failure(), null, null, null, customers, unit);
    }
    String status =
        fit.onBound() != null
            ? "fitted; " + fit.onBound() + " at its bound, no standard errors"
            : fit.standardErrors() == null ? "fitted; flat likelihood, no standard errors" : "fitted";
    return RowFactory.create(
        name, status, byName(parameters, fit.parameters()),
        fit.standardErrors() == null ? null : byName(parameters, fit.standardErrors()),
        fit.logLikelihood(), customers, unit);
  }

  private static Map<String, Double> byName(List<Parameter> parameters, double[] values) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(parameters.get(i).name(), values[i]);
    }
    return map;
  }

  /** Natural parameters in the model's order from a {@code parameters} map, or null. */
  public static double[] parameters(Map<String, Double> byName, List<Parameter> parameters) {
    if (byName == null) {
      return null;
    }
    return parameters.stream().mapToDouble(p -> byName.get(p.name())).toArray();
  }

  /** Dwyer and Berger-Nasr per cohort, from each cohort's selected, fitted retention curve. */
  private static List<Row> cohortValue(RunContext context, LocalDate snapshot) {
    LifecycleConfig config = context.config();
    LifecycleConfig.Clv clv = config.clv();
    // Summed on the driver in period order: a Spark sum of doubles depends on how the table's
    // files split into partitions, and the same snapshot must give the same table to the last bit.
    Map<List<Object>, double[]> revenueAndActive = new HashMap<>();
    for (Row row :
        context.warehouse().readPartition(Tables.COHORT_ACTIVITY, snapshot)
            .select(Columns.COHORT_SEGMENT, Columns.COHORT, Columns.REVENUE, Columns.CUSTOMERS_ACTIVE)
            .orderBy(Columns.COHORT_SEGMENT, Columns.COHORT, Columns.PERIOD)
            .collectAsList()) {
      double[] totals =
          revenueAndActive.computeIfAbsent(
              List.of(row.getString(0), row.getDate(1).toLocalDate()), k -> new double[2]);
      totals[0] += row.getDouble(2);
      totals[1] += row.getLong(3);
    }
    Map<List<Object>, Double> revenuePerActive = new HashMap<>();
    revenueAndActive.forEach((cohort, totals) -> revenuePerActive.put(cohort, totals[0] / totals[1]));
    CohortValue.Terms terms =
        new CohortValue.Terms(clv.margin(), clv.discountRate(), clv.acquisitionCost(), clv.costPerCustomer());
    List<Row> rows = new ArrayList<>();
    for (Row model :
        context.warehouse().readPartition(Tables.RETENTION_MODELS, snapshot)
            .where(col(Columns.SELECTED).and(col(Columns.PARAMETERS).isNotNull()))
            .select(Columns.COHORT, Columns.COHORT_SEGMENT, Columns.MODEL, Columns.PARAMETERS, Columns.CUSTOMERS)
            .orderBy(Columns.COHORT_SEGMENT, Columns.COHORT)
            .collectAsList()) {
      LocalDate cohort = model.getDate(0).toLocalDate();
      String segment = model.getString(1);
      SurvivalModel curve = SurvivalModel.byLabel(model.getString(2));
      double[] p = parameters(model.getJavaMap(3), curve.parameters());
      long customers = model.getLong(4);
      Double revenue = revenuePerActive.get(List.of(segment, cohort));
      if (revenue == null || customers == 0) {
        continue;
      }
      for (CohortValue.Year year :
          CohortValue.years(
              customers, t -> Math.exp(curve.logSurvival(p, t)), revenue,
              config.retention().period().perYear(), clv.years(), terms)) {
        rows.add(
            RowFactory.create(
                java.sql.Date.valueOf(cohort), segment, curve.label(), year.year(), customers,
                year.retainedCustomers(), year.revenue(), year.costs(), year.profit(),
                year.discountFactor(), year.npv(), year.cumulativeNpv(), year.clvPerCustomer(),
                year.bergerNasrClv()));
      }
    }
    return rows;
  }

}
