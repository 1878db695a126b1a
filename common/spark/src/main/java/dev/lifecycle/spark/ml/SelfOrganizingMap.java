package dev.lifecycle.spark.ml;

import dev.lifecycle.core.cluster.PointBlock;
import dev.lifecycle.core.som.BatchSom;
import dev.lifecycle.core.som.BatchStats;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.core.som.FeatureMoments;
import dev.lifecycle.core.som.Neighbourhood;
import dev.lifecycle.core.som.SomGrid;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A self-organizing map as a Spark ML Estimator: Kohonen's batch algorithm, distributed. Each
 * iteration broadcasts the codebook, sums per partition the points and counts of each
 * best-matching unit, tree-aggregates those sums, and applies the neighbourhood-weighted update on
 * the driver ({@link BatchSom}). The sums are exact (fixed point), so the map does not depend on
 * how the data is partitioned or merged.
 *
 * <p>Params ({@link SomParams}, shared with the model): featuresCol (a vector column of
 * standardized features), predictionCol (the BMU node), rows and cols (0: from the data, about 5
 * sqrt(N) nodes up to maxNodes), topology (rectangular | hexagonal), neighbourhood (gaussian |
 * bubble), maxIter, sigmaStart (0: half the longer side), sigmaEnd, initMode (pca | random) and
 * seed.
 */
public final class SelfOrganizingMap extends Estimator<SelfOrganizingMapModel>
    implements SomParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final SomParams.Definitions params;

  public SelfOrganizingMap() {
    this(Identifiable$.MODULE$.randomUID("som"));
  }

  public SelfOrganizingMap(String uid) {
    this.uid = uid;
    params = SomParams.Definitions.of(this);
    SomParams.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Param<String> featuresCol() {
    return params.featuresCol();
  }

  @Override
  public Param<String> predictionCol() {
    return params.predictionCol();
  }

  @Override
  public IntParam rows() {
    return params.rows();
  }

  @Override
  public IntParam cols() {
    return params.cols();
  }

  @Override
  public IntParam maxNodes() {
    return params.maxNodes();
  }

  @Override
  public Param<String> topology() {
    return params.topology();
  }

  @Override
  public Param<String> neighbourhood() {
    return params.neighbourhood();
  }

  @Override
  public IntParam maxIter() {
    return params.maxIter();
  }

  @Override
  public DoubleParam sigmaStart() {
    return params.sigmaStart();
  }

  @Override
  public DoubleParam sigmaEnd() {
    return params.sigmaEnd();
  }

  @Override
  public Param<String> initMode() {
    return params.initMode();
  }

  @Override
  public LongParam seed() {
    return params.seed();
  }

  public SelfOrganizingMap setFeaturesCol(String value) {
    return (SelfOrganizingMap) set(featuresCol(), value);
  }

  public SelfOrganizingMap setPredictionCol(String value) {
    return (SelfOrganizingMap) set(predictionCol(), value);
  }

  public SelfOrganizingMap setGrid(int rowCount, int colCount) {
    set(rows(), rowCount);
    return (SelfOrganizingMap) set(cols(), colCount);
  }

  public SelfOrganizingMap setMaxNodes(int value) {
    return (SelfOrganizingMap) set(maxNodes(), value);
  }

  public SelfOrganizingMap setTopology(String value) {
    return (SelfOrganizingMap) set(topology(), value);
  }

  public SelfOrganizingMap setNeighbourhood(String value) {
    return (SelfOrganizingMap) set(neighbourhood(), value);
  }

  public SelfOrganizingMap setMaxIter(int value) {
    return (SelfOrganizingMap) set(maxIter(), value);
  }

  public SelfOrganizingMap setSigma(double start, double end) {
    set(sigmaStart(), start);
    return (SelfOrganizingMap) set(sigmaEnd(), end);
  }

  public SelfOrganizingMap setInitMode(String value) {
    return (SelfOrganizingMap) set(initMode(), value);
  }

  public SelfOrganizingMap setSeed(long value) {
    return (SelfOrganizingMap) set(seed(), value);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return SomParams.appendPrediction(this, schema);
  }

  @Override
  public SelfOrganizingMapModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String column = getOrDefault(featuresCol());
    // Packed and cached whether or not the dataset is: a pass then reads doubles, not rows.
    JavaRDD<PointBlock> blocks =
        PointBlocks.of(dataset.select(column).toDF()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      FeatureMoments moments =
          PointBlocks.moments(blocks)
              .orElseThrow(() -> new IllegalArgumentException("Cannot fit a SOM: column " + column + " has no rows"));
      return fit(blocks, moments);
    } finally {
      blocks.unpersist(false);
    }
  }

  /**
   * Fits on points already packed, with their moments: what the segment stage calls with its own
   * cached blocks. The caller keeps the blocks cached.
   */
  public SelfOrganizingMapModel fit(JavaRDD<PointBlock> blocks, FeatureMoments moments) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
    return fit(moments, (codebook, topographic) -> pass(context, blocks, codebook, topographic));
  }

  /**
   * Fits with the given passes over points of these moments: the segment stage's, which carry its
   * k-means along ({@link SharedPasses}).
   */
  public SelfOrganizingMapModel fit(FeatureMoments moments, BatchSom.Pass pass) {
    long started = System.nanoTime();
    SomGrid grid = grid(moments.count());
    Codebook initial = initial(grid, moments);
    double start = (Double) getOrDefault(sigmaStart());
    int iterations = (Integer) getOrDefault(maxIter());
    BatchSom.Schedule schedule =
        start > 0
            ? new BatchSom.Schedule(neighbourhoodFunction(), iterations, start, (Double) getOrDefault(sigmaEnd()))
            : BatchSom.Schedule.standard(grid, neighbourhoodFunction(), iterations);
    BatchSom.Result result = BatchSom.train(initial, schedule, pass);
    SelfOrganizingMapModel model =
        new SelfOrganizingMapModel(
            uid, result.codebook(), SelfOrganizingMapModel.Summary.of(result, (System.nanoTime() - started) / 1e9));
    return copyValues(model.setParent(this), ParamMap.empty());
  }

  private static BatchStats pass(
      JavaSparkContext context, JavaRDD<PointBlock> blocks, Codebook codebook, boolean topographic) {
    Broadcast<Codebook> shared = context.broadcast(codebook);
    int nodes = codebook.grid().nodes();
    int dim = codebook.dim();
    try {
      return blocks.treeAggregate(
          new BatchStats(nodes, dim, topographic),
          (stats, block) -> stats.add(shared.value(), block),
          BatchStats::merge);
    } finally {
      shared.destroy();
    }
  }

  private SomGrid grid(long points) {
    SomGrid.Topology layout = SomGrid.Topology.valueOf(getOrDefault(topology()).toUpperCase(Locale.ROOT));
    int r = (Integer) getOrDefault(rows());
    int c = (Integer) getOrDefault(cols());
    if (r > 0 && c > 0) {
      return new SomGrid(r, c, layout);
    }
    if (r > 0 || c > 0) {
      throw new IllegalArgumentException(
          "Cannot size the SOM grid: rows and cols must both be set or both be 0, got " + r + " x " + c);
    }
    return SomGrid.forData(points, (Integer) getOrDefault(maxNodes()), 1, layout);
  }

  private Codebook initial(SomGrid grid, FeatureMoments moments) {
    if (getOrDefault(initMode()).equals("pca")) {
      return BatchSom.pcaInit(grid, moments.mean(), moments.covariance());
    }
    double[][] covariance = moments.covariance();
    double[] variance = new double[covariance.length];
    for (int f = 0; f < variance.length; f++) {
      variance[f] = covariance[f][f];
    }
    return BatchSom.randomInit(grid, moments.mean(), variance, (Long) getOrDefault(seed()));
  }

  private Neighbourhood neighbourhoodFunction() {
    return Neighbourhood.valueOf(getOrDefault(neighbourhood()).toUpperCase(Locale.ROOT));
  }

  @Override
  public SelfOrganizingMap copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<SelfOrganizingMap> read() {
    return new DefaultParamsReader<>();
  }

  public static SelfOrganizingMap load(String path) {
    return read().load(path);
  }
}
