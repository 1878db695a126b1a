package dev.lifecycle.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.som.BatchSom;
import dev.lifecycle.core.som.Codebook;
import dev.lifecycle.core.som.FeatureMoments;
import dev.lifecycle.core.som.Neighbourhood;
import dev.lifecycle.core.som.SomGrid;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfOrganizingMapTest {
  private static final StructType POINTS =
      new StructType().add("id", DataTypes.IntegerType).add("features", new VectorUDT());

  @TempDir Path dir;

  private final SparkSession spark = TestSpark.session();

  /** Points around six centres at ±2 on three axes, spread 0.4. */
  private static double[][] blobs(int n, long seed) {
    Random random = new Random(seed);
    double[][] centres = {{2, 2, 2}, {-2, 2, 2}, {2, -2, 2}, {2, 2, -2}, {-2, -2, 2}, {-2, -2, -2}};
    double[][] points = new double[n][3];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < 3; f++) {
        points[i][f] = centres[i % 6][f] + 0.4 * random.nextGaussian();
      }
    }
    return points;
  }

  private Dataset<Row> frame(double[][] points, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      rows.add(RowFactory.create(i, Vectors.dense(points[i])));
    }
    return spark.createDataFrame(rows, POINTS).repartition(partitions);
  }

  private static SelfOrganizingMap som() {
    return new SelfOrganizingMap().setGrid(6, 5).setMaxIter(10);
  }

  @Test
  void distributedTrainingGivesThePlainJavaMap() {
    double[][] points = blobs(3_000, 1);
    SelfOrganizingMapModel model = som().fit(frame(points, 3));

    FeatureMoments moments = new FeatureMoments(3);
    for (double[] point : points) {
      moments.add(point);
    }
    SomGrid grid = new SomGrid(6, 5, SomGrid.Topology.HEXAGONAL);
    BatchSom.Result local =
        BatchSom.train(
            BatchSom.pcaInit(grid, moments.mean(), moments.covariance()),
            BatchSom.Schedule.standard(grid, Neighbourhood.GAUSSIAN, 10),
            BatchSom.inMemory(points));

    assertThat(model.codebook().weights()).containsExactly(local.codebook().weights(), within(1e-12));
    assertThat(model.summary().hits()).containsExactly(local.finalPass().hits());
    assertThat(model.summary().quantizationError()).isEqualTo(local.finalPass().quantizationError());
    assertThat(model.summary().topographicError()).isEqualTo(local.finalPass().topographicError());
    assertThat(model.summary().iterations()).isEqualTo(10);
    assertThat(model.summary().uMatrix()).hasSize(30);
    // A point lies 0.4 E|Z| = 0.64 from its blob's centre on average (|Z| chi with 3 degrees of
    // freedom), and the blobs are 4 apart: a map that found them has QE near 0.64, far below 4.
    assertThat(model.summary().quantizationError())
        .isLessThan(1)
        .isLessThan(model.summary().quantizationErrors()[0]);
  }

  @Test
  void theMapDoesNotDependOnThePartitioning() {
    double[][] points = blobs(2_000, 2);
    Codebook one = som().fit(frame(points, 1)).codebook();
    Codebook five = som().fit(frame(points, 5)).codebook();
    assertThat(five.weights()).containsExactly(one.weights());
  }

  @Test
  void aSavedModelLoadsAndAssignsTheSameNodes() throws IOException {
    Dataset<Row> data = frame(blobs(1_000, 3), 2);
    SelfOrganizingMapModel model =
        som().setPredictionCol("node").setTopology("rectangular").setNeighbourhood("bubble").fit(data);
    String path = dir.resolve("som").toString();
    model.save(path);

    SelfOrganizingMapModel loaded = SelfOrganizingMapModel.load(path);

    assertThat(loaded.uid()).isEqualTo(model.uid());
    assertThat(loaded.getOrDefault(loaded.predictionCol())).isEqualTo("node");
    // The model states what it was fitted with: the params it shares with the estimator.
    assertThat(model.getTopology()).isEqualTo("rectangular");
    assertThat(loaded.getTopology()).isEqualTo("rectangular");
    assertThat(loaded.getNeighbourhood()).isEqualTo("bubble");
    assertThat(loaded.getOrDefault(loaded.rows())).isEqualTo(6);
    assertThat(loaded.getOrDefault(loaded.maxIter())).isEqualTo(10);
    assertThat(loaded.codebook().grid().topology().name()).isEqualTo("RECTANGULAR");
    assertThat(loaded.codebook().weights()).containsExactly(model.codebook().weights());
    assertThat(loaded.summary().hits()).containsExactly(model.summary().hits());
    assertThat(loaded.summary().quantizationErrors()).containsExactly(model.summary().quantizationErrors());
    Dataset<Row> before = model.transform(data).select("id", "node");
    Dataset<Row> after = loaded.transform(data).select("id", "node");
    assertThat(before.exceptAll(after).count()).isZero();
    assertThat(before.select("node").distinct().count()).isGreaterThan(6);
  }

  @Test
  void worksInsideASavedPipeline() throws IOException {
    List<Row> rows = new ArrayList<>();
    double[][] points = blobs(600, 4);
    for (int i = 0; i < points.length; i++) {
      rows.add(RowFactory.create(i, 100 * points[i][0] + 50, Math.exp(points[i][1]), points[i][2]));
    }
    StructType raw =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("a", DataTypes.DoubleType)
            .add("b", DataTypes.DoubleType)
            .add("c", DataTypes.DoubleType);
    Dataset<Row> data = spark.createDataFrame(rows, raw);
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler().setInputCols(new String[] {"a", "b", "c"}).setOutputCol("raw"),
                  new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
                  new SelfOrganizingMap().setGrid(4, 4).setMaxIter(5).setTopology("rectangular")
                });
    PipelineModel fitted = pipeline.fit(data);
    String path = dir.resolve("pipeline").toString();
    fitted.save(path);
    PipelineModel loaded = PipelineModel.load(path);

    Dataset<Row> before = fitted.transform(data).select("id", "som_node");
    assertThat(before.exceptAll(loaded.transform(data).select("id", "som_node")).count()).isZero();
    assertThat(((SelfOrganizingMapModel) loaded.stages()[2]).codebook().grid())
        .isEqualTo(new SomGrid(4, 4, SomGrid.Topology.RECTANGULAR));
  }

  @Test
  void theEstimatorSavesItsParams() throws IOException {
    String path = dir.resolve("estimator").toString();
    som().setNeighbourhood("bubble").setInitMode("random").setSeed(7).save(path);
    SelfOrganizingMap loaded = SelfOrganizingMap.load(path);
    assertThat(loaded.getOrDefault(loaded.neighbourhood())).isEqualTo("bubble");
    assertThat(loaded.getOrDefault(loaded.initMode())).isEqualTo("random");
    assertThat(loaded.getOrDefault(loaded.seed())).isEqualTo(7L);
    assertThat(loaded.getOrDefault(loaded.rows())).isEqualTo(6);
  }

  @Test
  void aGridFromTheDataAndRandomInitialisation() {
    SelfOrganizingMapModel model =
        new SelfOrganizingMap().setInitMode("random").setSeed(3).setMaxIter(3).fit(frame(blobs(400, 5), 2));
    // 5 sqrt(400) = 100 nodes, square
    assertThat(model.codebook().grid().nodes()).isEqualTo(100);
    assertThat(model.summary().hits()).hasSize(100);
    assertThat(java.util.Arrays.stream(model.summary().hits()).sum()).isEqualTo(400);
  }

  @Test
  void badColumnsAreNamed() {
    Dataset<Row> data = frame(blobs(10, 6), 1);
    assertThatThrownBy(() -> som().setFeaturesCol("rfm").fit(data))
        .hasMessage("Cannot use a SOM: no features column 'rfm' among [id, features]");
    assertThatThrownBy(() -> som().setFeaturesCol("id").fit(data))
        .hasMessage("Cannot use a SOM: features column 'id' is int, not a vector");
    assertThatThrownBy(() -> som().setPredictionCol("id").fit(data))
        .hasMessage("Cannot use a SOM: output column 'id' already exists");
    assertThatThrownBy(() -> som().fit(data.limit(0)))
        .hasMessage("Cannot fit a SOM: column features has no rows");
    assertThatThrownBy(() -> som().setGrid(3, 0).fit(data))
        .hasMessage("Cannot size the SOM grid: rows and cols must both be set or both be 0, got 3 x 0");
    assertThatThrownBy(() -> som().setTopology("triangular"))
        .hasMessageContaining("triangular");
  }
}
