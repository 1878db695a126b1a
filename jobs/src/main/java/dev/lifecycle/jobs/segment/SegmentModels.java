package dev.lifecycle.jobs.segment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.config.SegmentConfig;
import dev.lifecycle.common.cluster.WeightedKMeans;
import dev.lifecycle.common.som.Codebook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits the segmentation as one Spark ML {@link PipelineModel}, so a saved model scores new
 * snapshots with no refit: the feature transform (log1p of each feature), the assembler and the
 * standard scaler, k-means, the SOM, and a final step that maps k-means clusters and SOM nodes to
 * segment numbers. Segments are numbered from 1 by falling mean revenue per customer, so segment 1
 * is the most valuable of either method.
 *
 * <p>k is fixed or chosen in a range by silhouette, on a seeded sample when the data is larger
 * than the sample size. The SOM's second level clusters the prototypes with k-means weighted by
 * their hits, k chosen the same way.
 */
final class SegmentModels {
  static final String PREFIX = "seg_";
  static final String RAW = PREFIX + "raw";
  static final String FEATURES = PREFIX + "features";
  static final String KMEANS_CLUSTER = PREFIX + "kmeans_cluster";
  /** The passes of k-means on the sample or the prototypes at most. */
  private static final int MAX_ITERATIONS = 50;
  /** MLlib's own default for the k-means on every customer. */
  private static final int MLLIB_MAX_ITERATIONS = 20;

  /** The fitted pipeline and the metrics of choosing it. */
  record Fit(PipelineModel model, Map<String, Object> metrics) {}

  private SegmentModels() {}

  /** The input columns of the configured features, with their transformed names. */
  static SQLTransformer prepare(List<SegmentConfig.Feature> features) {
    List<String> columns = new ArrayList<>();
    for (SegmentConfig.Feature feature : features) {
      String expression =
          feature == SegmentConfig.Feature.TREND
              ? "coalesce(log1p(greatest(element_at(window_spend, -1), 0D))"
                  + " - log1p(greatest(element_at(window_spend, -2), 0D)), 0D)"
              : "log1p(greatest(cast(" + feature.column() + " AS DOUBLE), 0D))";
      columns.add(expression + " AS " + PREFIX + feature.label());
    }
    return new SQLTransformer()
        .setStatement("SELECT *, " + String.join(", ", columns) + " FROM __THIS__");
  }

  static Fit fit(Dataset<Row> customers, SegmentConfig config, long count) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    SQLTransformer prepare = prepare(config.features());
    VectorAssembler assemble =
        new VectorAssembler()
            .setInputCols(config.features().stream().map(f -> PREFIX + f.label()).toArray(String[]::new))
            .setOutputCol(RAW);
    Dataset<Row> assembled = assemble.transform(prepare.transform(customers));
    Transformer scaler =
        new StandardScaler().setInputCol(RAW).setOutputCol(FEATURES).setWithMean(true).setWithStd(true).fit(assembled);
    Dataset<Row> scaled = scaler.transform(assembled).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> sample =
          count > config.sampleSize()
              ? scaled.sample(false, (double) config.sampleSize() / count, config.seed())
              : scaled;
      double[][] points =
          sample.select(FEATURES).collectAsList().stream()
              .map(r -> ((Vector) r.get(0)).toArray())
              .toArray(double[][]::new);
      double[][] sampleCenters = chooseK(points, ones(points.length), config, metrics, "kmeans").centers();
      int k = sampleCenters.length;
      long started = System.nanoTime();
      KMeansModel kmeans = kmeans(scaled, sampleCenters);
      metrics.put("kmeans_k", k);
      metrics.put("kmeans_iterations", kmeans.parentModel().numIter());
      metrics.put("kmeans_seconds", (System.nanoTime() - started) / 1e9);

      SelfOrganizingMapModel som = som(config).setFeaturesCol(FEATURES).setPredictionCol(Columns.SOM_NODE).fit(scaled);
      metrics.put("som_grid", som.codebook().grid().rows() + "x" + som.codebook().grid().cols());
      metrics.put("som_iterations", som.summary().iterations());
      metrics.put("som_quantization_error", som.summary().quantizationError());
      metrics.put("som_topographic_error", som.summary().topographicError());
      metrics.put("som_seconds", som.summary().seconds());
      int[] nodeClusters = clusterPrototypes(som, config, metrics);

      // One pass: revenue and customers per (k-means cluster, SOM node), few enough to collect.
      int somK = 1 + Arrays.stream(nodeClusters).max().orElse(0);
      double[][] kmeansRevenue = new double[2][k];
      double[][] somRevenue = new double[2][somK];
      for (Row cell :
          som.transform(kmeans.transform(scaled))
              .groupBy(col(KMEANS_CLUSTER), col(Columns.SOM_NODE))
              .agg(count(lit(1)), sum(col(Columns.MONETARY_TOTAL)))
              .collectAsList()) {
        int cluster = ((Number) cell.get(0)).intValue();
        int somCluster = nodeClusters[cell.getInt(1)];
        double revenue = cell.isNullAt(3) ? 0 : cell.getDouble(3);
        kmeansRevenue[0][cluster] += revenue;
        kmeansRevenue[1][cluster] += cell.getLong(2);
        somRevenue[0][somCluster] += revenue;
        somRevenue[1][somCluster] += cell.getLong(2);
      }
      int[] kmeansSegment = byRevenue(kmeansRevenue[0], kmeansRevenue[1]);
      int[] somSegment = byRevenue(somRevenue[0], somRevenue[1]);
      int[] nodeSegment = new int[nodeClusters.length];
      for (int node = 0; node < nodeClusters.length; node++) {
        nodeSegment[node] = somSegment[nodeClusters[node]];
      }
      SQLTransformer label =
          new SQLTransformer()
              .setStatement(
                  "SELECT *, " + arrayLookup(KMEANS_CLUSTER, kmeansSegment) + " AS " + Columns.KMEANS_SEGMENT
                      + ", " + arrayLookup(Columns.SOM_NODE, nodeSegment) + " AS " + Columns.SOM_SEGMENT
                      + " FROM __THIS__");
      Transformer[] stages = {prepare, assemble, scaler, kmeans, som, label};
      return new Fit(new PipelineModel(Identifiable$.MODULE$.randomUID("segments"), stages), metrics);
    } finally {
      scaled.unpersist();
    }
  }

  /**
   * MLlib's k-means on every customer, started from the centers of the sample's best of ten
   * k-means++ runs at the chosen k: Lloyd's passes (at most 20, MLlib's default) refine them on
   * all customers. A single k-means|| start, MLlib's own, often settles in a costlier optimum that
   * splits a dense group and merges two others; the sample's restarts have already found the
   * cheaper one, and the refinement needs fewer passes from there. MLlib's {@code ml} estimator
   * takes no initial centers, so the RDD-based one fits and its model is wrapped as an {@code ml}
   * model, which saves, loads and transforms as usual.
   */
  private static KMeansModel kmeans(Dataset<Row> scaled, double[][] centers) {
    JavaRDD<org.apache.spark.mllib.linalg.Vector> vectors =
        scaled.select(FEATURES).toJavaRDD()
            .map(row -> org.apache.spark.mllib.linalg.Vectors.fromML((Vector) row.get(0)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      org.apache.spark.mllib.clustering.KMeansModel start =
          new org.apache.spark.mllib.clustering.KMeansModel(
              Arrays.stream(centers)
                  .map(org.apache.spark.mllib.linalg.Vectors::dense)
                  .toArray(org.apache.spark.mllib.linalg.Vector[]::new));
      org.apache.spark.mllib.clustering.KMeansModel fitted =
          new org.apache.spark.mllib.clustering.KMeans()
              .setK(centers.length)
              .setMaxIterations(MLLIB_MAX_ITERATIONS)
              .setInitialModel(start)
              .run(vectors.rdd());
      KMeansModel model = new KMeansModel(Identifiable$.MODULE$.randomUID("kmeans"), fitted);
      model.set(model.k(), centers.length);
      return model.setFeaturesCol(FEATURES).setPredictionCol(KMEANS_CLUSTER);
    } finally {
      vectors.unpersist(false);
    }
  }


  private static SelfOrganizingMap som(SegmentConfig config) {
    SelfOrganizingMap som =
        new SelfOrganizingMap()
            .setTopology(config.topology().name().toLowerCase(Locale.ROOT))
            .setNeighbourhood(config.neighbourhood().name().toLowerCase(Locale.ROOT))
            .setMaxIter(config.somIterations())
            .setInitMode(config.somInit().name().toLowerCase(Locale.ROOT))
            .setSeed(config.seed())
            .setMaxNodes(config.somMaxNodes());
    return config.somRows() > 0 ? som.setGrid(config.somRows(), config.somCols()) : som;
  }

  /**
   * k-means with k in the configured range and the best silhouette (squared Euclidean), or with
   * the fixed k, on points held in memory: a seeded sample of customers or the SOM's prototypes.
   * k stays below the number of distinct points. The curve goes to {@code metrics} as {@code
   * <name>_silhouette}.
   */
  private static WeightedKMeans.Result chooseK(
      double[][] points, double[] weights, SegmentConfig config, Map<String, Object> metrics, String name) {
    int distinct = WeightedKMeans.distinct(points, config.kMax() + 1);
    int max = Math.min(config.kMax(), distinct - 1);
    if (config.kMin() == config.kMax() || max <= config.kMin()) {
      int k = Math.max(1, Math.min(config.kMin(), distinct));
      return WeightedKMeans.fit(points, weights, k, config.seed(), MAX_ITERATIONS);
    }
    // Each k is independent of the others: fitted side by side, compared in order of k.
    List<WeightedKMeans.Result> fits =
        IntStream.rangeClosed(config.kMin(), max)
            .parallel()
            .mapToObj(k -> WeightedKMeans.fit(points, weights, k, config.seed(), MAX_ITERATIONS))
            .toList();
    Map<String, Double> curve = new LinkedHashMap<>();
    WeightedKMeans.Result best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (WeightedKMeans.Result fit : fits) {
      int k = fit.centers().length;
      double score = WeightedKMeans.silhouette(points, weights, fit.assignment(), k);
      curve.put(Integer.toString(k), score);
      if (score > bestScore) {
        bestScore = score;
        best = fit;
      }
    }
    metrics.put(name + "_silhouette", curve);
    return best;
  }

  /**
   * The second level: k-means on the prototypes weighted by their hits, k chosen as for the
   * customers; the cluster of every node, a node without hits taking the nearest center's.
   */
  private static int[] clusterPrototypes(SelfOrganizingMapModel som, SegmentConfig config, Map<String, Object> metrics) {
    Codebook codebook = som.codebook();
    long[] hits = som.summary().hits();
    List<double[]> used = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (int node = 0; node < codebook.grid().nodes(); node++) {
      if (hits[node] > 0) {
        used.add(codebook.node(node));
        weights.add((double) hits[node]);
      }
    }
    WeightedKMeans.Result fit =
        chooseK(
            used.toArray(double[][]::new), weights.stream().mapToDouble(Double::doubleValue).toArray(),
            config, metrics, "som");
    metrics.put("som_k", fit.centers().length);
    int[] clusters = new int[codebook.grid().nodes()];
    for (int node = 0; node < clusters.length; node++) {
      clusters[node] = WeightedKMeans.nearest(codebook.node(node), fit.centers());
    }
    return clusters;
  }

  private static double[] ones(int n) {
    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    return ones;
  }

  /**
   * Segment numbers for clusters 0..k-1 from their revenue and customers: 1 for the highest mean
   * revenue per customer. Clusters without customers come last, in cluster order.
   */
  private static int[] byRevenue(double[] revenue, double[] customers) {
    int k = revenue.length;
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      order.add(c);
    }
    order.sort(
        (a, b) -> {
          boolean hasA = customers[a] > 0;
          boolean hasB = customers[b] > 0;
          if (hasA != hasB) {
            return hasA ? -1 : 1;
          }
          double meanA = hasA ? revenue[a] / customers[a] : 0;
          double meanB = hasB ? revenue[b] / customers[b] : 0;
          int byValue = Double.compare(meanB, meanA);
          return byValue != 0 ? byValue : Integer.compare(a, b);
        });
    int[] segment = new int[k];
    for (int rank = 0; rank < k; rank++) {
      segment[order.get(rank)] = rank + 1;
    }
    return segment;
  }

  /** SQL for values[index] (index 0-based) as a literal array lookup. */
  private static String arrayLookup(String index, int[] values) {
    String array =
        Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    return "element_at(array(" + array + "), CAST(" + index + " AS INT) + 1)";
  }
}
