package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.spark.ml.SegmentNumbers;
import dev.lifecycle.spark.ml.SelfOrganizingMapModel;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.mllib.linalg.Vectors;

/**
 * A segment model's own functions, applied to packed customers: its scaler's moments, its k-means
 * model, its SOM codebook, and the segment its last stage ({@link SegmentNumbers}) gives each
 * k-means cluster and each SOM node. Each stage is found by its type, never by its place, and read
 * through its typed accessors. Applying these equals {@code model.transform} on the same
 * customers, without a row per customer.
 */
record SegmentScorer(
    SQLTransformer prepare,
    VectorAssembler assemble,
    double[] mean,
    double[] sd,
    org.apache.spark.mllib.clustering.KMeansModel kmeans,
    Codebook codebook,
    int[] kmeansSegment,
    int[] nodeSegment)
    implements Serializable {

  static SegmentScorer of(PipelineModel model) {
    StandardScalerModel scaler = stage(model, StandardScalerModel.class);
    SegmentNumbers numbers = stage(model, SegmentNumbers.class);
    return new SegmentScorer(
        stage(model, SQLTransformer.class), stage(model, VectorAssembler.class), scaler.mean().toArray(),
        scaler.std().toArray(), stage(model, KMeansModel.class).parentModel(),
        stage(model, SelfOrganizingMapModel.class).codebook(), numbers.kmeansSegment(), numbers.nodeSegment());
  }

  /** The one stage of a segment model of the given kind. */
  private static <T extends Transformer> T stage(PipelineModel model, Class<T> kind) {
    List<T> found = Arrays.stream(model.stages()).filter(kind::isInstance).map(kind::cast).toList();
    if (found.size() != 1) {
      throw LifecycleException.input(
          "Cannot use the segment model: it has " + found.size() + " stages of kind " + kind.getSimpleName()
              + ", not one (stages: "
              + Arrays.stream(model.stages()).map(stage -> stage.getClass().getSimpleName()).collect(Collectors.joining(", "))
              + ")",
          null);
    }
    return found.get(0);
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
