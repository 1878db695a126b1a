package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.cluster.ExactSum;
import dev.lifecycle.core.clv.CustomerValue;
import dev.lifecycle.core.config.SegmentConfig;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.core.som.SomGrid;
import dev.lifecycle.core.config.ConfigKey;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.ml.ModelFolder;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.ClvDrawTotals;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.CustomerSegmentsTable;
import dev.lifecycle.spark.table.SegmentLineageTable;
import dev.lifecycle.spark.table.SegmentMetrics;
import dev.lifecycle.spark.table.SegmentProfilesTable;
import dev.lifecycle.spark.table.SomCodebookTable;
import dev.lifecycle.spark.table.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segment}: fits the segmentation on the snapshot's customer_features (or loads a saved
 * one with {@code segment.model-in}), keeps the previous snapshot's segment ids ({@code
 * segment.stable-ids}, {@link SegmentLineage}), optionally saves it ({@code segment.model-out}),
 * and writes customer_segments, segment_profiles, som_codebook and segment_lineage. The customers are packed once into cached
 * blocks ({@link CustomerBlock}) that every pass reads. Every sum of the fit and the profiles is
 * exact and the sample is picked by a hash of the customer id, so the same seed gives the same
 * tables whatever the partitioning and the cluster.
 */
public final class SegmentJob {
  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  /** The customers segmented, how (the manifest's segment metrics), and the tables written. */
  public record Result(long customers, SegmentMetrics metrics, List<Table.Written> tables)
      implements StageResult.OfCustomers {}

  private static final String MODEL = "segment model";

  private SegmentJob() {}

  /**
   * Fails with exit 2 if {@code segment.model-out} names a folder that saving would wrongly wipe
   * (see {@link ModelFolder}). The run calls it before any stage, so nothing is read or written.
   */
  public static void checkModelOut(StageContext context) {
    context
        .config()
        .segment()
        .modelOut()
        .ifPresent(
            uri ->
                ModelFolder.checkReplaceable(
                    ConfigKey.SEGMENT_MODEL_OUT, uri, context.warehouse().uri(), context.spark().sparkContext().hadoopConfiguration()));
  }

  public static Result run(StageContext context, LocalDate snapshot) {
    return run(context, snapshot, () -> {});
  }

  /**
   * The stage, beside a clv stage of the same snapshot that may still be running: {@code
   * clvWritten} returns once that stage has written clv_models (and throws if it failed). The
   * segments are fitted and written before; only their CLV totals wait for it.
   */
  public static Result run(StageContext context, LocalDate snapshot, Runnable clvWritten) {
    SegmentConfig config = context.config().segment();
    // A saved model that cannot be read fails the run before any data is read.
    Optional<PipelineModel> saved = config.modelIn().map(uri -> ModelFolder.load(uri, MODEL));
    Warehouse warehouse = context.warehouse();
    Dataset<Row> features = CustomerFeaturesTable.SPEC.read(warehouse, snapshot);
    SparkSession spark = features.sparkSession();
    PipelineModel model;
    SegmentScorer scorer;
    SegmentMetrics metrics;
    JavaRDD<SegmentScorer.Scored> scored;
    List<Row> lineage = List.of();
    if (saved.isPresent()) {
      model = saved.get();
      scorer = SegmentScorer.of(model);
      metrics = SegmentMetrics.loaded(config.modelIn().get(), topology(scorer), featureLabels(scorer));
      SegmentScorer assign = scorer;
      scored =
          CustomerBlock.raw(features, scorer.prepare(), scorer.assemble())
              .map(block -> assign.score(block.standardized(assign.mean(), assign.sd())))
              .persist(StorageLevel.MEMORY_AND_DISK());
    } else {
      SegmentModels.Fit fit;
      try {
        fit = SegmentModels.fit(features, config);
      } catch (SegmentModels.TooFewCustomers e) {
        return skipped(warehouse, spark, snapshot, config, e.getMessage());
      }
      metrics = fit.metrics();
      Optional<SegmentLineage.Matched> matched =
          config.stableIds()
              ? SegmentLineage.match(warehouse, fit.model(), features, snapshot, config.stableIdsMaxDistance())
              : Optional.empty();
      model = matched.map(SegmentLineage.Matched::model).orElse(fit.model());
      lineage = matched.map(SegmentLineage.Matched::lineage).orElse(List.of());
      scored = fit.scored();
      scorer = SegmentScorer.of(model);
    }
    try {
      config.modelOut().ifPresent(uri -> ModelFolder.save(model, uri, MODEL));
      SegmentProfiles.Result profiles =
          SegmentProfiles.of(scored, scorer.kmeansSegment(), scorer.nodeSegment());
      long count = Arrays.stream(profiles.hits()).sum();
      Table.Written segments =
          CustomerSegmentsTable.SPEC.replace(warehouse, segments(spark, scored, scorer), snapshot, () -> count);
      List<Table.Written> written =
          List.of(
              segments,
              SegmentProfilesTable.write(
                  warehouse, withClvTotals(context, scored, scorer, profiles.profiles(), snapshot, clvWritten), snapshot),
              SomCodebookTable.write(warehouse, codebook(scorer, profiles.hits(), metrics), snapshot),
              SegmentLineageTable.SPEC.replace(warehouse, lineage, snapshot));
      return new Result(count, metrics, written);
    } finally {
      scored.unpersist(false);
    }
  }

  /**
   * The profiles with each segment's CLV total and its interval, from the snapshot's {@code
   * clv_models}, once {@code clvWritten} returns; as they are when the clv stage has not run for
   * the snapshot. One pass over the scored blocks, which hold each customer's segments and BTYD
   * summary: the tables just written are not read back and joined.
   */
  private static List<SegmentProfilesTable.Profile> withClvTotals(
      StageContext context,
      JavaRDD<SegmentScorer.Scored> scored,
      SegmentScorer scorer,
      List<SegmentProfilesTable.Profile> profiles,
      LocalDate snapshot,
      Runnable clvWritten) {
    clvWritten.run();
    Optional<CustomerValue> found = ClvModelsTable.customerValue(context.warehouse(), context.config(), snapshot);
    if (found.isEmpty()) {
      return profiles;
    }
    CustomerValue value = found.get();
    int[] kmeansSegment = scorer.kmeansSegment();
    int[] nodeSegment = scorer.nodeSegment();
    List<List<Map<Integer, ExactSum[]>>> partitions =
        scored
            .mapPartitions(
                blocks -> {
                  ClvDrawTotals.Sums sums = new ClvDrawTotals.Sums(value, 2);
                  while (blocks.hasNext()) {
                    SegmentScorer.Scored block = blocks.next();
                    CustomerBlock.Btyd btyd = block.customers().btyd();
                    double[] monetary = block.customers().points().amounts();
                    for (int i = 0; i < block.customers().size(); i++) {
                      sums.customer(btyd.x()[i], btyd.tx()[i], btyd.bigT()[i], btyd.repeatValue()[i], monetary[i]);
                      sums.add(0, kmeansSegment[block.clusters()[i]]);
                      sums.add(1, nodeSegment[block.nodes()[i]]);
                    }
                  }
                  return List.of(sums.sums()).iterator();
                })
            .collect();
    List<Map<Integer, ClvModelsTable.Total>> totals = ClvDrawTotals.totals(partitions, 2, value.draws());
    List<SegmentProfilesTable.Profile> with = new ArrayList<>();
    for (SegmentProfilesTable.Profile profile : profiles) {
      int method = profile.method().equals(SegmentProfilesTable.KMEANS) ? 0 : 1;
      with.add(profile.withClvTotal(totals.get(method).get(profile.segment())));
    }
    return with;
  }

  /**
   * No segments: the snapshot's segment tables are emptied (so none of an earlier run survives),
   * nothing is saved to {@code --model-out}, and the manifest and report say why.
   */
  private static Result skipped(
      Warehouse warehouse, SparkSession spark, LocalDate snapshot, SegmentConfig config, String reason) {
    LOG.warn("segment skipped: {}", reason);
    List<Table.Written> written =
        List.of(
            CustomerSegmentsTable.SPEC.replace(
                warehouse, spark.createDataFrame(List.of(), CustomerSegmentsTable.SPEC.schema()), snapshot, () -> 0),
            SegmentProfilesTable.write(warehouse, List.of(), snapshot),
            SomCodebookTable.write(warehouse, List.of(), snapshot),
            SegmentLineageTable.SPEC.replace(warehouse, List.of(), snapshot));
    SegmentMetrics metrics =
        SegmentMetrics.skipped(
            reason,
            config.topology().name().toLowerCase(Locale.ROOT),
            config.features().stream().map(SegmentConfig.Feature::label).toList());
    return new Result(0, metrics, written);
  }

  private static String topology(SegmentScorer scorer) {
    return scorer.codebook().grid().topology().name().toLowerCase(Locale.ROOT);
  }

  private static List<String> featureLabels(SegmentScorer scorer) {
    return Arrays.stream(scorer.assemble().getInputCols())
        .map(column -> column.substring(SegmentModels.PREFIX.length()))
        .toList();
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
    return spark.createDataFrame(rows, CustomerSegmentsTable.SPEC.schema());
  }

  /**
   * The SOM's nodes with their weights (standardized features), the snapshot's hits, U-matrix
   * height and segment. The segment comes from the model's last stage, so nodes without customers
   * get theirs too.
   */
  private static List<SomCodebookTable.Node> codebook(SegmentScorer scorer, long[] hits, SegmentMetrics metrics) {
    Codebook codebook = scorer.codebook();
    SomGrid grid = codebook.grid();
    double[] heights = codebook.uMatrix();
    List<SomCodebookTable.Node> nodes = new ArrayList<>();
    for (int node = 0; node < grid.nodes(); node++) {
      nodes.add(
          new SomCodebookTable.Node(
              node, grid.row(node), grid.col(node), codebook.node(node), hits[node], heights[node],
              scorer.nodeSegment()[node], metrics.somTopology(), metrics.features()));
    }
    return nodes;
  }
}
