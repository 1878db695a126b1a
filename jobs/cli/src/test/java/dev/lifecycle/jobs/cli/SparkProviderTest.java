package dev.lifecycle.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local-cluster master names what its executors lack before Spark starts them. */
class SparkProviderTest {
  @TempDir Path dir;

  @Test
  void everyMissingVariableIsNamed() {
    assertThatThrownBy(() -> SparkProvider.requireLocalClusterEnvironment("local-cluster[2,1,1024]", Map.<String, String>of()::get))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "Cannot start local-cluster[2,1,1024]: its executors need SPARK_HOME (a folder with a jars folder),"
                + " SPARK_SCALA_VERSION, SPARK_DIST_CLASSPATH in the environment; scripts/lifecycle sets them"
                + " (see docs/cluster.md)")
        .satisfies(e -> assertThat(((LifecycleException) e).exitCode()).isEqualTo(ExitCode.USAGE));
  }

  @Test
  void aSparkHomeWithoutJarsIsNotEnough() throws IOException {
    Map<String, String> withoutJars =
        Map.of("SPARK_HOME", dir.toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_DIST_CLASSPATH", "/x.jar");
    assertThatThrownBy(() -> SparkProvider.requireLocalClusterEnvironment("local-cluster[1,1,512]", withoutJars::get))
        .hasMessageContaining("need SPARK_HOME (a folder with a jars folder) in the environment");

    Files.createDirectories(dir.resolve("jars"));
    assertThatCode(() -> SparkProvider.requireLocalClusterEnvironment("local-cluster[1,1,512]", withoutJars::get))
        .doesNotThrowAnyException();
  }
}
