package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lifecycle tune} on a small sample: one row of tuning_runs per combination of the swept k,
 * grids and seeds, with its silhouettes, QE, TE, stability and time; the comparison page; the
 * report then showing the sweep; and one clear line for a bad sweep value.
 */
@Tag("e2e")
class TuneTest {
  @TempDir Path dir;

  @Test
  void aSweepWritesOneRowPerRunAndAComparisonPage() throws Exception {
    SampleRun sample = SampleRun.withFeatures(dir, 1500, 4);
    CliRunner.Result tuned =
        CliRunner.run(
            "tune", "--warehouse", sample.warehouse(), "--set", "tune.k=3..5;4", "--set", "tune.som.grid=4x4;6x6",
            "--set", "tune.seeds=1,2");
    assertThat(tuned.exitCode()).as(tuned.err()).isZero();
    assertThat(tuned.out()).contains("tuning_runs", "report ");

    List<Row> runs =
        TestSpark.session().read().parquet(sample.warehouse() + "/tuning_runs").orderBy("run").collectAsList();
    assertThat(runs).hasSize(4);
    List<Row> firstRows = withoutTime(sample.warehouse());
    assertThat(runs).extracting(r -> r.<String>getAs("k") + " " + r.<String>getAs("som_grid"))
        .containsExactly("3..5 4x4", "3..5 6x6", "4 4x4", "4 6x6");
    for (Row run : runs) {
      assertThat(run.<String>getAs("seeds")).isEqualTo("1,2");
      assertThat(run.<String>getAs("som_grid_used")).isEqualTo(run.<String>getAs("som_grid"));
      assertThat(run.<Double>getAs("som_quantization_error")).isPositive();
      assertThat(run.<Double>getAs("som_topographic_error")).isBetween(0.0, 1.0);
      assertThat(run.<Double>getAs("kmeans_stability")).isBetween(-1.0, 1.0);
      assertThat(run.<Double>getAs("som_stability")).isBetween(-1.0, 1.0);
      assertThat(run.<Double>getAs("seconds")).isPositive();
      if (run.<String>getAs("k").equals("4")) {
        assertThat(run.<String>getAs("kmeans_k")).isEqualTo("4,4");
        assertThat(run.<Object>getAs("kmeans_silhouette")).as("no curve with k fixed").isNull();
      } else {
        assertThat(run.<String>getAs("kmeans_k")).matches("[345],[345]");
        assertThat(run.<Double>getAs("kmeans_silhouette")).isBetween(-1.0, 1.0);
        assertThat(run.<Double>getAs("som_silhouette")).isBetween(-1.0, 1.0);
      }
    }

    assertThat(Path.of(sample.warehouse(), "customer_segments")).as("tuning writes no segments").doesNotExist();
    // The same sweep again gives the same rows, time aside.
    CliRunner.Result again =
        CliRunner.run(
            "tune", "--warehouse", sample.warehouse(), "--set", "tune.k=3..5;4", "--set", "tune.som.grid=4x4;6x6",
            "--set", "tune.seeds=1,2");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(withoutTime(sample.warehouse())).isEqualTo(firstRows);
    assertThat(Files.readString(ReportRenderTest.page(sample.warehouse(), true)))
        .contains(
            "data-chart=\"tuning-som-quantization-error\"", "data-chart=\"tuning-som-topographic-error\"",
            "data-chart=\"tuning-kmeans-stability\"")
        .contains("data-chart=\"tuning-kmeans-silhouette\"", "Runs with k fixed (or one seed) have none and are left out.");

    CliRunner.Result report = CliRunner.run("report", "--warehouse", sample.warehouse());
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(Files.readString(ReportRenderTest.page(sample.warehouse(), false)))
        .contains("Tuning runs", "data-chart=\"tuning-som-stability\"");
  }

  private static List<Row> withoutTime(String warehouse) {
    return TestSpark.session().read().parquet(warehouse + "/tuning_runs").orderBy("run").drop("seconds").collectAsList();
  }

  @Test
  void aBadSweepValueIsOneLineNamingTheKey() {
    CliRunner.Result seeds = CliRunner.run("tune", "--warehouse", dir.toString(), "--set", "tune.seeds=1,x");
    assertThat(seeds.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(seeds.err()).contains("tune.seeds").contains("expected whole numbers separated by commas");
    CliRunner.Result k = CliRunner.run("tune", "--warehouse", dir.toString(), "--set", "tune.k=4..10;1");
    assertThat(k.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(k.err()).contains("tune.k").contains("each at least 2");
    CliRunner.Result grid = CliRunner.run("tune", "--warehouse", dir.toString(), "--set", "tune.som.grid=8x8;big");
    assertThat(grid.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(grid.err()).contains("tune.som.grid").contains("expected auto or ROWSxCOLS");
    CliRunner.Result features =
        CliRunner.run("tune", "--warehouse", dir.toString(), "--set", "tune.features=recency,frequency;recency,color");
    assertThat(features.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(features.err()).contains("tune.features").contains("unknown feature 'color'");
    CliRunner.Result twice = CliRunner.run("tune", "--warehouse", dir.toString(), "--set", "tune.seeds=1,2,1");
    assertThat(twice.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(twice.err()).contains("tune.seeds").contains("seed 1 is listed twice");
  }
}
