package dev.lifecycle.jobs.segment;

import dev.lifecycle.spark.ml.PointBlocks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.cluster.PointBlock;
import dev.lifecycle.core.som.BatchSom;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.core.som.FeatureMoments;
import dev.lifecycle.core.som.Neighbourhood;
import dev.lifecycle.core.som.SomGrid;
import dev.lifecycle.spark.test.TestSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * k-means riding on the SOM's passes: the same centers, passes and cost whether it starts before
 * the SOM's first pass, part way through, or after the SOM has ended (every Lloyd pass alone); and
 * the SOM trains exactly as it does on its own.
 */
class SharedPassesTest {
  private final JavaSparkContext context = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());

  @Test
  void kMeansAndTheSomAreTheSameWhicheverPassesCarryKMeans() {
    Random random = new Random(23);
    double[][] blobs = {{0, 0}, {3, 1}, {1, 4}};
    int n = 3_000;
    double[][] points = new double[n][];
    List<PointBlock> blocks = new ArrayList<>();
    PointBlock.Builder builder = new PointBlock.Builder(2);
    for (int i = 0; i < n; i++) {
      double[] blob = blobs[i % 3];
      points[i] = new double[] {blob[0] + random.nextGaussian(), blob[1] + random.nextGaussian()};
      builder.add(points[i], 0, i);
      if (i % 1_000 == 999) {
        builder.build().forEachRemaining(blocks::add);
        builder = new PointBlock.Builder(2);
      }
    }
    JavaRDD<PointBlock> rdd = context.parallelize(blocks, 3).cache();
    FeatureMoments moments = PointBlocks.moments(rdd).orElseThrow();
    SomGrid grid = new SomGrid(4, 5, SomGrid.Topology.RECTANGULAR);
    Codebook initial = BatchSom.pcaInit(grid, moments.mean(), moments.covariance());
    BatchSom.Schedule schedule = BatchSom.Schedule.standard(grid, Neighbourhood.GAUSSIAN, 8);
    // A poor start, so k-means takes several passes to settle.
    double[][] start = {{-1, -1}, {-0.5, -1}, {0, -1}};

    Run before = run(rdd, initial, schedule, start, 0);
    Run partWay = run(rdd, initial, schedule, start, 4);
    Run after = run(rdd, initial, schedule, start, Integer.MAX_VALUE);

    assertThat(before.iterations).isGreaterThan(3).isLessThan(SharedPasses.MAX_ITERATIONS);
    for (Run other : List.of(partWay, after)) {
      assertThat(other.iterations).isEqualTo(before.iterations);
      assertThat(other.cost).isEqualTo(before.cost);
      for (int c = 0; c < start.length; c++) {
        assertThat(other.centers[c]).containsExactly(before.centers[c]);
      }
    }
    BatchSom.Result alone = BatchSom.train(initial, schedule, BatchSom.inMemory(points));
    for (Run run : List.of(before, partWay, after)) {
      assertThat(run.som.codebook().weights()).containsExactly(alone.codebook().weights());
      assertThat(run.som.finalPass().hits()).containsExactly(alone.finalPass().hits());
      assertThat(run.som.finalPass().topographicError()).isEqualTo(alone.finalPass().topographicError());
    }
    // The centers are those of the blobs, each found by one center.
    for (double[] blob : blobs) {
      double nearest =
          Arrays.stream(before.centers).mapToDouble(c -> Math.hypot(c[0] - blob[0], c[1] - blob[1])).min().orElseThrow();
      assertThat(nearest).isLessThan(0.2);
    }
  }

  private record Run(BatchSom.Result som, double[][] centers, int iterations, double cost) {}

  /** The SOM trained on shared passes, k-means started before pass {@code startAt} (0-based). */
  private static Run run(
      JavaRDD<PointBlock> blocks, Codebook initial, BatchSom.Schedule schedule, double[][] start, int startAt) {
    SharedPasses passes = new SharedPasses(blocks);
    int[] calls = {0};
    BatchSom.Result som =
        BatchSom.train(
            initial,
            schedule,
            (codebook, topographic) -> {
              if (calls[0]++ == startAt) {
                passes.start(start);
              }
              return passes.apply(codebook, topographic);
            });
    if (calls[0] <= startAt) {
      passes.start(start);
    }
    double[][] centers = passes.finish();
    return new Run(som, centers, passes.iterations(), passes.cost());
  }
}
