package dev.lifecycle.jobs.segment;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.table.Tables;
import dev.lifecycle.core.config.SegmentConfig;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.core.som.SomGrid;
import dev.lifecycle.jobs.run.RunContext;
import dev.lifecycle.jobs.score.ScoreJob;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code segment}: fits the segmentation on the snapshot's customer_features (or loads a saved
 * one with {@code segment.model-in}), optionally saves it ({@code segment.model-out}), and writes
 * customer_segments, segment_profiles and som_codebook. The customers are packed once into cached
 * blocks ({@link CustomerBlock}) that every pass reads. Every sum of the fit and the profiles is
 * exact and the sample is picked by a hash of the customer id, so the same seed gives the same
 * tables whatever the partitioning and the cluster.
 */
public final class SegmentJob {
  public static final String STAGE = "segment";

  static final StructType PROFILES =
      new StructType()
          .add(Columns.METHOD, DataTypes.StringType, false)
          .add(Columns.SEGMENT, DataTypes.IntegerType, false)
          .add(Columns.CUSTOMERS, DataTypes.LongType, false)
          .add("revenue_share", DataTypes.DoubleType, false)
          .add("mean_recency_days", DataTypes.DoubleType, false)
          .add("median_recency_days", DataTypes.DoubleType, false)
          .add("mean_frequency", DataTypes.DoubleType, false)
          .add("median_frequency", DataTypes.DoubleType, false)
          .add("mean_monetary", DataTypes.DoubleType, false)
          .add("median_monetary", DataTypes.DoubleType, false)
          .add(Columns.LABEL, DataTypes.StringType, false);

  static final StructType SEGMENTS =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType, true)
          .add(Columns.KMEANS_SEGMENT, DataTypes.IntegerType, true)
          .add(Columns.SOM_NODE, DataTypes.IntegerType, true)
          .add(Columns.SOM_SEGMENT, DataTypes.IntegerType, true);

  static final StructType CODEBOOK =
      new StructType()
          .add("node", DataTypes.IntegerType, false)
          .add("row", DataTypes.IntegerType, false)
          .add("col", DataTypes.IntegerType, false)
          .add("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add("hits", DataTypes.LongType, false)
          .add("u_height", DataTypes.DoubleType, false)
          .add(Columns.SEGMENT, DataTypes.IntegerType, false);

  private SegmentJob() {}

  public static long run(RunContext context) {
    return context.stage(STAGE, "customers", () -> segment(context));
  }

  private static long segment(RunContext context) {
    SegmentConfig config = context.config().segment();
    LocalDate snapshot = ScoreJob.snapshot(context);
    // A saved model that cannot be read fails the run before any data is read.
    Optional<PipelineModel> saved = config.modelIn().map(SegmentJob::load);
    Dataset<Row> features = context.warehouse().readPartition(Tables.CUSTOMER_FEATURES, snapshot);
    SparkSession spark = features.sparkSession();
    PipelineModel model;
    SegmentScorer scorer;
    JavaRDD<SegmentScorer.Scored> scored;
    if (saved.isPresent()) {
      model = saved.get();
      context.metric("segment_model", "loaded from " + config.modelIn().get());
      scorer = SegmentScorer.of(model, spark);
      context.metric("som_topology", scorer.codebook().grid().topology().name().toLowerCase(Locale.ROOT));
      context.metric(
          "segment_features",
          Arrays.stream(scorer.assemble().getInputCols()).map(column -> column.substring(SegmentModels.PREFIX.length())).toList());
      SegmentScorer assign = scorer;
      scored =
          CustomerBlock.raw(features, scorer.prepare(), scorer.assemble())
              .map(block -> assign.score(block.standardized(assign.mean(), assign.sd())))
              .persist(StorageLevel.MEMORY_AND_DISK());
    } else {
      SegmentModels.Fit fit = SegmentModels.fit(features, config);
      fit.metrics().forEach(context::metric);
      model = fit.model();
      scored = fit.scored();
      scorer = SegmentScorer.of(model, spark);
    }
    try {
      config.modelOut().ifPresent(uri -> save(model, uri));
      SegmentProfiles.Result profiles =
          SegmentProfiles.of(scored, scorer.kmeansSegment(), scorer.nodeSegment());
      long count = Arrays.stream(profiles.hits()).sum();
      context.warehouse().replacePartition(Tables.CUSTOMER_SEGMENTS, segments(spark, scored, scorer), snapshot);
      context.table(Tables.CUSTOMER_SEGMENTS, context.warehouse().tablePath(Tables.CUSTOMER_SEGMENTS), count);
      context.writeTable(Tables.SEGMENT_PROFILES, PROFILES, profiles.rows(), snapshot);
      context.writeTable(Tables.SOM_CODEBOOK, CODEBOOK, codebook(scorer, profiles.hits()), snapshot);
      return count;
    } finally {
      scored.unpersist(false);
    }
  }

  /** customer_segments: each customer's k-means segment, SOM node and SOM segment. */
  private static Dataset<Row> segments(
      SparkSession spark, JavaRDD<SegmentScorer.Scored> scored, SegmentScorer scorer) {
    int[] kmeansSegment = scorer.kmeansSegment();
    int[] nodeSegment = scorer.nodeSegment();
    JavaRDD<Row> rows =
        scored.flatMap(
            block -> {
              List<Row> out = new ArrayList<>(block.customers().size());
              for (int i = 0; i < block.customers().size(); i++) {
                int node = block.nodes()[i];
                out.add(
                    RowFactory.create(
                        block.customers().ids()[i], kmeansSegment[block.clusters()[i]], node, nodeSegment[node]));
              }
              return out.iterator();
            });
    return spark.createDataFrame(rows, SEGMENTS);
  }

  private static PipelineModel load(String uri) {
    try {
      return PipelineModel.load(uri);
    } catch (Exception e) {
      throw LifecycleException.input("Cannot load the segment model at " + uri + ": " + e.getMessage(), e);
    }
  }

  private static void save(PipelineModel model, String uri) {
    try {
      model.write().overwrite().save(uri);
    } catch (IOException e) {
      throw LifecycleException.input("Cannot save the segment model to " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * The SOM's nodes with their weights (standardized features), the snapshot's hits, U-matrix
   * height and segment. The segment comes from the model's last stage, so nodes without customers
   * get theirs too.
   */
  private static List<Row> codebook(SegmentScorer scorer, long[] hits) {
    Codebook codebook = scorer.codebook();
    SomGrid grid = codebook.grid();
    double[] heights = codebook.uMatrix();
    List<Row> rows = new ArrayList<>();
    for (int node = 0; node < grid.nodes(); node++) {
      rows.add(
          RowFactory.create(
              node, grid.row(node), grid.col(node), codebook.node(node), hits[node], heights[node],
              scorer.nodeSegment()[node]));
    }
    return rows;
  }
}
