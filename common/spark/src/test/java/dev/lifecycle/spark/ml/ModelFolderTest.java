package dev.lifecycle.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.ConfigKey;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --model-out replaces only what a saved model may replace; everything else is exit 2. */
class ModelFolderTest {
  @TempDir Path dir;

  private final SparkSession spark = TestSpark.session();
  private final Configuration hadoop = spark.sparkContext().hadoopConfiguration();

  private String warehouse() {
    return dir.resolve("warehouse").toString();
  }

  private void assertRefused(String target, String why) {
    assertThatThrownBy(() -> ModelFolder.checkReplaceable(ConfigKey.SEGMENT_MODEL_OUT, target, warehouse(), hadoop))
        .isInstanceOfSatisfying(LifecycleException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("segment.model-out " + target)
        .hasMessageContaining(why);
  }

  @Test
  void theWarehouseAFolderInsideItOrAboveItIsRefused() {
    assertRefused(warehouse(), "is inside the warehouse");
    assertRefused(warehouse() + "/", "is inside the warehouse");
    assertRefused(warehouse() + "/models/segments", "is inside the warehouse");
    assertRefused(dir.toString(), "holds the warehouse");
    assertThatThrownBy(() -> ModelFolder.checkReplaceable(ConfigKey.PROPENSITY_MODEL_OUT, warehouse(), warehouse(), hadoop))
        .hasMessageStartingWith("propensity.model-out " + warehouse() + " would be replaced, but it is inside the warehouse");
  }

  @Test
  void aFolderWithOtherFilesOrAFileIsRefusedAndKept() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("reports"));
    Path kept = Files.writeString(folder.resolve("q3.html"), "<p>keep me</p>");
    assertRefused(folder.toString(), "holds files that are not a saved model");
    assertRefused(kept.toString(), "it is a file");
    assertThat(kept).hasContent("<p>keep me</p>");
  }

  @Test
  void anAbsentOrEmptyFolderOrASavedModelMayBeReplaced() throws Exception {
    assertThatCode(() -> ModelFolder.checkReplaceable(ConfigKey.SEGMENT_MODEL_OUT, dir.resolve("new").toString(), warehouse(), hadoop))
        .doesNotThrowAnyException();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatCode(() -> ModelFolder.checkReplaceable(ConfigKey.SEGMENT_MODEL_OUT, empty.toString(), warehouse(), hadoop))
        .doesNotThrowAnyException();
    String saved = dir.resolve("saved").toString();
    new Pipeline()
        .setStages(new PipelineStage[] {new SQLTransformer().setStatement("SELECT * FROM __THIS__")})
        .fit(spark.range(1).toDF())
        .save(saved);
    assertThatCode(() -> ModelFolder.checkReplaceable(ConfigKey.SEGMENT_MODEL_OUT, saved, warehouse(), hadoop)).doesNotThrowAnyException();
  }
}
