package dev.lifecycle.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment model's last stage numbers clusters and nodes, and a saved model keeps the numbers. */
class SegmentNumbersTest {
  private static final StructType SCORED =
      new StructType().add("cluster", DataTypes.IntegerType).add("node", DataTypes.IntegerType);

  @TempDir Path dir;

  @Test
  void eachClusterAndNodeGetsItsSegment() {
    SegmentNumbers numbers = SegmentNumbers.of("cluster", "node", new int[] {2, 1, 3}, new int[] {1, 1, 2, 2});
    Dataset<Row> scored =
        TestSpark.session()
            .createDataFrame(List.of(RowFactory.create(0, 3), RowFactory.create(1, 0), RowFactory.create(2, 2)), SCORED);

    List<Row> rows = numbers.transform(scored).orderBy("cluster").select("kmeans_segment", "som_segment").collectAsList();

    assertThat(rows).containsExactly(RowFactory.create(2, 2), RowFactory.create(1, 1), RowFactory.create(3, 2));
    assertThat(numbers.kmeansSegment()).containsExactly(2, 1, 3);
    assertThat(numbers.nodeSegment()).containsExactly(1, 1, 2, 2);
  }

  @Test
  void aSavedPipelineLoadsWithItsNumbers() throws IOException {
    SegmentNumbers numbers = SegmentNumbers.of("cluster", "node", new int[] {2, 1}, new int[] {1, 2, 2});
    String path = dir.resolve("model").toString();
    new PipelineModel("segments-test", new Transformer[] {numbers}).write().save(path);

    SegmentNumbers loaded = (SegmentNumbers) PipelineModel.load(path).stages()[0];

    assertThat(loaded.kmeansSegment()).containsExactly(2, 1);
    assertThat(loaded.nodeSegment()).containsExactly(1, 2, 2);
    assertThat(loaded.getOrDefault(loaded.clusterCol())).isEqualTo("cluster");
  }

  @Test
  void aMissingInputColumnIsNamed() {
    SegmentNumbers numbers = SegmentNumbers.of("cluster", "bmu", new int[] {1}, new int[] {1});
    assertThatThrownBy(() -> numbers.transformSchema(SCORED))
        .hasMessage("Cannot number segments: no column 'bmu' among [cluster, node]");
  }
}
