package dev.lifecycle.core.som;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.som.SomGrid.Topology;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The search (a cell's list of nodes inside the codebook's box, the k-d tree outside it) gives
 * exactly what a scan of every node in index order gives: the best unit (lowest index among the
 * nearest), its distance, and the second best, on random and on heavily tied codebooks, in one to
 * six dimensions.
 */
class NodeSearchTest {
  private static final SomGrid[] GRIDS = {
    new SomGrid(1, 1, Topology.RECTANGULAR), new SomGrid(3, 7, Topology.HEXAGONAL), new SomGrid(12, 15, Topology.RECTANGULAR)
  };

  @Test
  void equalsAScanOfEveryNode() {
    Random random = new Random(7);
    for (int dim = 1; dim <= 6; dim++) {
      for (SomGrid grid : GRIDS) {
        for (boolean tied : new boolean[] {false, true}) {
          double[] weights = new double[grid.nodes() * dim];
          for (int i = 0; i < weights.length; i++) {
            // Tied: weights on a coarse lattice, so many nodes coincide or sit at equal distances.
            weights[i] = tied ? random.nextInt(3) : random.nextGaussian();
          }
          Codebook codebook = new Codebook(grid, dim, weights);
          NodeSearch.Cursor cursor = new NodeSearch(codebook).cursor();
          for (int p = 0; p < 2_000; p++) {
            double[] point = new double[dim];
            for (int f = 0; f < dim; f++) {
              point[f] = tied ? random.nextInt(4) - 0.5 * random.nextInt(2) : random.nextGaussian() * 2;
            }
            int[] scan = scan(codebook, point);
            cursor.nearest(point, 0, true);
            assertThat(cursor.best()).as("best of %s", Arrays.toString(point)).isEqualTo(scan[0]);
            assertThat(cursor.second()).as("second of %s", Arrays.toString(point)).isEqualTo(scan[1]);
            assertThat(cursor.bestDistance()).isEqualTo(codebook.distanceSquared(point, scan[0]));
            assertThat(cursor.nearest(point, 0, false).best()).isEqualTo(scan[0]);
            assertThat(codebook.bestMatchingUnit(point)).isEqualTo(scan[0]);
          }
        }
      }
    }
  }

  @Test
  void cellsInsideTheCodebooksBoxEqualAScan() {
    // Points inside the grid of cells, where the search reads a cell's short list: a trained-like
    // sheet of nodes, and a lattice where nodes coincide and points sit on bisectors and on the
    // cells' own edges. Each codebook is searched twice, so cached lists are read too.
    Random random = new Random(19);
    for (int dim = 1; dim <= 4; dim++) {
      for (boolean tied : new boolean[] {false, true}) {
        SomGrid grid = new SomGrid(10, 10, Topology.HEXAGONAL);
        double[] weights = new double[grid.nodes() * dim];
        for (int node = 0; node < grid.nodes(); node++) {
          for (int f = 0; f < dim; f++) {
            weights[node * dim + f] =
                tied ? random.nextInt(4) * 0.5 : grid.row(node) * (f == 0 ? 0.3 : 0) + grid.col(node) * (f == 1 ? 0.3 : 0.05)
                    + random.nextGaussian() * 0.1;
          }
        }
        Codebook codebook = new Codebook(grid, dim, weights);
        NodeSearch search = new NodeSearch(codebook);
        for (int round = 0; round < 2; round++) {
          Random points = new Random(dim * 31L + (tied ? 1 : 0));
          NodeSearch.Cursor cursor = search.cursor();
          for (int p = 0; p < 5_000; p++) {
            double[] point = new double[dim];
            for (int f = 0; f < dim; f++) {
              point[f] = tied ? points.nextInt(13) * 0.125 - 0.25 : points.nextDouble() * 3.5 - 0.25;
            }
            int[] scan = scan(codebook, point);
            cursor.nearest(point, 0, true);
            assertThat(cursor.best()).as("best of %s", Arrays.toString(point)).isEqualTo(scan[0]);
            assertThat(cursor.second()).as("second of %s", Arrays.toString(point)).isEqualTo(scan[1]);
            assertThat(cursor.bestDistance()).isEqualTo(codebook.distanceSquared(point, scan[0]));
            assertThat(cursor.nearest(point, 0, false).best()).as("best of %s", Arrays.toString(point)).isEqualTo(scan[0]);
          }
        }
      }
    }
  }

  @Test
  void aPointThatIsNotFiniteHasNoNode() {
    Codebook codebook = new Codebook(new SomGrid(1, 2, Topology.RECTANGULAR), 1, new double[] {0, 1});
    assertThatThrownBy(() -> codebook.bestMatchingUnit(new double[] {Double.NaN}))
        .hasMessage("Cannot map a point with a value that is not finite to a SOM node");
    assertThat(codebook.search().cursor().nearest(new double[] {Double.POSITIVE_INFINITY}, 0, true).best()).isEqualTo(-1);
  }

  /** Best and second best by (distance, index): every node in index order, as before the tree. */
  private static int[] scan(Codebook codebook, double[] point) {
    int best = -1;
    int second = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    double secondDistance = Double.POSITIVE_INFINITY;
    for (int node = 0; node < codebook.grid().nodes(); node++) {
      double d = codebook.distanceSquared(point, node);
      if (d < bestDistance) {
        second = best;
        secondDistance = bestDistance;
        best = node;
        bestDistance = d;
      } else if (d < secondDistance) {
        second = node;
        secondDistance = d;
      }
    }
    return new int[] {best, second};
  }
}
