package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.cluster.AdjustedRand;
import dev.lifecycle.core.config.TuneConfig;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.SegmentMetrics;
import dev.lifecycle.spark.table.Table;
import dev.lifecycle.spark.table.TuningRunsTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple3;

/**
 * {@code tune}: fits the segmentation of every run of the sweep ({@code tune.*}) once per seed on
 * the snapshot's customer_features, and writes {@code tuning_runs}, one row per run: its
 * parameters, the mean silhouette of both methods at their chosen k, the SOM's mean QE and TE, the
 * stability across seeds (mean adjusted Rand index between the seeds' segments of the same
 * customers), and its time. Nothing else is written: tuning does not replace the snapshot's
 * segments.
 */
public final class SegmentTuning {
  /** Customers, picked by a hash of their id, whose segments are compared across seeds. */
  private static final int STABILITY_SAMPLE = 20_000;

  /** The runs of the sweep, and the table written. */
  public record Result(List<TuningRunsTable.Run> runs, Table.Written table) implements StageResult {
    @Override
    public long rows() {
      return runs.size();
    }

    @Override
    public String unit() {
      return "tuning runs";
    }

    @Override
    public List<Table.Written> tables() {
      return List.of(table);
    }
  }

  private SegmentTuning() {}

  public static Result run(StageContext context, LocalDate snapshot) {
    TuneConfig tune = context.config().tune();
    Dataset<Row> features = CustomerFeaturesTable.SPEC.read(context.warehouse(), snapshot).cache();
    try {
      long customers = features.count();
      double fraction = Math.min(1, (double) STABILITY_SAMPLE / Math.max(customers, 1));
      List<TuningRunsTable.Run> runs = new ArrayList<>();
      int index = 0;
      for (TuneConfig.Run run : tune.runs()) {
        index++;
        List<Seeded> fits = new ArrayList<>();
        long started = System.nanoTime();
        for (long seed : tune.seeds()) {
          fits.add(fit(features, run, seed, fraction));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        runs.add(
            new TuningRunsTable.Run(
                index, run.k(), run.grid(), run.features(), join(tune.seeds()), join(fits.stream().map(Seeded::kmeansK).toList()),
                mean(fits.stream().map(Seeded::kmeansSilhouette).toList()), fits.get(0).grid(),
                join(fits.stream().map(Seeded::somK).toList()), mean(fits.stream().map(Seeded::somSilhouette).toList()),
                mean(fits.stream().map(Seeded::quantizationError).toList()),
                mean(fits.stream().map(Seeded::topographicError).toList()), stability(fits, true), stability(fits, false),
                seconds));
      }
      return new Result(runs, TuningRunsTable.write(context.warehouse(), runs, snapshot));
    } finally {
      features.unpersist();
    }
  }

  /** One seed's fit: its metrics and, per sampled customer, its k-means cluster and SOM segment. */
  private record Seeded(
      int kmeansK, Double kmeansSilhouette, String grid, int somK, Double somSilhouette, double quantizationError,
      double topographicError, Map<String, int[]> segments) {}

  private static Seeded fit(Dataset<Row> features, TuneConfig.Run run, long seed, double fraction) {
    SegmentModels.Fit fit = SegmentModels.fit(features, run.segment().withSeed(seed));
    try {
      SegmentMetrics.KMeans kmeans = fit.metrics().kmeans();
      SegmentMetrics.Som som = fit.metrics().som();
      int[] nodeSegment = SegmentScorer.of(fit.model()).nodeSegment();
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
          kmeans.k(), atChosenK(kmeans.silhouette(), kmeans.k()), som.grid(), som.k(), atChosenK(som.silhouette(), som.k()),
          som.quantizationError(), som.topographicError(), segments);
    } finally {
      fit.scored().unpersist(false);
    }
  }

  /** The silhouette at the chosen k, or null when k was fixed (no curve). */
  private static Double atChosenK(SortedMap<Integer, Double> curve, int k) {
    return curve == null ? null : curve.get(k);
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
