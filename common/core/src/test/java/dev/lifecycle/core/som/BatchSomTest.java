package dev.lifecycle.core.som;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.som.SomGrid.Topology;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchSomTest {
  private static final SomGrid LINE_OF_TWO = new SomGrid(1, 2, Topology.RECTANGULAR);

  /** Points 0, 1, 9, 10 on a 1 x 2 map with weights 2 and 8: nodes take {0, 1} and {9, 10}. */
  private static BatchStats fourPoints(boolean topographic) {
    Codebook start = new Codebook(LINE_OF_TWO, 1, new double[] {2, 8});
    return BatchSom.inMemory(new double[][] {{0}, {1}, {9}, {10}}).apply(start, topographic);
  }

  @Test
  void aBatchStepByHand() {
    BatchStats stats = fourPoints(true);
    assertThat(stats.hits()).containsExactly(2, 2);
    assertThat(stats.sums()).containsExactly(1, 19);
    // distances 2, 1, 1, 2
    assertThat(stats.quantizationError()).isEqualTo(1.5);
    assertThat(stats.topographicError()).isZero();

    // Gaussian, sigma 1: h = exp(-1/2) = 0.6065306597 between the two nodes.
    // w0 = (1 + 19 h) / (2 + 2 h) = 3.8978660, w1 = (h + 19) / (2 + 2 h) = 6.1021340
    Codebook gaussian =
        new Codebook(LINE_OF_TWO, 1, new double[] {2, 8}).updated(stats, Neighbourhood.GAUSSIAN, 1);
    assertThat(gaussian.weight(0, 0)).isCloseTo(3.8978660, within(1e-7));
    assertThat(gaussian.weight(1, 0)).isCloseTo(6.1021340, within(1e-7));

    // Bubble of radius 0.5: each node only sees its own points, so it moves to their mean.
    Codebook bubble =
        new Codebook(LINE_OF_TWO, 1, new double[] {2, 8}).updated(stats, Neighbourhood.BUBBLE, 0.5);
    assertThat(bubble.weights()).containsExactly(0.5, 9.5);
  }

  @Test
  void aNodeWithAnEmptyNeighbourhoodKeepsItsWeights() {
    SomGrid line = new SomGrid(1, 3, Topology.RECTANGULAR);
    Codebook start = new Codebook(line, 1, new double[] {0, 5, 100});
    BatchStats stats = BatchSom.inMemory(new double[][] {{1}, {4}}).apply(start, false);
    Codebook next = start.updated(stats, Neighbourhood.BUBBLE, 0.5);
    assertThat(next.weights()).containsExactly(1, 4, 100);
  }

  @Test
  void uMatrixIsTheMeanDistanceToAdjacentNodes() {
    Codebook line = new Codebook(new SomGrid(1, 3, Topology.RECTANGULAR), 1, new double[] {0, 1, 3});
    assertThat(line.uMatrix()).containsExactly(1, 1.5, 2);
  }

  @Test
  void gridsPlaceAndConnectNodes() {
    SomGrid hex = new SomGrid(2, 2, Topology.HEXAGONAL);
    // node 2 = (row 1, col 0) sits half a step right, sqrt(3)/2 up
    assertThat(hex.x(2)).isEqualTo(0.5);
    assertThat(hex.y(2)).isCloseTo(Math.sqrt(3) / 2, within(1e-12));
    assertThat(hex.adjacent(0, 1)).isTrue();
    assertThat(hex.adjacent(0, 2)).isTrue();
    assertThat(hex.adjacent(1, 2)).isTrue();
    assertThat(hex.adjacent(0, 3)).isFalse();
    assertThat(hex.distanceSquared(0, 3)).isCloseTo(3, within(1e-12));

    SomGrid rect = new SomGrid(3, 3, Topology.RECTANGULAR);
    assertThat(rect.adjacent(0, 4)).as("diagonal").isTrue();
    assertThat(rect.adjacent(0, 2)).isFalse();
    assertThat(rect.adjacent(4, 4)).isFalse();
  }

  @Test
  void topographicErrorCountsPointsWhoseTwoBestUnitsAreApart() {
    // Weights 0, 10, 1 on a line: a point at 0.4 has BMU node 0 and second node 2, not adjacent
    Codebook folded = new Codebook(new SomGrid(1, 3, Topology.RECTANGULAR), 1, new double[] {0, 10, 1});
    BatchStats stats = BatchSom.inMemory(new double[][] {{0.4}, {9}, {10}, {11}}).apply(folded, true);
    // 0.4 -> (0, 2) apart; 9, 10, 11 -> (1, 2) adjacent
    assertThat(stats.topographicError()).isEqualTo(0.25);
    assertThat(BatchSom.inMemory(new double[][] {{0.4}}).apply(folded, false).topographicError()).isNaN();
  }

  @Test
  void matchesABruteForceBatchSomOnBlobs() {
    double[][] points = blobs(3_000, 3, 7);
    SomGrid grid = new SomGrid(6, 5, Topology.HEXAGONAL);
    Codebook start = BatchSom.randomInit(grid, new double[3], new double[] {1, 1, 1}, 3);
    BatchSom.Schedule schedule = BatchSom.Schedule.standard(grid, Neighbourhood.GAUSSIAN, 15);

    BatchSom.Result ours = BatchSom.train(start, schedule, BatchSom.inMemory(points));

    double[] reference = start.weights();
    for (int t = 0; t < schedule.iterations(); t++) {
      reference = bruteForceStep(grid, reference, points, schedule.sigma(t));
    }
    double[] trained = ours.codebook().weights();
    for (int i = 0; i < reference.length; i++) {
      assertThat(trained[i]).as("weight %d", i).isCloseTo(reference[i], within(1e-5));
    }
    assertThat(ours.finalPass().points()).isEqualTo(points.length);
    assertThat(ours.quantizationErrors()).hasSize(15);
    assertThat(ours.finalPass().quantizationError()).isLessThan(ours.quantizationErrors().get(0) / 2);
  }

  /**
   * The batch rule written out directly over the points, sharing nothing with the production
   * code: w_j = sum_i h(bmu(x_i), j) x_i / sum_i h(bmu(x_i), j).
   */
  private static double[] bruteForceStep(SomGrid grid, double[] w, double[][] points, double sigma) {
    int dim = points[0].length;
    int nodes = grid.nodes();
    double[] numerator = new double[w.length];
    double[] denominator = new double[nodes];
    for (double[] x : points) {
      int bmu = 0;
      double best = Double.MAX_VALUE;
      for (int k = 0; k < nodes; k++) {
        double d = 0;
        for (int f = 0; f < dim; f++) {
          d += (x[f] - w[k * dim + f]) * (x[f] - w[k * dim + f]);
        }
        if (d < best) {
          best = d;
          bmu = k;
        }
      }
      for (int j = 0; j < nodes; j++) {
        double dx = grid.x(bmu) - grid.x(j);
        double dy = grid.y(bmu) - grid.y(j);
        double h = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
        denominator[j] += h;
        for (int f = 0; f < dim; f++) {
          numerator[j * dim + f] += h * x[f];
        }
      }
    }
    double[] next = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      next[i] = numerator[i] / denominator[i / dim];
    }
    return next;
  }

  @Test
  void sumsDoNotDependOnHowThePointsAreSplitOrMerged() {
    double[][] points = blobs(2_000, 4, 11);
    Codebook codebook =
        BatchSom.randomInit(new SomGrid(4, 4, Topology.RECTANGULAR), new double[4], new double[] {1, 1, 1, 1}, 5);
    BatchStats whole = BatchSom.inMemory(points).apply(codebook, true);
    BatchStats[] parts = new BatchStats[7];
    for (int p = 0; p < parts.length; p++) {
      parts[p] = new BatchStats(16, 4, true);
    }
    for (int i = 0; i < points.length; i++) {
      parts[(i * 31) % parts.length].add(codebook, points[i]);
    }
    BatchStats forwards = new BatchStats(16, 4, true);
    for (BatchStats part : parts) {
      forwards.merge(part);
    }
    BatchStats backwards = new BatchStats(16, 4, true);
    for (int p = parts.length - 1; p >= 0; p--) {
      backwards.merge(parts[p]);
    }
    assertThat(forwards.sums()).containsExactly(whole.sums());
    assertThat(backwards.sums()).containsExactly(whole.sums());
    assertThat(backwards.hits()).containsExactly(whole.hits());
    assertThat(backwards.quantizationError()).isEqualTo(whole.quantizationError());
    assertThat(backwards.topographicError()).isEqualTo(whole.topographicError());
  }

  @Test
  void pcaInitSpreadsTheNodesAlongThePrincipalAxes() {
    // Covariance 4 v1 v1' + 1 v2 v2' with v1 = (0.8, 0.6) and v2 = (-0.6, 0.8): the first axis has
    // standard deviation 2, the second 1; each axis is signed so its largest component is positive.
    double[][] covariance = {{2.92, 1.44}, {1.44, 2.08}};
    SomGrid grid = new SomGrid(3, 2, Topology.RECTANGULAR);
    Codebook start = BatchSom.pcaInit(grid, new double[] {10, 20}, covariance);
    // Rows (the longer side) run along the first axis. Node 0 = (row 0, col 0): mean - 2 v1 - v2
    assertThat(start.node(0)).containsExactly(new double[] {9.0, 18.0}, within(1e-9));
    // Node 5 = (row 2, col 1): mean + 2 v1 + v2
    assertThat(start.node(5)).containsExactly(new double[] {11.0, 22.0}, within(1e-9));
    // Node 2 = (row 1, col 0): mean - v2
    assertThat(start.node(2)).containsExactly(new double[] {10.6, 19.2}, within(1e-9));
  }

  @Test
  void defaultGridFollowsTheDataSize() {
    SomGrid small = SomGrid.forData(400, 400, 1, Topology.HEXAGONAL);
    assertThat(small.nodes()).isEqualTo(100); // 5 sqrt(400)
    assertThat(SomGrid.forData(100_000_000, 400, 1, Topology.HEXAGONAL).nodes()).isEqualTo(400);
    assertThat(SomGrid.forData(0, 400, 1, Topology.RECTANGULAR).nodes()).isEqualTo(4);
  }

  @Test
  void invalidSettingsAreRefusedWithTheirValues() {
    assertThatThrownBy(() -> new SomGrid(0, 3, Topology.RECTANGULAR))
        .hasMessage("Cannot build a SOM grid of 0 x 3: both sides must be at least 1");
    assertThatThrownBy(() -> new BatchSom.Schedule(Neighbourhood.GAUSSIAN, 0, 3, 1))
        .hasMessage("Cannot train a SOM for 0 iterations: at least 1");
    assertThatThrownBy(() -> new BatchSom.Schedule(Neighbourhood.GAUSSIAN, 5, 1, 3))
        .hasMessage(
            "Cannot train a SOM with radius from 1.0 to 3.0: both must be positive and the end no"
                + " larger than the start");
    assertThatThrownBy(() -> fourPointsWith(Double.NaN))
        .hasMessage("Cannot train a SOM on the value NaN: features must be finite and standardized");
    assertThatThrownBy(() -> new Codebook(LINE_OF_TWO, 1, new double[] {1, 2, 3}))
        .hasMessage("Cannot build a codebook: 3 weights for 2 nodes of dimension 1");
    assertThatThrownBy(() -> new BatchStats(2, 1, false).merge(new BatchStats(3, 1, false)))
        .hasMessage("Cannot merge SOM sums of different shapes");
    assertThatThrownBy(() -> new Codebook(LINE_OF_TWO, 1, new double[] {1, Double.NaN}))
        .hasMessage("Cannot build a codebook: weight NaN is not finite");
  }

  private static BatchStats fourPointsWith(double value) {
    Codebook start = new Codebook(LINE_OF_TWO, 1, new double[] {2, 8});
    return BatchSom.inMemory(new double[][] {{0}, {value}}).apply(start, false);
  }

  @Test
  void scheduleDecaysFromStartToEnd() {
    BatchSom.Schedule schedule = BatchSom.Schedule.standard(new SomGrid(10, 10, Topology.RECTANGULAR), Neighbourhood.GAUSSIAN, 20);
    assertThat(schedule.sigma(0)).isEqualTo(5);
    assertThat(schedule.sigma(19)).isCloseTo(1, within(1e-12));
    for (int t = 1; t < 20; t++) {
      assertThat(schedule.sigma(t)).isLessThan(schedule.sigma(t - 1));
    }
  }

  /** Points around {@code dim}-dimensional blob centres at ±3 on each axis. */
  static double[][] blobs(int n, int dim, long seed) {
    Random random = new Random(seed);
    double[][] centres = new double[5][dim];
    for (double[] centre : centres) {
      for (int f = 0; f < dim; f++) {
        centre[f] = random.nextBoolean() ? 3 : -3;
      }
    }
    double[][] points = new double[n][dim];
    for (int i = 0; i < n; i++) {
      double[] centre = centres[i % centres.length];
      for (int f = 0; f < dim; f++) {
        points[i][f] = centre[f] + random.nextGaussian() * 0.5;
      }
    }
    return points;
  }
}
