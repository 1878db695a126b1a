package dev.lifecycle.jobs.segment;

import dev.lifecycle.spark.ml.SelfOrganizingMapModel;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.som.Codebook;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A segment model's own functions, applied to packed customers: its scaler's moments, its k-means
 * model, its SOM codebook, and the segment its last stage gives each k-means cluster and each SOM
 * node. Applying these equals {@code model.transform} on the same customers, without a row per
 * customer.
 */
record SegmentScorer(
    Transformer prepare,
    VectorAssembler assemble,
    double[] mean,
    double[] sd,
    org.apache.spark.mllib.clustering.KMeansModel kmeans,
    Codebook codebook,
    int[] kmeansSegment,
    int[] nodeSegment)
    implements Serializable {

  static SegmentScorer of(PipelineModel model, SparkSession spark) {
    Transformer[] stages = model.stages();
    if (stages.length != 6) {
      throw LifecycleException.input("Cannot use the segment model: it has " + stages.length + " stages, not 6", null);
    }
    VectorAssembler assemble = stage(stages, 1, VectorAssembler.class);
    StandardScalerModel scaler = stage(stages, 2, StandardScalerModel.class);
    KMeansModel kmeans = stage(stages, 3, KMeansModel.class);
    Codebook codebook = stage(stages, 4, SelfOrganizingMapModel.class).codebook();
    Transformer label = stages[5];
    int k = kmeans.clusterCenters().length;
    int nodes = codebook.grid().nodes();
    return new SegmentScorer(
        stages[0], assemble, scaler.mean().toArray(), scaler.std().toArray(), kmeans.parentModel(), codebook,
        segments(spark, label, k, true), segments(spark, label, nodes, false));
  }

  /** Stage i of a segment model, which must be of the given kind. */
  private static <T extends Transformer> T stage(Transformer[] stages, int i, Class<T> kind) {
    if (!kind.isInstance(stages[i])) {
      throw LifecycleException.input(
          "Cannot use the segment model: stage " + (i + 1) + " is a " + stages[i].getClass().getSimpleName()
              + ", not a " + kind.getSimpleName(),
          null);
    }
    return kind.cast(stages[i]);
  }

  /** What the label stage gives clusters (or nodes) 0..count-1. */
  private static int[] segments(SparkSession spark, Transformer label, int count, boolean clusters) {
    StructType schema =
        new StructType()
            .add(SegmentModels.KMEANS_CLUSTER, DataTypes.IntegerType, false)
            .add(Columns.SOM_NODE, DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(clusters ? RowFactory.create(i, 0) : RowFactory.create(0, i));
    }
    String column = clusters ? Columns.KMEANS_SEGMENT : Columns.SOM_SEGMENT;
    int[] segments = new int[count];
    List<Row> labelled =
        label.transform(spark.createDataFrame(rows, schema))
            .select(clusters ? SegmentModels.KMEANS_CLUSTER : Columns.SOM_NODE, column)
            .collectAsList();
    for (Row row : labelled) {
      segments[row.getInt(0)] = row.getInt(1);
    }
    return segments;
  }

  /**
   * A block of customers with each one's k-means cluster and SOM node, as the model's k-means and
   * SOM stages assign them; the segments follow from those ({@link #kmeansSegment}, {@link
   * #nodeSegment}).
   */
  record Scored(CustomerBlock customers, int[] clusters, int[] nodes) implements Serializable {}

  Scored score(CustomerBlock block) {
    return score(kmeans, codebook, block);
  }

  /** Each customer's cluster under {@code kmeans} (as MLlib assigns it) and best unit in {@code codebook}. */
  static Scored score(
      org.apache.spark.mllib.clustering.KMeansModel kmeans, Codebook codebook, CustomerBlock block) {
    int n = block.size();
    int[] clusters = new int[n];
    int[] nodes = new int[n];
    double[] values = block.points().values();
    int dim = block.points().dim();
    for (int i = 0; i < n; i++) {
      int offset = i * dim;
      clusters[i] = kmeans.predict(Vectors.dense(Arrays.copyOfRange(values, offset, offset + dim)));
      nodes[i] = codebook.bestMatchingUnit(values, offset);
    }
    return new Scored(block, clusters, nodes);
  }
}
