package dev.lifecycle.jobs.segment;

import dev.lifecycle.spark.table.Tables;
import dev.lifecycle.core.cluster.AdjustedRand;
import dev.lifecycle.core.config.TuneConfig;
import dev.lifecycle.jobs.report.ReportJob;
import dev.lifecycle.jobs.run.RunContext;
import dev.lifecycle.jobs.score.ScoreJob;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple3;

/**
 * {@code tune}: fits the segmentation of every run of the sweep ({@code tune.*}) once per seed on
 * the snapshot's customer_features, and writes {@code tuning_runs}, one row per run: its
 * parameters, the mean silhouette of both methods at their chosen k, the SOM's mean QE and TE, the
 * stability across seeds (mean adjusted Rand index between the seeds' segments of the same
 * customers), and its time; then the comparison page. Nothing else is written: tuning does not
 * replace the snapshot's segments.
 */
public final class SegmentTuning {
  public static final String STAGE = "tune";
  /** Customers, picked by a hash of their id, whose segments are compared across seeds. */
  private static final int STABILITY_SAMPLE = 20_000;

  static final StructType TUNING_RUNS =
      new StructType()
          .add("run", DataTypes.IntegerType, false)
          .add("k", DataTypes.StringType, false)
          .add("som_grid", DataTypes.StringType, false)
          .add("features", DataTypes.StringType, false)
          .add("seeds", DataTypes.StringType, false)
          .add("kmeans_k", DataTypes.StringType, false)
          .add("kmeans_silhouette", DataTypes.DoubleType, true)
          .add("som_grid_used", DataTypes.StringType, false)
          .add("som_k", DataTypes.StringType, false)
          .add("som_silhouette", DataTypes.DoubleType, true)
          .add("som_quantization_error", DataTypes.DoubleType, false)
          .add("som_topographic_error", DataTypes.DoubleType, false)
          .add("kmeans_stability", DataTypes.DoubleType, true)
          .add("som_stability", DataTypes.DoubleType, true)
          .add("seconds", DataTypes.DoubleType, false);

  private SegmentTuning() {}

  /** Runs the sweep; returns the number of runs. The comparison page's URI goes to the context. */
  public static long run(RunContext context) {
    return context.stage(STAGE, "tuning runs", () -> tune(context));
  }

  private static long tune(RunContext context) {
    TuneConfig tune = context.config().tune();
    LocalDate snapshot = ScoreJob.snapshot(context);
    Dataset<Row> features = context.warehouse().readPartition(Tables.CUSTOMER_FEATURES, snapshot).cache();
    try {
      long customers = features.count();
      double fraction = Math.min(1, (double) STABILITY_SAMPLE / Math.max(customers, 1));
      List<Row> rows = new ArrayList<>();
      int index = 0;
      for (TuneConfig.Run run : tune.runs()) {
        index++;
        List<Seeded> fits = new ArrayList<>();
        long started = System.nanoTime();
        for (long seed : tune.seeds()) {
          fits.add(fit(features, run, seed, fraction, context));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        rows.add(
            RowFactory.create(
                index, run.k(), run.grid(), run.features(), join(tune.seeds()), join(fits.stream().map(Seeded::kmeansK).toList()),
                mean(fits.stream().map(Seeded::kmeansSilhouette).toList()), fits.get(0).grid(),
                join(fits.stream().map(Seeded::somK).toList()), mean(fits.stream().map(Seeded::somSilhouette).toList()),
                mean(fits.stream().map(Seeded::quantizationError).toList()),
                mean(fits.stream().map(Seeded::topographicError).toList()), stability(fits, true), stability(fits, false),
                seconds));
      }
      context.writeTable(Tables.TUNING_RUNS, TUNING_RUNS, rows, snapshot);
      ReportJob.tuningPage(context, snapshot, rows, TUNING_RUNS);
      return rows.size();
    } finally {
      features.unpersist();
    }
  }

  /** One seed's fit: its metrics and, per sampled customer, its k-means cluster and SOM segment. */
  private record Seeded(
      String kmeansK, Double kmeansSilhouette, String grid, String somK, Double somSilhouette, double quantizationError,
      double topographicError, Map<String, int[]> segments) {}

  private static Seeded fit(Dataset<Row> features, TuneConfig.Run run, long seed, double fraction, RunContext context) {
    SegmentModels.Fit fit = SegmentModels.fit(features, run.segment().withSeed(seed));
    try {
      Map<String, Object> metrics = fit.metrics();
      int[] nodeSegment = SegmentScorer.of(fit.model(), features.sparkSession()).nodeSegment();
      long threshold = (long) Math.floor(fraction * 1_000_000);
      JavaRDD<Tuple3<String, Integer, Integer>> picked =
          fit.scored()
              .flatMap(
                  block -> {
                    List<Tuple3<String, Integer, Integer>> out = new ArrayList<>();
                    long[] keys = block.customers().points().keys();
                    for (int i = 0; i < keys.length; i++) {
                      if (Long.remainderUnsigned(keys[i], 1_000_000) < threshold) {
                        out.add(new Tuple3<>(block.customers().ids()[i], block.clusters()[i], nodeSegment[block.nodes()[i]]));
                      }
                    }
                    return out.iterator();
                  });
      Map<String, int[]> segments = new HashMap<>();
      for (Tuple3<String, Integer, Integer> customer : picked.collect()) {
        segments.put(customer._1(), new int[] {customer._2(), customer._3()});
      }
      return new Seeded(
          String.valueOf(metrics.get("kmeans_k")), silhouette(metrics, "kmeans"), String.valueOf(metrics.get("som_grid")),
          String.valueOf(metrics.get("som_k")), silhouette(metrics, "som"), ((Number) metrics.get("som_quantization_error")).doubleValue(),
          ((Number) metrics.get("som_topographic_error")).doubleValue(), segments);
    } finally {
      fit.scored().unpersist(false);
    }
  }

  /** The silhouette at the chosen k, or null when k was fixed (no curve). */
  @SuppressWarnings("unchecked")
  private static Double silhouette(Map<String, Object> metrics, String method) {
    Object curve = metrics.get(method + "_silhouette");
    Object k = metrics.get(method + "_k");
    return curve instanceof Map<?, ?> map ? (Double) ((Map<String, Object>) map).get(String.valueOf(k)) : null;
  }

  /**
   * The mean adjusted Rand index over every pair of seeds; null with one seed, or when a pair's
   * index is undefined (both put every customer in one segment).
   */
  private static Double stability(List<Seeded> fits, boolean kmeans) {
    int method = kmeans ? 0 : 1;
    double total = 0;
    int pairs = 0;
    for (int a = 0; a < fits.size(); a++) {
      for (int b = a + 1; b < fits.size(); b++) {
        // The contingency table of the two seeds' segments over the customers both sampled.
        Map<List<Integer>, Long> cells = new HashMap<>();
        Map<String, int[]> other = fits.get(b).segments();
        fits.get(a).segments().forEach((id, segment) -> {
          int[] theirs = other.get(id);
          if (theirs != null) {
            cells.merge(List.of(segment[method], theirs[method]), 1L, Long::sum);
          }
        });
        AdjustedRand index = new AdjustedRand();
        cells.forEach((cell, count) -> index.add(cell.get(0), cell.get(1), count));
        if (Double.isNaN(index.index())) {
          return null;
        }
        total += index.index();
        pairs++;
      }
    }
    return pairs == 0 ? null : total / pairs;
  }

  private static Double mean(List<Double> values) {
    return values.contains(null) ? null : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static String join(List<?> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
