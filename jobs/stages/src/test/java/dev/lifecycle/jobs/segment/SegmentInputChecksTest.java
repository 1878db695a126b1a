package dev.lifecycle.jobs.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.ConfigKey;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.spark.ml.SegmentNumbers;
import dev.lifecycle.spark.test.TestSpark;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The segment stage's own checks: each names what is wrong, as an unusable input (exit 3). */
class SegmentInputChecksTest {
  private static final StructType FEATURES =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("recency_days", DataTypes.IntegerType)
          .add("frequency", DataTypes.LongType)
          .add("monetary_total", DataTypes.DoubleType)
          .add("btyd_x", DataTypes.LongType)
          .add("btyd_t_x", DataTypes.DoubleType)
          .add("btyd_t", DataTypes.DoubleType)
          .add("repeat_value_avg", DataTypes.DoubleType);

  private final SparkSession spark = TestSpark.session();

  @Test
  void noCustomersToFitOn() {
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .withFlag(ConfigKey.INPUT_PATH, "unused", "test")
                .withFlag(ConfigKey.WAREHOUSE, "unused", "test"));
    Dataset<Row> none = spark.createDataFrame(List.of(), FEATURES);
    assertThatThrownBy(() -> SegmentModels.fit(none, config.segment()))
        .isInstanceOf(LifecycleException.class)
        .hasMessage("Cannot segment: customer_features has no customers")
        .satisfies(e -> assertThat(((LifecycleException) e).exitCode()).isEqualTo(3));
  }

  @Test
  void aMissingFeatureNamesTheCustomer() {
    Dataset<Row> features =
        spark.createDataFrame(List.of(
                RowFactory.create("c1", 3, 2L, 10.0, 1L, 1.0, 2.0, 5.0),
                RowFactory.create("c2", 4, 1L, null, 0L, 0.0, 2.0, null)), FEATURES);
    SQLTransformer identity = new SQLTransformer().setStatement("SELECT * FROM __THIS__");
    VectorAssembler assemble = new VectorAssembler().setInputCols(new String[] {"monetary_total"}).setOutputCol("raw");
    assertThatThrownBy(() -> CustomerBlock.raw(features, identity, assemble).count())
        .hasRootCauseMessage("Cannot segment customer c2: feature 0 is missing");
  }

  @Test
  void aModelOfAnotherShapeIsRefused() {
    SQLTransformer identity = new SQLTransformer().setStatement("SELECT * FROM __THIS__");
    VectorAssembler assemble = new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("raw");
    assertThatThrownBy(() -> SegmentScorer.of(model(identity, assemble)))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "Cannot use the segment model: it has 0 stages of kind StandardScalerModel, not one"
                + " (stages: SQLTransformer, VectorAssembler)");
    // A model saved with a label SQLTransformer (before SegmentNumbers) has two SQLTransformers.
    StandardScalerModel scaler =
        new StandardScalerModel("scaler", Vectors.dense(1.0), Vectors.dense(0.0));
    assertThatThrownBy(() -> SegmentScorer.of(model(identity, assemble, scaler, identity)))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "Cannot use the segment model: it has 0 stages of kind SegmentNumbers, not one"
                + " (stages: SQLTransformer, VectorAssembler, StandardScalerModel, SQLTransformer)");
    SegmentNumbers numbers = SegmentNumbers.of("c", "n", new int[] {1}, new int[] {1});
    assertThatThrownBy(() -> SegmentScorer.of(model(identity, assemble, scaler, identity, numbers)))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "Cannot use the segment model: it has 2 stages of kind SQLTransformer, not one"
                + " (stages: SQLTransformer, VectorAssembler, StandardScalerModel, SQLTransformer, SegmentNumbers)");
  }

  private static PipelineModel model(Transformer... stages) {
    return new PipelineModel("segments-test", stages);
  }
}
