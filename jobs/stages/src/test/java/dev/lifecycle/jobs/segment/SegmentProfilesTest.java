package dev.lifecycle.jobs.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.cluster.PointBlock;
import dev.lifecycle.spark.table.SegmentProfilesTable.Profile;
import dev.lifecycle.spark.test.TestSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * segment_profiles from scored customers: sizes, revenue shares, means and exact lower medians
 * worked by hand; medians equal to sorting on thousands of customers with continuous, negative and
 * heavily repeated values; and the same rows however the customers are split into blocks and
 * partitions.
 */
class SegmentProfilesTest {
  private final JavaSparkContext context = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());

  @Test
  void profilesByHand() {
    // k-means segment 1: R 1, 2, 3, 10; F 1, 1, 2, 5; M 10, 20, 30, 1000. Segment 2: R 5, F 3, M -5.
    // The SOM puts the first two in segment 2 and the rest in segment 1.
    double[] recency = {1, 2, 3, 10, 5};
    double[] frequency = {1, 1, 2, 5, 3};
    double[] monetary = {10, 20, 30, 1000, -5};
    // Cluster 1 is segment 1 and cluster 0 segment 2; nodes 0 and 1 are segment 1, 2 and 3 segment 2.
    int[] clusters = {1, 1, 1, 1, 0};
    int[] nodes = {3, 3, 0, 1, 1};
    int[] kmeansSegment = {2, 1};
    int[] nodeSegment = {1, 1, 2, 2};
    List<Profile> rows =
        SegmentProfiles.of(scored(1, recency, frequency, monetary, clusters, nodes), kmeansSegment, nodeSegment).profiles();
    assertThat(rows).hasSize(4);
    Profile first = rows.get(0);
    assertThat(first.method()).isEqualTo("kmeans");
    assertThat(first.segment()).isEqualTo(1);
    assertThat(first.customers()).isEqualTo(4);
    assertThat(first.revenueShare()).isCloseTo(1060.0 / 1055.0, within(1e-12));
    assertThat(first.meanRecencyDays()).isEqualTo(4); // mean recency
    assertThat(first.medianRecencyDays()).isEqualTo(2); // lower median of 1, 2, 3, 10
    assertThat(first.meanFrequency()).isEqualTo(2.25);
    assertThat(first.medianFrequency()).isEqualTo(1);
    assertThat(first.meanMonetary()).isEqualTo(265);
    assertThat(first.medianMonetary()).isEqualTo(20);
    Profile second = rows.get(1);
    assertThat(second.customers()).isEqualTo(1);
    assertThat(second.medianMonetary()).isEqualTo(-5);
    assertThat(second.revenueShare()).isCloseTo(-5.0 / 1055.0, within(1e-12));
    Profile somFirst = rows.get(2);
    assertThat(somFirst.method()).isEqualTo("som");
    assertThat(somFirst.customers()).isEqualTo(3);
    assertThat(somFirst.medianRecencyDays()).isEqualTo(5); // lower median of 3, 10, 5
    assertThat(somFirst.medianMonetary()).isEqualTo(30); // of 30, 1000, -5
    assertThat(
            SegmentProfiles.of(scored(1, recency, frequency, monetary, clusters, nodes), kmeansSegment, nodeSegment)
                .hits())
        .containsExactly(1, 2, 0, 2);
  }

  @Test
  void mediansAreExactAndTheSplitDoesNotMatter() {
    Random random = new Random(5);
    int n = 6_000;
    double[] recency = new double[n];
    double[] frequency = new double[n];
    double[] monetary = new double[n];
    int[] clusters = new int[n];
    int[] nodes = new int[n];
    int[] kmeansSegment = {3, 1, 2};
    int[] nodeSegment = {1, 1, 2, 2, 3, 3};
    int[] kmeans = new int[n];
    int[] som = new int[n];
    for (int i = 0; i < n; i++) {
      recency[i] = random.nextInt(400);
      frequency[i] = 1 + (random.nextInt(10) < 7 ? 0 : random.nextInt(30)); // mostly 1
      monetary[i] = Math.exp(random.nextGaussian() * 2 + 4) * (random.nextInt(50) == 0 ? -1 : 1);
      clusters[i] = random.nextInt(3);
      nodes[i] = random.nextInt(6);
      kmeans[i] = kmeansSegment[clusters[i]];
      som[i] = nodeSegment[nodes[i]];
    }
    List<Profile> oneBlock =
        SegmentProfiles.of(scored(1, recency, frequency, monetary, clusters, nodes), kmeansSegment, nodeSegment).profiles();
    List<Profile> manyBlocks =
        SegmentProfiles.of(scored(7, recency, frequency, monetary, clusters, nodes), kmeansSegment, nodeSegment).profiles();
    assertThat(manyBlocks).isEqualTo(oneBlock);
    for (Profile row : oneBlock) {
      int[] segment = row.method().equals("kmeans") ? kmeans : som;
      assertThat(row.medianRecencyDays()).isEqualTo(lowerMedian(recency, segment, row.segment()));
      assertThat(row.medianFrequency()).isEqualTo(lowerMedian(frequency, segment, row.segment()));
      assertThat(row.medianMonetary()).isEqualTo(lowerMedian(monetary, segment, row.segment()));
    }
  }

  private static double lowerMedian(double[] values, int[] segment, int s) {
    double[] in = new double[values.length];
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (segment[i] == s) {
        in[n++] = values[i];
      }
    }
    double[] sorted = Arrays.copyOf(in, n);
    Arrays.sort(sorted);
    return sorted[(n + 1) / 2 - 1];
  }

  /** The customers in {@code parts} blocks, one partition each. */
  private JavaRDD<SegmentScorer.Scored> scored(
      int parts, double[] recency, double[] frequency, double[] monetary, int[] clusters, int[] nodes) {
    int n = recency.length;
    List<SegmentScorer.Scored> blocks = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      int from = p * n / parts;
      int to = (p + 1) * n / parts;
      int size = to - from;
      String[] ids = new String[size];
      for (int i = 0; i < size; i++) {
        ids[i] = "c" + (from + i);
      }
      PointBlock points =
          new PointBlock(1, new double[size], Arrays.copyOfRange(monetary, from, to), new long[size]);
      CustomerBlock customers =
          new CustomerBlock(
              ids, points, Arrays.copyOfRange(recency, from, to), Arrays.copyOfRange(frequency, from, to),
              CustomerBlock.Btyd.of(size));
      blocks.add(
          new SegmentScorer.Scored(
              customers, Arrays.copyOfRange(clusters, from, to), Arrays.copyOfRange(nodes, from, to)));
    }
    return context.parallelize(blocks, parts);
  }
}
