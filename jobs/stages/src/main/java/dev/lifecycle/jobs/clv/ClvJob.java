package dev.lifecycle.jobs.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.core.Futures;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.clv.CohortValue;
import dev.lifecycle.core.clv.CustomerValue;
import dev.lifecycle.core.clv.GammaGamma;
import dev.lifecycle.core.clv.ModelChoice;
import dev.lifecycle.core.clv.PurchaseProcess;
import dev.lifecycle.core.clv.RepeatPatterns;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.mle.Parameter;
import dev.lifecycle.core.mle.ParameterDraws;
import dev.lifecycle.core.retention.SurvivalModel;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.ClvDrawTotals;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.CohortActivityTable;
import dev.lifecycle.spark.table.CohortValueTable;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.KeyOrder;
import dev.lifecycle.spark.table.NamedNumbers;
import dev.lifecycle.spark.table.RetentionModelsTable;
import dev.lifecycle.spark.table.RowOrder;
import dev.lifecycle.spark.table.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code clv_models} and {@code cohort_value} for the snapshot: the models, the total CLV
 * of the snapshot's customers with its interval, and with {@code clv.purchase-model = auto} how
 * the purchase model was chosen. The purchase model and
 * Gamma-Gamma are fitted on the driver on what Spark compresses the customer features to:
 * distinct (x, t_x, T) patterns and distinct (x, z̄) pairs with their counts. The cohort table
 * needs the retention stage's selected curves of the same snapshot, and is skipped without them.
 */
public final class ClvJob {
  /**
   * The customers the purchase model was fitted on, the distinct (x, t_x, T) patterns they
   * compress to, the seconds of that fit, and the tables written.
   */
  public record Result(long customers, long patterns, double fitSeconds, List<Table.Written> tables)
      implements StageResult.OfCustomers {}

  /** Above this |correlation| of frequency and spend, Gamma-Gamma's independence is in doubt. */
  static final double INDEPENDENCE_WARNING = 0.3;

  /** A constant key: the total over all customers. */
  private static final String ALL = "_all";

  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  /**
   * The purchase model fitted on the customers' distinct (x, t_x, T) patterns, in {@code
   * clv.purchase-model = auto} the one chosen (with how), and the seconds of the fit.
   */
  private record PurchaseSide(
      RepeatPatterns patterns, LifecycleConfig.PurchaseModel model, ModelChoice.Choice choice,
      BoundedMle.Estimate estimate, double seconds) {
    static PurchaseSide of(Dataset<Row> features, LifecycleConfig config, LocalDate snapshot) {
      RepeatPatterns patterns = CustomerFeaturesTable.patterns(features);
      LifecycleConfig.PurchaseModel model = config.clv().purchaseModel();
      ModelChoice.Choice choice = null;
      if (model == LifecycleConfig.PurchaseModel.AUTO) {
        choice = choose(features, patterns.customers(), config, snapshot);
        model = choice.winner() != null ? choice.winner() : LifecycleConfig.PurchaseModel.BG_NBD;
        LOG.info("clv: auto chose {}: {}", model.label(), choice.why());
      }
      long started = System.nanoTime();
      BoundedMle.Estimate estimate = PurchaseProcess.of(model).fit(patterns);
      return new PurchaseSide(patterns, model, choice, estimate, (System.nanoTime() - started) / 1e9);
    }
  }

  /**
   * Gamma-Gamma fitted on the repeat buyers' distinct (x, z̄) pairs, the customers those hold, and
   * the correlation of frequency and spend across them (warned of above {@link
   * #INDEPENDENCE_WARNING}).
   */
  private record SpendSide(GammaGamma.SpendFit fit, long customers, double correlation) {
    static SpendSide of(Dataset<Row> features) {
      CustomerFeaturesTable.RepeatSpend pairs = CustomerFeaturesTable.RepeatSpend.of(features);
      long customers = (long) Arrays.stream(pairs.customers()).sum();
      GammaGamma.SpendFit fit = GammaGamma.fitForClv(pairs.x(), pairs.meanValue(), pairs.customers());
      double correlation = GammaGamma.frequencySpendCorrelation(pairs.x(), pairs.meanValue(), pairs.customers());
      if (Math.abs(correlation) > INDEPENDENCE_WARNING) {
        LOG.warn(
            "clv: frequency and spend per purchase correlate at {} across {} customers; Gamma-Gamma assumes"
                + " them independent, so expected spend is biased",
            String.format(Locale.ROOT, "%.2f", correlation), customers);
      }
      return new SpendSide(fit, customers, correlation);
    }
  }

  private ClvJob() {}

  public static Result run(StageContext context, LocalDate snapshot) {
    LifecycleConfig config = context.config();
    Warehouse warehouse = context.warehouse();
    Dataset<Row> features = CustomerFeaturesTable.SPEC.read(warehouse, snapshot);
    String unit = config.timeUnit().name().toLowerCase(Locale.ROOT);

    // Gamma-Gamma's pairs and fit need nothing of the purchase model's: they run on another thread
    // meanwhile, their Spark job beside the patterns' and their fit beside the purchase model's.
    ExecutorService background = Futures.daemons("clv-spend", 1);
    Future<SpendSide> spendSide = background.submit(() -> SpendSide.of(features));
    background.shutdown();
    PurchaseSide fitted;
    try {
      fitted = PurchaseSide.of(features, config, snapshot);
    } catch (RuntimeException | Error e) {
      spendSide.cancel(true);
      throw e;
    }
    SpendSide side = Futures.join(spendSide, "fitting Gamma-Gamma");
    RepeatPatterns patterns = fitted.patterns();
    LifecycleConfig.PurchaseModel model = fitted.model();
    ModelChoice.Choice choice = fitted.choice();
    BoundedMle.Estimate purchase = fitted.estimate();
    GammaGamma.SpendFit spend = side.fit();
    long spenders = side.customers();

    ClvModelsTable.Total total = null;
    if (purchase.found()) {
      CustomerValue value =
          new CustomerValue(
              model, new CustomerValue.Fit(purchase.parameters(), purchase.covariance()),
              spend.usable() ? new CustomerValue.Fit(spend.estimate().parameters(), spend.estimate().covariance()) : null,
              config.timeUnit().days(), config.clv());
      total =
          ClvDrawTotals.byKeys(features.withColumn(ALL, lit(0)), value, List.of(ALL)).get(0).getOrDefault(0, null);
      if (value.noIntervals() != null && config.clv().intervalDraws() > 0) {
        LOG.warn("clv: no CLV intervals: {}", value.noIntervals());
      }
    }
    List<ClvModelsTable.Model> models = new ArrayList<>();
    models.add(
        model(
                model.label(), PurchaseProcess.of(model).parameters(), purchase, null, patterns.customers(), unit, null,
                total)
            .chosen(choice == null ? null : selection(choice, config, model), choice == null ? null : errors(choice)));
    models.add(
        model(
            ClvModelsTable.GAMMA_GAMMA, GammaGamma.PARAMETERS, spend.estimate(),
            spend.usable() ? null : spend.notFitted() + "; CLV uses each customer's mean spend", spenders,
            "money", Double.isFinite(side.correlation()) ? side.correlation() : null, null));
    List<Table.Written> written = new ArrayList<>();
    written.add(ClvModelsTable.write(warehouse, models, snapshot));
    if (RetentionModelsTable.SPEC.has(warehouse, snapshot)) {
      written.add(CohortValueTable.SPEC.replace(warehouse, cohortValue(context, snapshot), snapshot));
    }
    return new Result(patterns.customers(), patterns.size(), fitted.seconds(), written);
  }

  /**
   * {@code clv.purchase-model = auto}'s choice: every candidate fitted on the customers' BTYD
   * summaries at the split day ({@code split_btyd_*} of customer_features), scored on their
   * purchase days after it ({@code split_holdout_purchases}).
   */
  private static ModelChoice.Choice choose(
      Dataset<Row> features, long customers, LifecycleConfig config, LocalDate snapshot) {
    double[][] columns =
        KeyOrder.sorted(
            features
                .where(col(Columns.SPLIT_BTYD_X).isNotNull())
                .groupBy(Columns.SPLIT_BTYD_X, Columns.SPLIT_BTYD_T_X, Columns.SPLIT_BTYD_T, Columns.SPLIT_HOLDOUT_PURCHASES)
                .count());
    if (columns[0].length == 0 && customers > 0) {
      throw LifecycleException.config(
          "Cannot choose a purchase model (clv.purchase-model = auto): customer_features of " + snapshot
              + " has no customer summarised at the split; features ran without auto, or nobody had bought by "
              + config.clv().autoSplit(snapshot).orElseThrow());
    }
    return ModelChoice.choose(
        columns[0], columns[1], columns[2], columns[3], columns[4],
        config.clv().autoHoldoutDays() / config.timeUnit().days());
  }

  /** How auto chose: the split, the customers scored, the candidates' errors, or why it fell back. */
  private static String selection(ModelChoice.Choice choice, LifecycleConfig config, LifecycleConfig.PurchaseModel model) {
    String split =
        String.format(
            Locale.ROOT,
            "auto: each candidate fitted to %d days before the snapshot and scored on the %,.0f customers'"
                + " purchase days after; ",
            config.clv().autoHoldoutDays(), choice.customers());
    return choice.winner() == null
        ? split + choice.why() + ", so " + model.label()
        : split + choice.why();
  }

  /** Each candidate's mean absolute error at the split, null for one not fitted. */
  private static Map<String, Double> errors(ModelChoice.Choice choice) {
    Map<String, Double> errors = new LinkedHashMap<>();
    for (ModelChoice.Candidate candidate : choice.candidates()) {
      double error = candidate.meanAbsoluteError();
      errors.put(candidate.model().label(), Double.isFinite(error) ? error : null);
    }
    return errors;
  }

  /**
   * A model's row. {@code notFitted} says why an estimate found must not be used; without an
   * estimate the row has no parameters. A usable fit lists every parameter on its bound.
   */
  private static ClvModelsTable.Model model(
      String name, List<Parameter> parameters, BoundedMle.Estimate fit, String notFitted, long customers,
      String unit, Double correlation, ClvModelsTable.Total total) {
    boolean found = fit != null && fit.found();
    String status;
    if (notFitted != null || !found) {
      status = ClvModelsTable.Model.NOT_FITTED + (notFitted != null ? notFitted : fit.failure());
    } else {
      status = fit.fittedStatus();
    }
    return new ClvModelsTable.Model(
        name, status, found ? NamedNumbers.of(parameters, fit.parameters()) : null,
        found && fit.standardErrors() != null ? NamedNumbers.of(parameters, fit.standardErrors()) : null,
        found ? NamedNumbers.ofCovariance(parameters, fit.covariance()) : null,
        found ? fit.logLikelihood() : null, customers, unit, correlation, total, null, null);
  }

  /**
   * Per year, the P10–P90 interval of the cumulative NPV over draws of the retention curve's
   * parameters (as for the customers' CLV, {@code clv.interval-draws} seeded by {@code
   * clv.interval-seed}); {@link CustomerValue.Interval#NONE} for every year without a covariance
   * or without draws.
   */
  private static List<CustomerValue.Interval> cumulativeNpvIntervals(
      LifecycleConfig.Clv clv, List<Parameter> parameters, double[] estimate, double[][] covariance,
      Function<double[], List<CohortValue.Year>> years) {
    ParameterDraws draws =
        covariance == null || clv.intervalDraws() == 0
            ? null
            : ParameterDraws.of(parameters, estimate, covariance, clv.intervalDraws(), clv.intervalSeed());
    List<CustomerValue.Interval> intervals = new ArrayList<>();
    if (draws == null) {
      for (int year = 0; year < clv.years(); year++) {
        intervals.add(CustomerValue.Interval.NONE);
      }
      return intervals;
    }
    double[][] cumulative = new double[clv.years()][draws.count()];
    for (int d = 0; d < draws.count(); d++) {
      List<CohortValue.Year> drawn = years.apply(draws.values(d));
      for (int year = 0; year < drawn.size(); year++) {
        cumulative[year][d] = drawn.get(year).cumulativeNpv();
      }
    }
    for (double[] year : cumulative) {
      intervals.add(CustomerValue.Interval.of(year));
    }
    return intervals;
  }

  /** Dwyer and Berger-Nasr per cohort, from each cohort's selected, fitted retention curve. */
  private static List<Row> cohortValue(StageContext context, LocalDate snapshot) {
    LifecycleConfig config = context.config();
    LifecycleConfig.Clv clv = config.clv();
    // Summed on the driver in period order: a Spark sum of doubles depends on how the table's
    // files split into partitions, and the same snapshot must give the same table to the last bit.
    Map<List<Object>, Double> cohortRevenue = new HashMap<>();
    for (Row row :
        RowOrder.sorted(
            CohortActivityTable.SPEC.read(context.warehouse(), snapshot)
                .select(Columns.COHORT_SEGMENT, Columns.COHORT, Columns.REVENUE, Columns.PERIOD),
            Columns.COHORT_SEGMENT, Columns.COHORT, Columns.PERIOD)) {
      cohortRevenue.merge(List.of(row.getString(0), row.getDate(1).toLocalDate()), row.getDouble(2), Double::sum);
    }
    CohortValue.Terms terms =
        new CohortValue.Terms(clv.margin(), clv.discountRate(), clv.acquisitionCost(), clv.costPerCustomer());
    List<Row> rows = new ArrayList<>();
    for (RetentionModelsTable.Selected model : RetentionModelsTable.selected(context.warehouse(), snapshot)) {
      LocalDate cohort = model.cohort();
      String segment = model.segment();
      SurvivalModel curve = SurvivalModel.byLabel(model.model());
      double[] p = NamedNumbers.values(model.parameters(), curve.parameters());
      long customers = model.customers();
      // S(t) is the share still alive (not yet churned), bought in that period or not, so the
      // revenue it multiplies is per customer-period alive, not per period with a purchase.
      Double cohortTotal = cohortRevenue.get(List.of(segment, cohort));
      if (model.customerPeriods() == null) {
        LOG.warn(
            "clv: retention_models of {} has no customer_periods (written by an earlier version): no cohort_value;"
                + " run retention for the snapshot again",
            snapshot);
        return List.of();
      }
      if (cohortTotal == null || customers == 0 || model.customerPeriods() == 0) {
        continue;
      }
      double revenue = cohortTotal / model.customerPeriods();
      int perYear = config.retention().period().perYear();
      List<CohortValue.Year> years =
          CohortValue.years(customers, t -> Math.exp(curve.logSurvival(p, t)), revenue, perYear, clv.years(), terms);
      List<CustomerValue.Interval> intervals =
          cumulativeNpvIntervals(
              clv, curve.parameters(), p, NamedNumbers.covariance(model.covariance(), curve.parameters()),
              draw -> CohortValue.years(
                  customers, t -> Math.exp(curve.logSurvival(draw, t)), revenue, perYear, clv.years(), terms));
      for (CohortValue.Year year : years) {
        CustomerValue.Interval interval = intervals.get(year.year() - 1);
        boolean known = Double.isFinite(interval.p10());
        rows.add(
            RowFactory.create(
                java.sql.Date.valueOf(cohort), segment, curve.label(), year.year(), customers,
                year.retainedCustomers(), year.revenue(), year.costs(), year.profit(),
                year.discountFactor(), year.npv(), year.cumulativeNpv(), known ? interval.p10() : null,
                known ? interval.p90() : null, year.clvPerCustomer(), year.bergerNasrClv()));
      }
    }
    return rows;
  }

}
