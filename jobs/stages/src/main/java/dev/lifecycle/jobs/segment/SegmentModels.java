package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.Futures;
import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.cluster.PointBlock;
import dev.lifecycle.core.config.SegmentConfig;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.core.som.FeatureMoments;
import dev.lifecycle.core.som.SomGrid;
import dev.lifecycle.spark.ml.PointBlocks;
import dev.lifecycle.spark.ml.SegmentNumbers;
import dev.lifecycle.spark.ml.SelfOrganizingMap;
import dev.lifecycle.spark.ml.SelfOrganizingMapModel;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.SegmentMetrics;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vectors;
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

  /**
   * The fitted pipeline, the metrics of choosing it, and the customers it was fitted on, packed,
   * standardized, scored with its k-means and SOM, and cached (the caller unpersists them).
   */
  record Fit(PipelineModel model, SegmentMetrics metrics, JavaRDD<SegmentScorer.Scored> scored) {}

  /**
   * Every customer has the same features (or there is one customer): no two segments exist, and
   * k-means needs k of at least 2. {@code segment} skips segmentation; {@code tune} stops, exit 4.
   */
  static final class TooFewCustomers extends LifecycleException {
    TooFewCustomers(long customers) {
      super(
          ExitCode.QUALITY_GATE,
          "Cannot segment: "
              + (customers == 1
                  ? "customer_features has 1 customer"
                  : String.format(Locale.ROOT, "the %,d customers of customer_features all have the same features", customers))
              + ", so there are no two segments to find",
          null);
    }
  }

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

  /** A given grid with more nodes than customers is refused unless forced: most nodes would stay empty. */
  private static void checkGrid(SegmentConfig config, long customers) {
    long nodes = (long) config.somRows() * config.somCols();
    if (nodes > customers && !config.somForceGrid()) {
      throw LifecycleException.config(
          String.format(
              Locale.ROOT,
              "segment.som.grid %dx%d has %,d nodes for %,d customers; give a smaller grid, auto, or"
                  + " segment.som.force-grid = true",
              config.somRows(), config.somCols(), nodes, customers));
    }
  }

  /**
   * Fits on the customers of {@code features} (customer_id, the feature columns and the R, F and M
   * of the profiles). The customers are packed once into cached blocks of standardized points, and
   * every pass of the fit reads those: the scaler's moments, the sample, the SOM and k-means on all
   * customers, sharing their passes ({@link SharedPasses}), and the scoring of every customer, from
   * which the revenue of each cluster and node orders the segments. The scored blocks stay cached
   * for the caller, who unpersists them.
   */
  static Fit fit(Dataset<Row> features, SegmentConfig config) {
    SQLTransformer prepare = prepare(config.features());
    VectorAssembler assemble =
        new VectorAssembler()
            .setInputCols(config.features().stream().map(f -> PREFIX + f.label()).toArray(String[]::new))
            .setOutputCol(RAW);
    JavaRDD<CustomerBlock> raw = CustomerBlock.raw(features, prepare, assemble).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<CustomerBlock> customers;
    StandardScalerModel scaler;
    FeatureMoments moments;
    try {
      FeatureMoments rawMoments =
          PointBlocks.moments(raw.map(CustomerBlock::points))
              .orElseThrow(() -> LifecycleException.input("Cannot segment: customer_features has no customers", null));
      checkGrid(config, rawMoments.count());
      if (rawMoments.allEqual()) {
        throw new TooFewCustomers(rawMoments.count());
      }
      double[] mean = rawMoments.mean();
      double[] sd = rawMoments.standardDeviation();
      scaler = scaler(mean, sd);
      customers = raw.map(block -> block.standardized(mean, sd)).persist(StorageLevel.MEMORY_AND_DISK());
      moments = PointBlocks.moments(customers.map(CustomerBlock::points)).orElseThrow();
    } finally {
      raw.unpersist(false);
    }
    JavaRDD<PointBlock> scaled = customers.map(CustomerBlock::points);
    // The SOM's passes run on the executors while the driver chooses k on the sample; then they
    // carry k-means's passes too.
    ExecutorService background = Futures.daemons("segment-som", 1);
    SelfOrganizingMap somEstimator = som(config).setFeaturesCol(FEATURES).setPredictionCol(Columns.SOM_NODE);
    FeatureMoments scaledMoments = moments;
    SharedPasses passes = new SharedPasses(scaled);
    Future<SelfOrganizingMapModel> somFit = background.submit(() -> somEstimator.fit(scaledMoments, passes));
    JavaRDD<SegmentScorer.Scored> scored = null;
    try {
      double[][] points = sample(scaled, moments.count(), config);
      KChoice.Choice sampleChoice = KChoice.choose(points, KChoice.ones(points.length), config);
      double[][] sampleCenters = sampleChoice.fit().centers();
      int k = sampleCenters.length;
      long started = System.nanoTime();
      passes.start(sampleCenters);
      SelfOrganizingMapModel som = Futures.join(somFit, "fitting the SOM");
      KMeansModel kmeans = kmeansModel(passes.finish());
      SegmentMetrics.KMeans kmeansMetrics =
          new SegmentMetrics.KMeans(
              k, sampleChoice.silhouette(), passes.iterations(), passes.cost(), (System.nanoTime() - started) / 1e9);
      KChoice.Choice prototypes = KChoice.prototypes(som, config);
      int[] nodeClusters = KChoice.nodeClusters(som.codebook(), prototypes.fit().centers());
      SomGrid grid = som.codebook().grid();
      SegmentMetrics metrics =
          SegmentMetrics.fitted(
              grid.topology().name().toLowerCase(Locale.ROOT),
              config.features().stream().map(SegmentConfig.Feature::label).toList(),
              kmeansMetrics,
              new SegmentMetrics.Som(
                  grid.rows() + "x" + grid.cols(), som.summary().iterations(), som.summary().quantizationError(),
                  som.summary().topographicError(), som.summary().seconds(), prototypes.fit().centers().length,
                  prototypes.silhouette()));

      // Every customer scored once, as the model's k-means and SOM stages assign them; from that,
      // the revenue and customers of each cluster and node order the segments.
      org.apache.spark.mllib.clustering.KMeansModel clusters = kmeans.parentModel();
      Codebook codebook = som.codebook();
      scored = customers.map(block -> SegmentScorer.score(clusters, codebook, block)).persist(StorageLevel.MEMORY_AND_DISK());
      SegmentOrder.Numbers numbers = SegmentOrder.byRevenue(scored, k, nodeClusters);
      customers.unpersist(false);
      SegmentNumbers label =
          SegmentNumbers.of(KMEANS_CLUSTER, Columns.SOM_NODE, numbers.kmeansSegment(), numbers.nodeSegment());
      Transformer[] stages = {prepare, assemble, scaler, kmeans, som, label};
      return new Fit(new PipelineModel(Identifiable$.MODULE$.randomUID("segments"), stages), metrics, scored);
    } catch (RuntimeException e) {
      // The SOM may still be reading the blocks: stop it at its next pass and let it end before
      // they go.
      passes.stop();
      try {
        somFit.get();
      } catch (Exception ignored) {
        // the original failure is the one to report
      }
      customers.unpersist(false);
      if (scored != null) {
        scored.unpersist(false);
      }
      throw e;
    } finally {
      background.shutdown();
    }
  }

  /** Spark's standard scaler with the given moments, as its estimator would fit it. */
  private static StandardScalerModel scaler(double[] mean, double[] sd) {
    StandardScalerModel scaler =
        new StandardScalerModel(Identifiable$.MODULE$.randomUID("stdScal"), Vectors.dense(sd), Vectors.dense(mean));
    scaler.set(scaler.withMean(), true);
    scaler.set(scaler.withStd(), true);
    return scaler.setInputCol(RAW).setOutputCol(FEATURES);
  }

  /**
   * About {@code sampleSize} customers, picked by a seeded hash of their id and put in the order
   * of those hashes: the same customers in the same order whatever the partitioning.
   */
  private static double[][] sample(JavaRDD<PointBlock> scaled, long count, SegmentConfig config) {
    double fraction = count > config.sampleSize() ? (double) config.sampleSize() / count : 1;
    long seed = config.seed();
    List<Picked> picked =
        new ArrayList<>(
            scaled
                .flatMap(
                    block -> {
                      List<Picked> out = new ArrayList<>();
                      for (int i = 0; i < block.size(); i++) {
                        long hash = mix(block.keys()[i] ^ seed);
                        if ((hash >>> 11) * 0x1.0p-53 < fraction) {
                          out.add(new Picked(hash, block.point(i)));
                        }
                      }
                      return out.iterator();
                    })
                .collect());
    picked.sort(Comparator.comparingLong(Picked::hash).thenComparing(Picked::point, Arrays::compare));
    return picked.stream().map(Picked::point).toArray(double[][]::new);
  }

  private record Picked(long hash, double[] point) implements Serializable {}

  /** SplittableRandom's finalizer: spreads a key's bits over the whole long. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The centers as MLlib's k-means model, which saves, loads and assigns as usual. */
  private static KMeansModel kmeansModel(double[][] centers) {
    org.apache.spark.mllib.clustering.KMeansModel fitted =
        new org.apache.spark.mllib.clustering.KMeansModel(
            Arrays.stream(centers)
                .map(org.apache.spark.mllib.linalg.Vectors::dense)
                .toArray(org.apache.spark.mllib.linalg.Vector[]::new));
    KMeansModel model = new KMeansModel(Identifiable$.MODULE$.randomUID("kmeans"), fitted);
    model.set(model.k(), centers.length);
    return model.setFeaturesCol(FEATURES).setPredictionCol(KMEANS_CLUSTER);
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
}
