package dev.lifecycle.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriorCorrectionTest {
  @TempDir Path dir;

  private final SparkSession spark = TestSpark.session();

  @Test
  void theOddsAreScaledAndTheStageSavesAndLoadsInAPipeline() throws Exception {
    Dataset<Row> probabilities =
        spark.createDataFrame(
            List.of(
                RowFactory.create(Vectors.dense(0.5, 0.5)),
                RowFactory.create(Vectors.dense(0.8, 0.2)),
                RowFactory.create(Vectors.dense(0.0, 1.0))),
            new StructType().add("probability", new VectorUDT()));
    PipelineModel model =
        new Pipeline().setStages(new PipelineStage[] {new PriorCorrection().setPriorOdds(0.25)}).fit(probabilities);
    String path = dir.resolve("model").toString();
    model.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertThat(((PriorCorrection) loaded.stages()[0]).getPriorOdds()).isEqualTo(0.25);
    List<Double> corrected =
        loaded.transform(probabilities).select("churn_probability").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
    // odds 1 -> 0.25: p = 0.2; odds 0.25 -> 1/16: p = 1/17; certainty stays certain
    assertThat(corrected.get(0)).isCloseTo(0.2, within(1e-12));
    assertThat(corrected.get(1)).isCloseTo(1.0 / 17, within(1e-12));
    assertThat(corrected.get(2)).isEqualTo(1.0);
  }
}
