package dev.lifecycle.jobs.segment;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import dev.lifecycle.core.cluster.Assignment;
import dev.lifecycle.core.cluster.ExactTotals;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.ml.SegmentNumbers;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.CustomerSegmentsTable;
import dev.lifecycle.spark.table.SegmentProfilesTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Stable segment ids across refits: each segment of a new fit takes the id of the previous
 * snapshot's segment whose centroid is nearest, as an optimal one-to-one assignment (least total
 * distance, {@link Assignment}) kept only where the assigned centroid is also the nearest
 * ({@link #matches}); the segments left over get ids the previous snapshot did not use, in order of
 * value. Centroids are the mean standardized features of each segment's customers,
 * both snapshots' customers standardized by the new fit, so the distances are in one space. The
 * new ids go into the model's last stage ({@link SegmentNumbers}): the model that is saved is the
 * one that scores.
 */
final class SegmentLineage {
  /** The model with the matched ids, and the rows of segment_lineage. */
  record Matched(PipelineModel model, List<Row> lineage) {}

  private static final String METHOD = "__method";
  private static final String SEGMENT = "__segment";

  private SegmentLineage() {}

  /**
   * The fitted {@code model}, its segments matched to those of the newest snapshot of
   * customer_segments before {@code snapshot}; empty when there is none (or it has no segments).
   * A match further than {@code maxDistance} is not kept.
   */
  static Optional<Matched> match(
      Warehouse warehouse, PipelineModel model, Dataset<Row> features, LocalDate snapshot, double maxDistance) {
    Optional<LocalDate> previous = CustomerSegmentsTable.SPEC.latestSnapshot(warehouse, snapshot);
    if (previous.isEmpty() || !CustomerFeaturesTable.SPEC.has(warehouse, previous.get())) {
      return Optional.empty();
    }
    LocalDate from = previous.get();
    Dataset<Row> segmented = CustomerSegmentsTable.SPEC.read(warehouse, from);
    Dataset<Row> before = CustomerFeaturesTable.SPEC.read(warehouse, from).join(segmented, Columns.CUSTOMER_ID);
    int dim = featureCount(model);
    Map<String, Map<Integer, double[]>> was = centroids(standardize(model).transform(before), dim);
    if (was.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Map<Integer, double[]>> now = centroids(model.transform(features), dim);
    SegmentNumbers numbers = (SegmentNumbers) model.stages()[model.stages().length - 1];
    List<Row> lineage = new ArrayList<>();
    Map<Integer, Integer> kmeans =
        ids(SegmentProfilesTable.KMEANS, now.getOrDefault(SegmentProfilesTable.KMEANS, Map.of()),
            was.getOrDefault(SegmentProfilesTable.KMEANS, Map.of()), from, maxDistance, lineage);
    Map<Integer, Integer> som =
        ids(SegmentProfilesTable.SOM, now.getOrDefault(SegmentProfilesTable.SOM, Map.of()),
            was.getOrDefault(SegmentProfilesTable.SOM, Map.of()), from, maxDistance, lineage);
    int[] clusters = Arrays.stream(numbers.kmeansSegment()).map(s -> kmeans.getOrDefault(s, s)).toArray();
    int[] nodes = Arrays.stream(numbers.nodeSegment()).map(s -> som.getOrDefault(s, s)).toArray();
    Transformer[] stages = model.stages().clone();
    stages[stages.length - 1] =
        SegmentNumbers.of(numbers.getOrDefault(numbers.clusterCol()), numbers.getOrDefault(numbers.nodeCol()), clusters, nodes);
    return Optional.of(new Matched(new PipelineModel(Identifiable$.MODULE$.randomUID("segments"), stages), lineage));
  }

  /** How many features the model standardizes: its assembler's inputs. */
  private static int featureCount(PipelineModel model) {
    for (Transformer stage : model.stages()) {
      if (stage instanceof VectorAssembler assembler) {
        return assembler.getInputCols().length;
      }
    }
    throw new IllegalStateException("The segment model has no feature assembler");
  }

  /** The model's stages up to its standardized features. */
  private static PipelineModel standardize(PipelineModel model) {
    List<Transformer> stages = new ArrayList<>();
    for (Transformer stage : model.stages()) {
      if (stage instanceof SQLTransformer || stage instanceof VectorAssembler || stage instanceof StandardScalerModel) {
        stages.add(stage);
      }
    }
    return new PipelineModel(Identifiable$.MODULE$.randomUID("standardize"), stages.toArray(Transformer[]::new));
  }

  /**
   * Each method's segments' mean standardized features, from one pass over the customers: {@linkplain
   * ExactTotals exact sums}, so the means do not depend on how the customers split into partitions.
   */
  private static Map<String, Map<Integer, double[]>> centroids(Dataset<Row> customers, int dim) {
    Dataset<Row> bySegment =
        customers
            .select(
                explode(
                        array(
                            struct(lit(SegmentProfilesTable.KMEANS).as(METHOD), col(Columns.KMEANS_SEGMENT).as(SEGMENT)),
                            struct(lit(SegmentProfilesTable.SOM).as(METHOD), col(Columns.SOM_SEGMENT).as(SEGMENT))))
                    .as("m"),
                col(SegmentModels.FEATURES))
            .where(col("m." + SEGMENT).isNotNull())
            .select(col("m." + METHOD), col("m." + SEGMENT), col(SegmentModels.FEATURES));
    Map<List<Object>, ExactTotals.Totals> totals =
        bySegment
            .toJavaRDD()
            .treeAggregate(
                new ExactTotals<List<Object>>(dim),
                (sums, row) ->
                    sums.add(
                        List.of(row.getString(0), row.getInt(1)),
                        Arrays.stream(((Vector) row.get(2)).toArray()).boxed().toArray(Double[]::new)),
                ExactTotals::merge)
            .totals();
    Map<String, Map<Integer, double[]>> centroids = new HashMap<>();
    totals.forEach(
        (key, sums) -> {
          double[] mean = new double[dim];
          for (int i = 0; i < dim; i++) {
            mean[i] = sums.sums()[i] / sums.count();
          }
          centroids.computeIfAbsent((String) key.get(0), m -> new TreeMap<>()).put((Integer) key.get(1), mean);
        });
    return centroids;
  }

  /**
   * The id each of one method's new segments (numbered by value) takes, with its lineage rows:
   * matched ones the previous id, the rest the next ids unused before, in order of value.
   */
  private static Map<Integer, Integer> ids(
      String method, Map<Integer, double[]> now, Map<Integer, double[]> was, LocalDate from, double maxDistance,
      List<Row> lineage) {
    List<Integer> ranks = new ArrayList<>(now.keySet());
    List<Integer> previous = new ArrayList<>(was.keySet());
    double[][] cost = new double[ranks.size()][previous.size()];
    for (int i = 0; i < ranks.size(); i++) {
      for (int j = 0; j < previous.size(); j++) {
        cost[i][j] = distance(now.get(ranks.get(i)), was.get(previous.get(j)));
      }
    }
    int[] match = matches(cost, previous.size(), maxDistance);
    int next = previous.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    Map<Integer, Integer> ids = new HashMap<>();
    boolean[] taken = new boolean[previous.size()];
    Date day = Date.valueOf(from);
    for (int i = 0; i < ranks.size(); i++) {
      int rank = ranks.get(i);
      if (match[i] >= 0) {
        taken[match[i]] = true;
        ids.put(rank, previous.get(match[i]));
        lineage.add(RowFactory.create(method, previous.get(match[i]), day, previous.get(match[i]), cost[i][match[i]], rank));
      } else {
        ids.put(rank, next);
        lineage.add(RowFactory.create(method, next++, day, null, null, rank));
      }
    }
    for (int j = 0; j < previous.size(); j++) {
      if (!taken[j]) {
        lineage.add(RowFactory.create(method, null, day, previous.get(j), null, null));
      }
    }
    return ids;
  }

  /**
   * Each new segment's previous one (its column of {@code cost}), or −1: the optimal one-to-one
   * assignment, less the pairs further apart than {@code maxDistance} and those where the new
   * centroid lies nearer another previous centroid than the one it was assigned. Such a segment
   * has moved into another's place (or two new ones split one previous segment between them): a
   * customer at its centre would have been in another previous segment. It takes a new id, and
   * its assigned one is recorded as ended.
   */
  static int[] matches(double[][] cost, int previous, double maxDistance) {
    int[] match = new int[cost.length];
    Arrays.fill(match, -1);
    if (previous == 0) {
      return match;
    }
    int[] assigned = Assignment.solve(cost);
    for (int i = 0; i < cost.length; i++) {
      int j = assigned[i];
      if (j >= 0 && cost[i][j] <= maxDistance && cost[i][j] <= Arrays.stream(cost[i]).min().orElseThrow()) {
        match[i] = j;
      }
    }
    return match;
  }

  private static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }
}
