package dev.lifecycle.spark.ml;

import java.util.Arrays;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The params the SOM estimator and its model share: the features in, the node out. */
public interface SomParams extends Params {
  Param<String> featuresCol();

  Param<String> predictionCol();

  static Param<String> featuresCol(Identifiable parent) {
    return new Param<>(parent, "featuresCol", "column of feature vectors, standardized");
  }

  static Param<String> predictionCol(Identifiable parent) {
    return new Param<>(parent, "predictionCol", "output column: the best-matching node");
  }

  /** Checks the features column is a vector column and appends the integer node column. */
  static StructType appendPrediction(SomParams params, StructType schema) {
    String features = params.getOrDefault(params.featuresCol());
    String prediction = params.getOrDefault(params.predictionCol());
    if (!Arrays.asList(schema.fieldNames()).contains(features)) {
      throw new IllegalArgumentException(
          "Cannot use a SOM: no features column '" + features + "' among " + Arrays.toString(schema.fieldNames()));
    }
    if (!(schema.apply(features).dataType() instanceof VectorUDT)) {
      throw new IllegalArgumentException(
          "Cannot use a SOM: features column '" + features + "' is "
              + schema.apply(features).dataType().simpleString() + ", not a vector");
    }
    if (Arrays.asList(schema.fieldNames()).contains(prediction)) {
      throw new IllegalArgumentException("Cannot use a SOM: output column '" + prediction + "' already exists");
    }
    return schema.add(prediction, DataTypes.IntegerType, false);
  }
}
