package dev.lifecycle.jobs.propensity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.clv.PurchaseProcess;
import dev.lifecycle.core.clv.RepeatPatterns;
import dev.lifecycle.core.config.ConfigKey;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.PropensityConfig;
import dev.lifecycle.core.mle.BoundedMle;
import dev.lifecycle.core.propensity.ClassifierCheck;
import dev.lifecycle.spark.ml.ModelFolder;
import dev.lifecycle.spark.ml.PriorCorrection;
import dev.lifecycle.spark.stage.CustomerFeatures;
import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerChurnTable;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.CustomerSample;
import dev.lifecycle.spark.table.PropensityModelsTable;
import dev.lifecycle.spark.table.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Churn propensity: who will buy nothing in the {@code propensity.horizon-days} after the
 * snapshot. The models learn at the cut, the horizon before the snapshot: each customer's features
 * as of the cut (ingest's one pass summarises them there too), labelled by whether they bought in
 * the days from the cut to the snapshot. Three models are compared on customers held out at the
 * cut: a multilayer perceptron (MLlib's back-propagation network), logistic regression, and the
 * baseline 1 − P(alive) of the purchase model. The one with the best AUC is trained again on all
 * the cut's customers and scores everyone at the snapshot into {@code customer_churn}; {@code
 * propensity_models} records the comparison. With {@code propensity.model-in}, a saved model
 * scores and nothing is trained.
 */
public final class PropensityJob {
  /** One model's place in the comparison: its AUC on the held-out customers (null if loaded). */
  public record ModelCheck(String model, Double auc, boolean selected) {}

  /** The customers scored, the model that scored them, the comparison, and the tables written. */
  public record Result(long customers, String model, List<ModelCheck> models, List<Table.Written> tables)
      implements StageResult.OfCustomers {}

  static final String LABEL = "churned";
  static final String WEIGHT = "weight";
  private static final String FEATURES = "features";
  private static final String SCALED = "scaled";
  private static final String MODEL = "propensity model";
  private static final int ROC_POINTS = 100;
  /** Fewer held-out customers than this cannot fill the deciles. */
  private static final int MIN_TEST = 20;
  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  private PropensityJob() {}

  /**
   * Fails with exit 2 if {@code propensity.model-out} names a folder a save would wrongly wipe.
   * The run calls it before any stage.
   */
  public static void checkModelOut(StageContext context) {
    context.config().propensity().modelOut()
        .ifPresent(
            uri ->
                ModelFolder.checkReplaceable(
                    ConfigKey.PROPENSITY_MODEL_OUT, uri, context.warehouse().uri(),
                    context.spark().sparkContext().hadoopConfiguration()));
  }

  public static Result run(StageContext context, IngestOutput ingest, LocalDate snapshot) {
    LifecycleConfig config = context.config();
    PropensityConfig settings = config.propensity();
    Optional<PipelineModel> saved = settings.modelIn().map(uri -> ModelFolder.load(uri, MODEL));
    ClvModelsTable.Model purchase =
        ClvModelsTable.purchaseModel(context.warehouse(), snapshot)
            .filter(ClvModelsTable.Model::fitted)
            .orElseThrow(
                () ->
                    LifecycleException.qualityGate(
                        "Cannot score churn propensity: " + ClvModelsTable.SPEC.name() + " has no fitted purchase model"
                            + " for snapshot " + snapshot + " (its P(alive) is a feature and the baseline); run clv"));
    LifecycleConfig.PurchaseModel model = LifecycleConfig.PurchaseModel.ofLabel(purchase.model());
    int windowDays = config.lifecycle().windowDays();

    long started = System.nanoTime();
    Training training = saved.isPresent() ? null : Training.of(context, ingest, model, windowDays);
    if (training != null) {
      LOG.info("propensity: the cut's customers labelled and split in {} s", seconds(started));
    }
    try {
      PipelineModel chosen;
      String chosenName;
      List<PropensityModelsTable.Model> rows = new ArrayList<>();
      if (saved.isPresent()) {
        chosen = saved.get();
        chosenName = nameOf(chosen);
        rows.add(
            new PropensityModelsTable.Model(
                chosenName, "loaded from " + settings.modelIn().get(), true, null, settings.horizonDays(), null, null,
                null, null, null, null, null, null, null, null, null, null, null));
      } else {
        Comparison comparison = compare(training, settings);
        rows.addAll(comparison.rows());
        chosenName = comparison.best();
        if (comparison.trainCustomers() >= settings.trainingSample()) {
          // All the cut's customers, sampled to the same size, would teach it nothing more
          chosen = comparison.bestModel();
          LOG.info(
              "propensity: {} keeps its training: {} customers, propensity.training-sample", chosenName,
              comparison.trainCustomers());
        } else {
          long refit = System.nanoTime();
          Dataset<Row> all = training.all(settings);
          chosen = fit(chosenName, settings, all);
          all.unpersist();
          LOG.info("propensity: {} trained again on all the cut's customers in {} s", chosenName, seconds(refit));
        }
        PipelineModel saving = chosen;
        settings.modelOut().ifPresent(uri -> ModelFolder.save(saving, uri, MODEL));
      }

      Dataset<Row> atSnapshot =
          ChurnFeatures.of(
              CustomerFeaturesTable.SPEC.read(context.warehouse(), snapshot), model,
              purchase.values(PurchaseProcess.of(model).parameters()), windowDays);
      Dataset<Row> scored = chosen.transform(atSnapshot);
      // What the models learnt from, beside the forecast: who lapsed over the last horizon
      Column lapsed = lit(null).cast(DataTypes.BooleanType);
      if (training != null) {
        Dataset<Row> labels = training.labelled().select(col(Columns.CUSTOMER_ID), col(LABEL));
        scored = scored.join(labels, Columns.CUSTOMER_ID, "left");
        lapsed = col(LABEL).equalTo(1.0);
      }
      Dataset<Row> churn =
          scored.select(
              col(Columns.CUSTOMER_ID), col(Columns.CHURN_PROBABILITY), lit(chosenName).as(Columns.CHURN_MODEL),
              lapsed.as(Columns.CHURNED_SINCE_CUT));
      Table.Written customers =
          CustomerChurnTable.SPEC.replace(context.warehouse(), churn, snapshot, atSnapshot::count);
      Table.Written models =
          PropensityModelsTable.SPEC.replace(
              context.warehouse(), rows.stream().map(PropensityModelsTable.Model::toRow).toList(), snapshot);
      List<ModelCheck> checks = rows.stream().map(r -> new ModelCheck(r.model(), r.auc(), r.selected())).toList();
      return new Result(customers.rows(), chosenName, checks, List.of(customers, models));
    } finally {
      if (training != null) {
        training.release();
      }
    }
  }

  /** The name a saved model goes by, from its classifier. */
  static String nameOf(PipelineModel model) {
    for (Transformer stage : model.stages()) {
      if (stage instanceof MultilayerPerceptronClassificationModel) {
        return PropensityModelsTable.MLP;
      }
      if (stage instanceof LogisticRegressionModel) {
        return PropensityModelsTable.LOGISTIC_REGRESSION;
      }
    }
    return PropensityModelsTable.BASELINE;
  }

  /**
   * The cut's customers with their features and label, split (seeded, by id) into those the
   * models learn from and those held out to compare them, each at most {@code
   * propensity.training-sample}.
   */
  record Training(LocalDate cut, Dataset<Row> labelled, Dataset<Row> train, Dataset<Row> test) {
    static Training of(StageContext context, IngestOutput ingest, LifecycleConfig.PurchaseModel model, int windowDays) {
      LifecycleConfig config = context.config();
      PropensityConfig settings = config.propensity();
      LocalDate cut = ingest.cut().orElseThrow(() -> new IllegalStateException("propensity without a cut in ingest"));
      // Churned: no purchase day in the cut's holdout, the days from it to the snapshot
      Dataset<Row> atCut =
          CustomerFeatures.derive(
              ingest.cutSummaries(), cut, config.timeUnit(), Optional.empty(),
              when(col(IngestOutput.HOLDOUT_PURCHASE_DAYS).equalTo(0), 1.0).otherwise(0.0).as(LABEL));
      double[] parameters = fitAtCut(atCut, model, cut, settings.trainingSample());
      Dataset<Row> labelled =
          ChurnFeatures.of(atCut, model, parameters, windowDays, LABEL).persist(StorageLevel.MEMORY_AND_DISK());
      Outcomes outcomes = Outcomes.of(labelled);
      long churners = outcomes.churners();
      long customers = outcomes.customers();
      if (churners == 0 || churners == customers) {
        labelled.unpersist();
        throw LifecycleException.qualityGate(
            "Cannot learn churn propensity at cut " + cut + ": " + (churners == 0 ? "none" : "every one") + " of the "
                + customers + " customers by then bought nothing in the " + settings.horizonDays()
                + " days after it (propensity.horizon-days); the models need both outcomes");
      }
      Dataset<Row> held =
          labelled.withColumn(
              "_held", pmod(xxhash64(col(Columns.CUSTOMER_ID), lit(settings.seed())), lit(10_000))
                  .lt(Math.round(settings.holdoutShare() * 10_000)));
      Dataset<Row> test = capped(held.where(col("_held")).drop("_held"), settings);
      Dataset<Row> train = capped(held.where(col("_held").unary_$bang()).drop("_held"), settings);
      return new Training(cut, labelled, train, test);
    }

    /** Every customer of the cut, at most {@code propensity.training-sample} of them. */
    Dataset<Row> all(PropensityConfig settings) {
      return capped(labelled, settings);
    }

    void release() {
      labelled.unpersist();
      train.unpersist();
      test.unpersist();
    }

    /**
     * At most {@code propensity.training-sample} customers, a seeded sample when there are more:
     * cached in as many partitions as the session has cores, since the optimisers pass over them
     * once per iteration and each pass costs a task per partition.
     */
    private static Dataset<Row> capped(Dataset<Row> customers, PropensityConfig settings) {
      long n = customers.count();
      Dataset<Row> kept =
          n <= settings.trainingSample()
              ? customers
              : customers.sample(false, Math.min(1.0, 1.05 * settings.trainingSample() / n), settings.seed())
                  .limit(settings.trainingSample());
      return kept.repartition(customers.sparkSession().sparkContext().defaultParallelism())
          .persist(StorageLevel.MEMORY_AND_DISK());
    }
  }

  /**
   * The purchase model fitted on the cut's customers, for their P(alive) there: on all of them up
   * to {@code most}, else on those whose hashed id falls in one of ⌈N / most⌉ buckets (a feature
   * needs the parameters, not their last digit, and the fit's time grows with the patterns).
   */
  private static double[] fitAtCut(Dataset<Row> atCut, LifecycleConfig.PurchaseModel model, LocalDate cut, int most) {
    RepeatPatterns patterns = CustomerFeaturesTable.patterns(CustomerSample.byId(atCut, atCut.count(), most));
    BoundedMle.Estimate fit = PurchaseProcess.of(model).fit(patterns);
    if (!fit.found()) {
      throw LifecycleException.qualityGate(
          "Cannot learn churn propensity at cut " + cut + ": " + model.label() + " cannot be fitted to the "
              + patterns.customers() + " customers by then: " + fit.failure());
    }
    if (fit.boundNote() != null) {
      LOG.warn("propensity: {} at the cut {}: {}", model.label(), cut, fit.boundNote());
    }
    return fit.parameters();
  }

  /** The models, each trained on the training customers and checked on the held-out ones. */
  record Comparison(List<PropensityModelsTable.Model> rows, String best, PipelineModel bestModel, long trainCustomers) {}

  private static String seconds(long startedNanos) {
    return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startedNanos) / 1e9);
  }

  private static Comparison compare(Training training, PropensityConfig settings) {
    Outcomes held = Outcomes.of(training.test());
    long testCustomers = held.customers();
    long testChurners = held.churners();
    if (testCustomers < MIN_TEST || testChurners == 0 || testChurners == testCustomers) {
      throw LifecycleException.qualityGate(
          "Cannot compare churn models at cut " + training.cut() + ": the " + testCustomers + " held-out customers"
              + " (propensity.holdout-share) hold " + testChurners + " churners; at least " + MIN_TEST
              + " customers with both outcomes are needed");
    }
    Dataset<Row> test = training.test();
    long trainCustomers = training.train().count();
    List<PropensityModelsTable.Model> rows = new ArrayList<>();
    String best = null;
    PipelineModel bestModel = null;
    double bestAuc = Double.NEGATIVE_INFINITY;
    for (String name :
        List.of(PropensityModelsTable.MLP, PropensityModelsTable.LOGISTIC_REGRESSION, PropensityModelsTable.BASELINE)) {
      long started = System.nanoTime();
      PipelineModel fitted = fit(name, settings, training.train());
      double seconds = (System.nanoTime() - started) / 1e9;
      Dataset<Row> scored = fitted.transform(test).select(col(LABEL), col(Columns.CHURN_PROBABILITY));
      List<Row> pairs = scored.collectAsList();
      double[] score = pairs.stream().mapToDouble(r -> r.getDouble(1)).toArray();
      boolean[] churned = new boolean[pairs.size()];
      for (int i = 0; i < churned.length; i++) {
        churned[i] = pairs.get(i).getDouble(0) == 1.0;
      }
      ClassifierCheck.Result check = ClassifierCheck.of(score, churned, ROC_POINTS);
      // Summed on the driver in score order. Spark's BinaryClassificationEvaluator sums the same
      // area over partitions its sampling of the scores sets, seeded by the RDD's id, so its last
      // bits moved with the number of RDDs the run had made before.
      double auc = check.auc();
      LOG.info(
          "propensity: {} AUC {} (trained in {} s)", name, String.format(Locale.ROOT, "%.4f", auc),
          String.format(Locale.ROOT, "%.1f", seconds));
      rows.add(
          new PropensityModelsTable.Model(
              name, "fitted", false, training.cut(), settings.horizonDays(), trainCustomers, testCustomers,
              (double) check.positives() / check.cases(), auc, check.logLoss(), check.topDecileLift(),
              check.topDecileCapture(), check.decileMeanScore(), check.decileObservedRate(),
              check.rocFalsePositiveRate(), check.rocTruePositiveRate(), describe(name, settings), seconds));
      if (auc > bestAuc) {
        bestAuc = auc;
        best = name;
        bestModel = fitted;
      }
    }
    String chosen = best;
    return new Comparison(
        rows.stream().map(r -> r.selected(r.model().equals(chosen))).toList(), chosen, bestModel, trainCustomers);
  }

  private static String describe(String name, PropensityConfig settings) {
    return switch (name) {
      case PropensityModelsTable.MLP ->
          "layers " + ChurnFeatures.NAMES.length + ","
              + Arrays.stream(settings.hiddenLayers()).mapToObj(Integer::toString).collect(Collectors.joining(","))
              + ",2; max iterations " + settings.maxIterations() + "; trained on balanced classes";
      case PropensityModelsTable.LOGISTIC_REGRESSION ->
          "max iterations " + settings.maxIterations() + "; classes weighted to balance";
      default -> "1 - p_alive of the purchase model fitted at the cut";
    };
  }

  /**
   * A model trained on {@code customers}: its pipeline from the features to {@code
   * churn_probability}. The perceptron (MLlib's has no weight column) trains on the smaller class
   * and an equal seeded sample of the larger; logistic regression weighs each class to half the
   * total. Both end with {@link PriorCorrection}, back to the population's odds. The baseline has
   * nothing to learn.
   */
  static PipelineModel fit(String name, PropensityConfig settings, Dataset<Row> customers) {
    return switch (name) {
      case PropensityModelsTable.MLP -> perceptron(settings, customers);
      case PropensityModelsTable.LOGISTIC_REGRESSION -> logistic(settings, customers);
      default ->
          new Pipeline()
              .setStages(
                  new PipelineStage[] {
                    new SQLTransformer()
                        .setStatement(
                            "SELECT *, 1 - " + Columns.P_ALIVE + " AS " + Columns.CHURN_PROBABILITY + " FROM __THIS__")
                  })
              .fit(customers);
    };
  }

  private static PipelineModel perceptron(PropensityConfig settings, Dataset<Row> customers) {
    double odds = Outcomes.of(customers).odds();
    Map<Object, Object> fractions = odds < 1 ? Map.of(0.0, odds, 1.0, 1.0) : Map.of(0.0, 1.0, 1.0, 1 / odds);
    Dataset<Row> balanced =
        customers.stat().sampleBy(LABEL, scalaMap(fractions), settings.seed()).persist(StorageLevel.MEMORY_AND_DISK());
    int[] layers = new int[settings.hiddenLayers().length + 2];
    layers[0] = ChurnFeatures.NAMES.length;
    System.arraycopy(settings.hiddenLayers(), 0, layers, 1, settings.hiddenLayers().length);
    layers[layers.length - 1] = 2;
    MultilayerPerceptronClassifier perceptron =
        new MultilayerPerceptronClassifier()
            .setLayers(layers)
            .setMaxIter(settings.maxIterations())
            .setSeed(settings.seed())
            .setFeaturesCol(SCALED)
            .setLabelCol(LABEL);
    try {
      PriorCorrection correct = new PriorCorrection().setPriorOdds(odds / Outcomes.of(balanced).odds());
      return new Pipeline().setStages(new PipelineStage[] {assemble(), scale(), perceptron, correct}).fit(balanced);
    } finally {
      balanced.unpersist();
    }
  }

  private static PipelineModel logistic(PropensityConfig settings, Dataset<Row> customers) {
    double odds = Outcomes.of(customers).odds();
    // weights n / (2 n_class): the churners' (1 + odds) / (2 odds), the others' (1 + odds) / 2
    Dataset<Row> weighted =
        customers.withColumn(
            WEIGHT, when(col(LABEL).equalTo(1.0), lit((1 + odds) / (2 * odds))).otherwise(lit((1 + odds) / 2)));
    LogisticRegression regression =
        new LogisticRegression()
            .setMaxIter(settings.maxIterations())
            .setFeaturesCol(SCALED)
            .setLabelCol(LABEL)
            .setWeightCol(WEIGHT)
            .setStandardization(false);
    PriorCorrection correct = new PriorCorrection().setPriorOdds(odds);
    return new Pipeline().setStages(new PipelineStage[] {assemble(), scale(), regression, correct}).fit(weighted);
  }

  private static VectorAssembler assemble() {
    return new VectorAssembler().setInputCols(ChurnFeatures.NAMES).setOutputCol(FEATURES);
  }

  private static StandardScaler scale() {
    return new StandardScaler().setInputCol(FEATURES).setOutputCol(SCALED).setWithMean(true).setWithStd(true);
  }

  /** The churners among customers (label column {@link #LABEL}), and the customers: one pass. */
  record Outcomes(long churners, long customers) {
    static Outcomes of(Dataset<Row> customers) {
      Row counts = customers.agg(sum(col(LABEL)), count(lit(1))).first();
      return new Outcomes(counts.isNullAt(0) ? 0 : (long) counts.getDouble(0), counts.getLong(1));
    }

    /** The churners' odds. */
    double odds() {
      return (double) churners / (customers - churners);
    }
  }

  private static scala.collection.immutable.Map<Object, Object> scalaMap(Map<Object, Object> map) {
    return scala.collection.immutable.Map.from(scala.jdk.CollectionConverters.MapHasAsScala(map).asScala());
  }
}
