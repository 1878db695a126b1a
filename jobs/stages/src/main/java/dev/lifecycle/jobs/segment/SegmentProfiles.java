package dev.lifecycle.jobs.segment;

import dev.lifecycle.core.cluster.ExactSum;
import dev.lifecycle.spark.table.SegmentProfilesTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;

/**
 * segment_profiles and the SOM's hits from packed customers and a model's scorer, in two passes
 * whose sums are exact, so the table is the same whatever the partitioning. Medians are exact
 * lower medians (the smallest value with at least half of the segment at or below it): the first
 * pass counts each measure in bins of asinh(value), the second counts the distinct values inside
 * the one bin that holds each median.
 */
final class SegmentProfiles {
  static final String[] METHODS = {SegmentProfilesTable.KMEANS, SegmentProfilesTable.SOM};
  /** recency_days, frequency, monetary_total. */
  private static final int MEASURES = 3;
  /** Bins per unit of asinh(value): about 1.6% of the value wide for large values. */
  private static final double BINS = 64;

  /** A value inside the bin that holds a median ({@link #key}: method, segment, measure, bin). */
  private record Candidate(long target, double value) implements Serializable {}

  /** The profiles and the customers of each SOM node. */
  record Result(List<SegmentProfilesTable.Profile> profiles, long[] hits) {}

  private SegmentProfiles() {}

  /**
   * From scored customers, with the segment (from 1) of each k-means cluster and of each SOM node.
   */
  static Result of(JavaRDD<SegmentScorer.Scored> scored, int[] kmeansSegment, int[] nodeSegment) {
    Segments lookup = new Segments(kmeansSegment, nodeSegment);
    int segments = lookup.max() + 1;
    Sums sums = scored.treeAggregate(new Sums(lookup), Sums::add, Sums::merge);
    // Per method, segment and measure: the median's bin and its rank within that bin (1-based).
    Map<Long, Long> rankInBin = new HashMap<>();
    for (int m = 0; m < 2; m++) {
      for (int s = 0; s < segments; s++) {
        long n = sums.customers[m][s];
        if (n == 0) {
          continue;
        }
        for (int measure = 0; measure < MEASURES; measure++) {
          long rank = (n + 1) / 2;
          TreeMap<Long, Long> counts = new TreeMap<>();
          long prefix = key(m, s, measure, 0) & ~0xffffffffL;
          for (Map.Entry<Long, long[]> e : sums.bins.entrySet()) {
            if ((e.getKey() & ~0xffffffffL) == prefix) {
              counts.put((long) (int) (long) e.getKey(), e.getValue()[0]);
            }
          }
          for (Map.Entry<Long, Long> bin : counts.entrySet()) {
            if (rank <= bin.getValue()) {
              rankInBin.put(key(m, s, measure, bin.getKey()), rank);
              break;
            }
            rank -= bin.getValue();
          }
        }
      }
    }
    Map<Long, Long> targets = Map.copyOf(rankInBin);
    HashMap<Candidate, long[]> values =
        scored.treeAggregate(
            new HashMap<>(),
            (found, block) -> medianCandidates(block, lookup, targets, found),
            (a, b) -> {
              b.forEach((key, count) -> a.computeIfAbsent(key, k -> new long[1])[0] += count[0]);
              return a;
            });
    return new Result(rows(sums, segments, targets, values), sums.hits.clone());
  }

  /** Counts, per target bin, each distinct value inside it. */
  private static HashMap<Candidate, long[]> medianCandidates(
      SegmentScorer.Scored block, Segments lookup, Map<Long, Long> targets, HashMap<Candidate, long[]> found) {
    for (int i = 0; i < block.customers().size(); i++) {
      for (int m = 0; m < 2; m++) {
        for (int measure = 0; measure < MEASURES; measure++) {
          double value = measure(block.customers(), i, measure);
          long key = key(m, lookup.of(block, m, i), measure, bin(value));
          if (targets.containsKey(key)) {
            found.computeIfAbsent(new Candidate(key, value), k -> new long[1])[0]++;
          }
        }
      }
    }
    return found;
  }

  private static List<SegmentProfilesTable.Profile> rows(
      Sums sums, int segments, Map<Long, Long> targets, HashMap<Candidate, long[]> values) {
    // Over all customers (the k-means segments hold each once): revenue, and the mean and
    // deviation of log1p R, F and M.
    long all = 0;
    double[] totals = new double[9];
    for (int s = 0; s < segments; s++) {
      all += sums.customers[0][s];
      for (int f = 0; f < 9; f++) {
        totals[f] += sums.sums[0][s][f].value();
      }
    }
    double revenue = totals[2];
    double[] mean = new double[3];
    double[] sd = new double[3];
    for (int measure = 0; measure < MEASURES; measure++) {
      mean[measure] = totals[3 + measure] / all;
      sd[measure] = Math.sqrt(Math.max(0, totals[6 + measure] / all - mean[measure] * mean[measure]));
    }
    List<SegmentProfilesTable.Profile> rows = new ArrayList<>();
    for (int m = 0; m < 2; m++) {
      List<SegmentProfilesTable.Profile> method = new ArrayList<>();
      List<double[]> zs = new ArrayList<>();
      for (int s = 0; s < segments; s++) {
        long n = sums.customers[m][s];
        if (n == 0) {
          continue;
        }
        double[] figures = new double[9];
        for (int f = 0; f < 9; f++) {
          figures[f] = sums.sums[m][s][f].value();
        }
        double[] medians = new double[MEASURES];
        for (int measure = 0; measure < MEASURES; measure++) {
          medians[measure] = median(m, s, measure, targets, values);
        }
        double[] z = {z(figures[3] / n, mean[0], sd[0]), z(figures[4] / n, mean[1], sd[1]), z(figures[5] / n, mean[2], sd[2])};
        zs.add(z);
        method.add(
            new SegmentProfilesTable.Profile(
                METHODS[m], s, n, revenue == 0 ? 0.0 : figures[2] / revenue, figures[0] / n, medians[0],
                figures[1] / n, medians[1], figures[2] / n, medians[2], SegmentLabels.label(z[0], z[1], z[2]), null));
      }
      List<String> labels = SegmentLabels.unique(method.stream().map(SegmentProfilesTable.Profile::label).toList(), zs);
      for (int i = 0; i < method.size(); i++) {
        SegmentProfilesTable.Profile p = method.get(i);
        rows.add(
            new SegmentProfilesTable.Profile(
                p.method(), p.segment(), p.customers(), p.revenueShare(), p.meanRecencyDays(), p.medianRecencyDays(),
                p.meanFrequency(), p.medianFrequency(), p.meanMonetary(), p.medianMonetary(), labels.get(i), null));
      }
    }
    return rows;
  }

  private static double median(int m, int s, int measure, Map<Long, Long> targets, HashMap<Candidate, long[]> values) {
    for (Map.Entry<Long, Long> target : targets.entrySet()) {
      long key = target.getKey();
      if ((key & ~0xffffffffL) != (key(m, s, measure, 0) & ~0xffffffffL)) {
        continue;
      }
      TreeMap<Double, Long> inBin = new TreeMap<>();
      values.forEach(
          (k, count) -> {
            if (k.target() == key) {
              inBin.merge(k.value(), count[0], Long::sum);
            }
          });
      long rank = target.getValue();
      for (Map.Entry<Double, Long> value : inBin.entrySet()) {
        if (rank <= value.getValue()) {
          return value.getKey();
        }
        rank -= value.getValue();
      }
    }
    throw new IllegalStateException("No median found for segment " + s + " of " + METHODS[m]);
  }

  private static double z(double mean, double overallMean, double sd) {
    return sd > 0 ? (mean - overallMean) / sd : 0;
  }

  /** The segment of each k-means cluster and each SOM node. */
  private record Segments(int[] kmeans, int[] nodes) implements Serializable {
    /** The segment of customer i of a block under method 0 (k-means) or 1 (SOM). */
    int of(SegmentScorer.Scored block, int method, int i) {
      return method == 0 ? kmeans[block.clusters()[i]] : nodes[block.nodes()[i]];
    }

    int max() {
      return Math.max(Arrays.stream(kmeans).max().orElse(0), Arrays.stream(nodes).max().orElse(0));
    }
  }

  private static double measure(CustomerBlock block, int i, int measure) {
    return switch (measure) {
      case 0 -> block.recency()[i];
      case 1 -> block.frequency()[i];
      default -> block.points().amounts()[i];
    };
  }

  /** Method (1 bit), segment (7 bits), measure (2 bits) and bin (32 bits) in one long. */
  private static long key(int method, int segment, int measure, long bin) {
    return ((long) ((method * 128 + segment) * 4 + measure) << 32) | (bin & 0xffffffffL);
  }

  private static long bin(double value) {
    return (long) Math.floor(asinh(value) * BINS);
  }

  private static double asinh(double x) {
    double a = Math.abs(x);
    double r = a > 1e8 ? Math.log(a) + Math.log(2) : Math.log(a + Math.sqrt(a * a + 1));
    return Math.copySign(r, x);
  }

  /** What the first pass sums, per method and segment, and per SOM node. */
  static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Per method, segment and figure: R, F, M; log1p of R, F, M; and their squares. */
    private final ExactSum[][][] sums;
    private final long[][] customers;
    private final long[] hits;
    /** Customers per {@link #key}: method, segment, measure and bin. */
    private final HashMap<Long, long[]> bins = new HashMap<>();

    private final Segments lookup;

    Sums(Segments lookup) {
      this.lookup = lookup;
      int segments = lookup.max() + 1;
      sums = new ExactSum[2][segments][9];
      for (ExactSum[][] method : sums) {
        for (ExactSum[] segment : method) {
          for (int f = 0; f < 9; f++) {
            segment[f] = new ExactSum();
          }
        }
      }
      customers = new long[2][segments];
      hits = new long[lookup.nodes().length];
    }

    Sums add(SegmentScorer.Scored block) {
      double[] values = new double[MEASURES];
      double[] logs = new double[MEASURES];
      long[] customerBins = new long[MEASURES];
      for (int i = 0; i < block.customers().size(); i++) {
        hits[block.nodes()[i]]++;
        for (int measure = 0; measure < MEASURES; measure++) {
          values[measure] = measure(block.customers(), i, measure);
          logs[measure] = Math.log1p(Math.max(values[measure], 0));
          customerBins[measure] = bin(values[measure]);
        }
        for (int m = 0; m < 2; m++) {
          int s = lookup.of(block, m, i);
          customers[m][s]++;
          ExactSum[] figures = sums[m][s];
          for (int measure = 0; measure < MEASURES; measure++) {
            figures[measure].add(values[measure]);
            figures[3 + measure].add(logs[measure]);
            figures[6 + measure].add(logs[measure] * logs[measure]);
            bins.computeIfAbsent(key(m, s, measure, customerBins[measure]), key -> new long[1])[0]++;
          }
        }
      }
      return this;
    }

    Sums merge(Sums other) {
      for (int m = 0; m < 2; m++) {
        for (int s = 0; s < customers[m].length; s++) {
          customers[m][s] += other.customers[m][s];
          for (int f = 0; f < 9; f++) {
            sums[m][s][f].add(other.sums[m][s][f]);
          }
        }
      }
      for (int node = 0; node < hits.length; node++) {
        hits[node] += other.hits[node];
      }
      other.bins.forEach((key, count) -> bins.computeIfAbsent(key, k -> new long[1])[0] += count[0]);
      return this;
    }
  }
}
