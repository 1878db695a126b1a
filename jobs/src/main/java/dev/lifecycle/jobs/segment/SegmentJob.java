package dev.lifecycle.jobs.segment;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.LifecycleException;
import dev.lifecycle.common.Tables;
import dev.lifecycle.common.config.SegmentConfig;
import dev.lifecycle.common.som.Codebook;
import dev.lifecycle.common.som.SomGrid;
import dev.lifecycle.jobs.run.RunContext;
import dev.lifecycle.jobs.score.ScoreJob;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code segment}: fits the segmentation on the snapshot's customer_features (or loads a saved
 * one with {@code segment.model-in}), optionally saves it ({@code segment.model-out}), and writes
 * customer_segments, segment_profiles and som_codebook. The customers are hash-partitioned by id
 * into a count that depends only on how many there are, and sorted by id, so the same seed gives
 * the same segments whatever the cluster.
 */
public final class SegmentJob {
  public static final String STAGE = "segment";
  static final int CUSTOMERS_PER_PARTITION = 250_000;

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
    return context.stage(STAGE, () -> segment(context));
  }

  private static long segment(RunContext context) {
    SegmentConfig config = context.config().segment();
    LocalDate snapshot = ScoreJob.snapshot(context);
    // A saved model that cannot be read fails the run before any data is read.
    Optional<PipelineModel> saved = config.modelIn().map(SegmentJob::load);
    Dataset<Row> features = context.warehouse().readPartition(Tables.CUSTOMER_FEATURES, snapshot);
    long customers = features.count();
    int partitions = (int) Math.max(1, Math.min(2_000, (customers + CUSTOMERS_PER_PARTITION - 1) / CUSTOMERS_PER_PARTITION));
    // Only what a model (whichever features it was fitted on) and the profiles read is shuffled
    // and cached.
    Set<String> needed = new LinkedHashSet<>(List.of(Columns.CUSTOMER_ID, Columns.MONETARY_TOTAL));
    Arrays.stream(SegmentConfig.Feature.values()).forEach(feature -> needed.add(feature.column()));
    Dataset<Row> ordered =
        features.select(needed.stream().map(name -> col(name)).toArray(Column[]::new))
            .repartition(partitions, col(Columns.CUSTOMER_ID))
            .sortWithinPartitions(Columns.CUSTOMER_ID)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      PipelineModel model;
      if (saved.isPresent()) {
        model = saved.get();
        context.metric("segment_model", "loaded from " + config.modelIn().get());
      } else {
        SegmentModels.Fit fit = SegmentModels.fit(ordered, config, customers);
        fit.metrics().forEach(context::metric);
        model = fit.model();
      }
      config.modelOut().ifPresent(uri -> save(model, uri));
      Dataset<Row> segmented =
          model.transform(ordered)
              .select(
                  col(Columns.CUSTOMER_ID), col(Columns.KMEANS_SEGMENT), col(Columns.SOM_NODE),
                  col(Columns.SOM_SEGMENT), col(Columns.RECENCY_DAYS), col(Columns.FREQUENCY),
                  col(Columns.MONETARY_TOTAL))
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        context.warehouse()
            .replacePartition(
                Tables.CUSTOMER_SEGMENTS,
                segmented.select(
                    col(Columns.CUSTOMER_ID), col(Columns.KMEANS_SEGMENT), col(Columns.SOM_NODE),
                    col(Columns.SOM_SEGMENT)),
                snapshot);
        context.table(
            Tables.CUSTOMER_SEGMENTS, context.warehouse().tablePath(Tables.CUSTOMER_SEGMENTS), customers);
        Row overall = overall(segmented);
        List<Row> profiles = new ArrayList<>(profiles(segmented, overall, "kmeans", Columns.KMEANS_SEGMENT));
        profiles.addAll(profiles(segmented, overall, "som", Columns.SOM_SEGMENT));
        context.writeTable(Tables.SEGMENT_PROFILES, PROFILES, profiles, snapshot);
        context.writeTable(Tables.SOM_CODEBOOK, CODEBOOK, codebook(model, segmented), snapshot);
      } finally {
        segmented.unpersist();
      }
      return customers;
    } finally {
      ordered.unpersist();
    }
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
   * One profile per segment: size, revenue share, mean and median R, F and M, and a label from
   * how the segment's mean log1p R, F and M sit against all customers', in standard deviations
   * ({@code overall}, from {@link #overall}).
   */
  static List<Row> profiles(Dataset<Row> segmented, Row overall, String method, String segmentColumn) {
    Column r = logRecency();
    Column f = logFrequency();
    Column m = logMonetary();
    double revenue = overall.isNullAt(0) ? 0 : overall.getDouble(0);
    List<Row> rows = new ArrayList<>();
    for (Row s :
        segmented.groupBy(col(segmentColumn))
            .agg(
                count(lit(1)), sum(col(Columns.MONETARY_TOTAL)),
                avg(col(Columns.RECENCY_DAYS)), percentile_approx(col(Columns.RECENCY_DAYS).cast("double"), lit(0.5), lit(10_000)),
                avg(col(Columns.FREQUENCY)), percentile_approx(col(Columns.FREQUENCY).cast("double"), lit(0.5), lit(10_000)),
                avg(col(Columns.MONETARY_TOTAL)), percentile_approx(col(Columns.MONETARY_TOTAL), lit(0.5), lit(10_000)),
                avg(r), avg(f), avg(m))
            .orderBy(col(segmentColumn))
            .collectAsList()) {
      String label =
          SegmentLabels.label(
              z(s.getDouble(9), overall.getDouble(1), overall.getDouble(2)),
              z(s.getDouble(10), overall.getDouble(3), overall.getDouble(4)),
              z(s.getDouble(11), overall.getDouble(5), overall.getDouble(6)));
      rows.add(
          RowFactory.create(
              method, s.getInt(0), s.getLong(1), revenue == 0 ? 0.0 : s.getDouble(2) / revenue,
              s.getDouble(3), s.getDouble(4), s.getDouble(5), s.getDouble(6), s.getDouble(7),
              s.getDouble(8), label));
    }
    return rows;
  }

  /** Over all customers: revenue, and the mean and deviation of log1p R, F and M. */
  private static Row overall(Dataset<Row> segmented) {
    Column r = logRecency();
    Column f = logFrequency();
    Column m = logMonetary();
    return segmented.agg(
            sum(col(Columns.MONETARY_TOTAL)), avg(r), stddev_pop(r), avg(f), stddev_pop(f), avg(m),
            stddev_pop(m))
        .first();
  }

  private static Column logRecency() {
    return log1p(col(Columns.RECENCY_DAYS));
  }

  private static Column logFrequency() {
    return log1p(col(Columns.FREQUENCY));
  }

  private static Column logMonetary() {
    return log1p(greatest(col(Columns.MONETARY_TOTAL), lit(0.0)));
  }

  private static double z(double mean, double overallMean, double sd) {
    return sd > 0 ? (mean - overallMean) / sd : 0;
  }

  /**
   * The SOM's nodes with their weights (standardized features), the snapshot's hits, U-matrix
   * height and segment. The segment comes from the model's last stage, so nodes without customers
   * get theirs too.
   */
  private static List<Row> codebook(PipelineModel model, Dataset<Row> segmented) {
    Transformer[] stages = model.stages();
    SelfOrganizingMapModel som =
        (SelfOrganizingMapModel)
            Arrays.stream(stages)
                .filter(stage -> stage instanceof SelfOrganizingMapModel)
                .findFirst()
                .orElseThrow(() -> LifecycleException.input("Cannot find a SOM in the segment model", null));
    Codebook codebook = som.codebook();
    SomGrid grid = codebook.grid();
    long[] hits = new long[grid.nodes()];
    for (Row row : segmented.groupBy(Columns.SOM_NODE).count().collectAsList()) {
      hits[row.getInt(0)] = row.getLong(1);
    }
    List<Row> nodes = new ArrayList<>();
    for (int node = 0; node < grid.nodes(); node++) {
      nodes.add(RowFactory.create(node, 0));
    }
    StructType nodeSchema =
        new StructType()
            .add(Columns.SOM_NODE, DataTypes.IntegerType, false)
            .add(SegmentModels.KMEANS_CLUSTER, DataTypes.IntegerType, false);
    int[] segments = new int[grid.nodes()];
    for (Row row :
        stages[stages.length - 1]
            .transform(segmented.sparkSession().createDataFrame(nodes, nodeSchema))
            .select(Columns.SOM_NODE, Columns.SOM_SEGMENT)
            .collectAsList()) {
      segments[row.getInt(0)] = row.getInt(1);
    }
    double[] heights = codebook.uMatrix();
    List<Row> rows = new ArrayList<>();
    for (int node = 0; node < grid.nodes(); node++) {
      rows.add(
          RowFactory.create(
              node, grid.row(node), grid.col(node), codebook.node(node), hits[node], heights[node],
              segments[node]));
    }
    return rows;
  }
}
