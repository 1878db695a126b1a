package dev.lifecycle.jobs.score;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.spark.table.Columns;
import java.time.LocalDate;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The literature's way to the value classes: a back-propagation network (MLlib's multilayer
 * perceptron) that learns them from labelled customers, here those of a reference snapshot's
 * customer_scores, on the three dimensions (current value, CLV, loyalty index, standardized), and
 * classifies this snapshot's customers. Where it disagrees with the rule, the class boundaries
 * have moved since the reference.
 */
final class ValuePerceptron {
  static final String[] INPUTS = {Columns.CURRENT_VALUE, Columns.CLV, Columns.LOYALTY_INDEX};
  private static final String LABEL = "_class";
  /** The most reference customers it learns from: a seeded sample above it. */
  static final int TRAINING = 100_000;
  private static final long SEED = 42;

  private ValuePerceptron() {}

  /**
   * The network trained on {@code reference} (customer_scores rows with a value class); fails
   * with exit 3 when the reference has no classified customer.
   */
  static PipelineModel train(Dataset<Row> reference, LocalDate snapshot, LifecycleConfig.Value config) {
    Column label = lit(null).cast(DataTypes.DoubleType);
    for (int i = ValueClasses.CELLS.size() - 1; i >= 0; i--) {
      label = when(col(Columns.VALUE_CLASS).equalTo(ValueClasses.CELLS.get(i).name()), lit((double) i)).otherwise(label);
    }
    Dataset<Row> labelled = usable(reference).withColumn(LABEL, label);
    long n = labelled.count();
    if (n == 0) {
      throw LifecycleException.input(
          "Cannot train the value-class perceptron: customer_scores of the reference snapshot " + snapshot
              + " (value.reference-snapshot) has no customer with a value class", null);
    }
    Dataset<Row> training = n <= TRAINING ? labelled : labelled.sample(false, Math.min(1.0, 1.05 * TRAINING / n), SEED);
    int[] layers = new int[config.hiddenLayers().length + 2];
    layers[0] = INPUTS.length;
    System.arraycopy(config.hiddenLayers(), 0, layers, 1, config.hiddenLayers().length);
    layers[layers.length - 1] = ValueClasses.CELLS.size();
    return new Pipeline()
        .setStages(
            new PipelineStage[] {
              // customers without CLV pass through as NaN, their class null
              new VectorAssembler().setInputCols(INPUTS).setOutputCol("_inputs").setHandleInvalid("keep"),
              new StandardScaler().setInputCol("_inputs").setOutputCol("_scaled").setWithMean(true).setWithStd(true),
              new MultilayerPerceptronClassifier()
                  .setLayers(layers)
                  .setMaxIter(200)
                  .setSeed(SEED)
                  .setFeaturesCol("_scaled")
                  .setLabelCol(LABEL)
                  .setPredictionCol("_predicted")
                  .setProbabilityCol("_probability")
                  .setRawPredictionCol("_raw")
            })
        .fit(training);
  }

  /**
   * {@code scores} with value_class_perceptron: the network's class, null where an input is. One
   * pass: the network's columns are added to the scores, not joined back.
   */
  static Dataset<Row> classify(Dataset<Row> scores, PipelineModel network) {
    Column[] names = ValueClasses.CELLS.stream().map(c -> lit(c.name())).toArray(Column[]::new);
    return network.transform(scores)
        .withColumn(
            Columns.VALUE_CLASS_PERCEPTRON,
            when(complete(), element_at(array(names), col("_predicted").cast(DataTypes.IntegerType).plus(1))))
        .drop("_inputs", "_scaled", "_raw", "_probability", "_predicted");
  }

  private static Column complete() {
    return col(Columns.CLV).isNotNull().and(col(Columns.CURRENT_VALUE).isNotNull()).and(col(Columns.LOYALTY_INDEX).isNotNull());
  }

  private static Dataset<Row> usable(Dataset<Row> rows) {
    return rows.where(complete());
  }
}
