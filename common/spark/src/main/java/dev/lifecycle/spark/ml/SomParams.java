package dev.lifecycle.spark.ml;

import java.util.Arrays;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The params the SOM estimator and its model share, as MLlib's {@code KMeansParams} does for
 * k-means: the features in and the node out, the grid (rows, cols, or a size from the data up to
 * maxNodes), its topology, the neighbourhood function, the iterations and radii, the
 * initialisation and the seed. A fitted model holds the values it was fitted with.
 */
public interface SomParams extends Params {
  Param<String> featuresCol();

  Param<String> predictionCol();

  IntParam rows();

  IntParam cols();

  IntParam maxNodes();

  Param<String> topology();

  Param<String> neighbourhood();

  IntParam maxIter();

  DoubleParam sigmaStart();

  DoubleParam sigmaEnd();

  Param<String> initMode();

  LongParam seed();

  default String getTopology() {
    return getOrDefault(topology());
  }

  default String getNeighbourhood() {
    return getOrDefault(neighbourhood());
  }

  /** The params of one estimator or model, with their docs and validators. */
  record Definitions(
      Param<String> featuresCol,
      Param<String> predictionCol,
      IntParam rows,
      IntParam cols,
      IntParam maxNodes,
      Param<String> topology,
      Param<String> neighbourhood,
      IntParam maxIter,
      DoubleParam sigmaStart,
      DoubleParam sigmaEnd,
      Param<String> initMode,
      LongParam seed) {
    static Definitions of(Identifiable owner) {
      return new Definitions(
          new Param<>(owner, "featuresCol", "column of feature vectors, standardized"),
          new Param<>(owner, "predictionCol", "output column: the best-matching node"),
          new IntParam(owner, "rows", "grid rows; 0 = from the data", ParamValidators.gtEq(0)),
          new IntParam(owner, "cols", "grid columns; 0 = from the data", ParamValidators.gtEq(0)),
          new IntParam(owner, "maxNodes", "most nodes of a grid sized from the data", ParamValidators.gtEq(4)),
          choice(owner, "topology", "grid layout", "rectangular", "hexagonal"),
          choice(owner, "neighbourhood", "neighbourhood function", "gaussian", "bubble"),
          new IntParam(owner, "maxIter", "batch iterations", ParamValidators.gtEq(1)),
          new DoubleParam(owner, "sigmaStart", "first radius; 0 = half the longer side", ParamValidators.gtEq(0)),
          new DoubleParam(owner, "sigmaEnd", "last radius", ParamValidators.gt(0)),
          choice(owner, "initMode", "initialisation", "pca", "random"),
          new LongParam(owner, "seed", "random seed of random initialisation"));
    }

    private static Param<String> choice(Identifiable owner, String name, String doc, String... allowed) {
      return new Param<>(owner, name, doc + ": " + String.join(" | ", allowed), ParamValidators.inArray(allowed));
    }
  }

  /** Gives every param its default. */
  static void setDefaults(SomParams params) {
    params.setDefault(params.featuresCol(), "features");
    params.setDefault(params.predictionCol(), "som_node");
    params.setDefault(params.rows(), 0);
    params.setDefault(params.cols(), 0);
    params.setDefault(params.maxNodes(), 400);
    params.setDefault(params.topology(), "hexagonal");
    params.setDefault(params.neighbourhood(), "gaussian");
    params.setDefault(params.maxIter(), 20);
    params.setDefault(params.sigmaStart(), 0.0);
    params.setDefault(params.sigmaEnd(), 1.0);
    params.setDefault(params.initMode(), "pca");
    params.setDefault(params.seed(), 42L);
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
