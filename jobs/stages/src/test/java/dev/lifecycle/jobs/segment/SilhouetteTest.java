package dev.lifecycle.jobs.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.cluster.WeightedKMeans;
import dev.lifecycle.spark.test.TestSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The segmentation chooses k with its own silhouette: it must be Spark's, weights included. */
class SilhouetteTest {
  @Test
  void weightedSilhouetteEqualsSparksClusteringEvaluator() {
    Random random = new Random(11);
    double[][] points = new double[300][];
    double[] weights = new double[300];
    for (int i = 0; i < points.length; i++) {
      points[i] = new double[] {random.nextGaussian() + 3 * (i % 4), random.nextGaussian(), random.nextGaussian() * 2};
      weights[i] = 1 + random.nextInt(20);
    }
    int[] assignment = WeightedKMeans.fit(points, weights, 4, 5, 50).assignment();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < points.length; i++) {
      rows.add(RowFactory.create(Vectors.dense(points[i]), (double) assignment[i], weights[i], 1.0));
    }
    var data =
        TestSpark.session()
            .createDataFrame(
                rows,
                new StructType()
                    .add("features", new VectorUDT())
                    .add("prediction", DataTypes.DoubleType)
                    .add("weight", DataTypes.DoubleType)
                    .add("one", DataTypes.DoubleType));
    ClusteringEvaluator spark = new ClusteringEvaluator();
    assertThat(WeightedKMeans.silhouette(points, weights, assignment, 4))
        .isCloseTo(spark.setWeightCol("weight").evaluate(data), within(1e-9));
    double[] ones = new double[points.length];
    java.util.Arrays.fill(ones, 1);
    assertThat(WeightedKMeans.silhouette(points, ones, assignment, 4))
        .isCloseTo(spark.setWeightCol("one").evaluate(data), within(1e-9));
  }
}
