package dev.lifecycle.spark.ml;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The last stage of a classifier trained on balanced classes: the probability of class 1 from the
 * classifier's probability vector, with the odds moved back to the population's. A model trained
 * where both classes weigh the same learns odds {@code priorOdds} times too small (or large); the
 * population's probability is p r / (p r + 1 − p), r = {@code priorOdds} (the prior correction of
 * King &amp; Zeng 2001, "Logistic regression in rare events data"). It keeps the ranking, so AUC
 * is unchanged. Saves and loads as params only, so the pipeline that scores is the one saved.
 */
public final class PriorCorrection extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> probabilityCol;
  private final Param<String> outputCol;
  private final DoubleParam priorOdds;

  public PriorCorrection() {
    this(Identifiable.randomUID("priorCorrection"));
  }

  public PriorCorrection(String uid) {
    this.uid = uid;
    probabilityCol = new Param<>(this, "probabilityCol", "the classifier's probability vector");
    outputCol = new Param<>(this, "outputCol", "the corrected probability of class 1");
    priorOdds =
        new DoubleParam(
            this, "priorOdds", "the population's odds of class 1 over the odds the classifier was trained at",
            ParamValidators.gt(0));
    setDefault(probabilityCol, "probability");
    setDefault(outputCol, "churn_probability");
    setDefault(priorOdds, 1.0);
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public DoubleParam priorOdds() {
    return priorOdds;
  }

  public PriorCorrection setPriorOdds(double odds) {
    set(priorOdds, odds);
    return this;
  }

  public PriorCorrection setOutputCol(String name) {
    set(outputCol, name);
    return this;
  }

  public double getPriorOdds() {
    return (Double) getOrDefault(priorOdds);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Column p = vector_to_array(col(getOrDefault(probabilityCol)), "float64").getItem(1);
    Column scaled = p.multiply(getPriorOdds());
    return dataset.withColumn(getOrDefault(outputCol), scaled.divide(scaled.plus(p.unary_$minus().plus(1))));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(getOrDefault(probabilityCol))) {
      throw new IllegalArgumentException("No column " + getOrDefault(probabilityCol) + " to correct");
    }
    return schema.add(getOrDefault(outputCol), DataTypes.DoubleType, false);
  }

  @Override
  public PriorCorrection copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public String uid() {
    return uid;
  }

  public static MLReader<PriorCorrection> read() {
    return new DefaultParamsReader<>();
  }

  public static PriorCorrection load(String path) {
    return read().load(path);
  }
}
