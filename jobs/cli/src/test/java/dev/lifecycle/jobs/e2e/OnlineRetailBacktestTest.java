package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UCI Online Retail through {@code backtest}, in weeks: calibration to 2011-09-09, holdout to
 * 2011-12-09. The rows after the snapshot (a quarter of them) are excluded, not rejected, so the
 * quality gate passes. ({@code run} with a holdout runs the same stage: CdnowBacktestTest.)
 */
@Tag("e2e")
class OnlineRetailBacktestTest {
  @TempDir Path dir;

  @Test
  void theGatePassesAndEveryModelHasEveryRowKind() {
    String warehouse = dir.resolve("warehouse").toString();
    CliRunner.Result run =
        CliRunner.run(
            SampleRun.concat(
                new String[] {"backtest", "--input", OnlineRetailTest.parquet(), "--warehouse", warehouse},
                SampleRun.concat(
                    OnlineRetailTest.COLUMNS, "--as-of", "2011-09-09", "--holdout-until", "2011-12-09", "--set",
                    "features.time-unit=week", "--set", "clv.purchase-model=auto")));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("clv_validation", "customer_features");
    List<Row> rows = TestSpark.session().read().parquet(warehouse + "/clv_validation").collectAsList();
    Map<String, List<String>> kinds =
        rows.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.<String>getAs("model"),
                    Collectors.mapping(r -> r.<String>getAs("kind"), Collectors.toList())));
    for (String model : List.of("bg_nbd", "mbg_nbd", "pareto_nbd")) {
      assertThat(kinds.get(model)).as(model).contains("by_frequency", "tracking", "p_alive_decile", "summary");
    }
    assertThat(kinds.get("gamma_gamma")).contains("spend", "summary");
    // Nine months of calibration show no drop-out: each model ends on its drop-out bounds, the NBD
    Map<String, String> statuses =
        rows.stream()
            .filter(r -> "status".equals(r.getAs("key")))
            .collect(Collectors.toMap(r -> r.<String>getAs("model"), r -> r.<String>getAs("status")));
    assertThat(statuses)
        .containsEntry("bg_nbd", "fitted; a and b at their bounds, no standard errors")
        .containsEntry("mbg_nbd", "fitted; a and b at their bounds, no standard errors")
        .containsEntry("pareto_nbd", "fitted; s and beta at their bounds, no standard errors");
    rows.stream()
        .filter(r -> r.getAs("kind").equals("summary"))
        .filter(r -> List.of("mae", "total_error_percent", "tracking_mae", "spend_error_percent").contains(r.getAs("key")))
        .forEach(r -> System.out.printf("Online Retail backtest %s %s = %s%n", r.getAs("model"), r.getAs("key"), r.getAs("value")));
    Row manifest = TestSpark.session().read().parquet(warehouse + "/run_manifest").first();
    assertThat(manifest.<Long>getAs("rows_excluded")).isPositive();

    // auto on the calibration's own split (2011-06-11): all three are the NBD there, a tie to
    // rounding that BG/NBD, the first candidate, wins; so no worse on the holdout than BG/NBD
    CliRunner.Result clv =
        CliRunner.run(
            "clv", "--warehouse", warehouse, "--as-of", "2011-09-09", "--set", "features.time-unit=week",
            "--set", "clv.purchase-model=auto");
    assertThat(clv.exitCode()).as(clv.err()).isZero();
    Row chosen = TestSpark.session().read().parquet(warehouse + "/clv_models").where("model != 'gamma_gamma'").first();
    String model = chosen.getAs("model");
    Map<String, Double> mae =
        rows.stream()
            .filter(r -> "mae".equals(r.getAs("key")))
            .collect(Collectors.toMap(r -> r.<String>getAs("model"), r -> r.<Double>getAs("value")));
    System.out.printf("Online Retail auto: %s; holdout MAE %s%n", chosen.<String>getAs("selection"), mae);
    assertThat(model).isEqualTo("bg_nbd");
    assertThat(chosen.<String>getAs("selection"))
        .contains("lowest mean absolute error: bg_nbd ", "(bg_nbd, mbg_nbd, pareto_nbd tie to a relative 1e-6; the first listed wins)");
    assertThat(mae.get(model)).isLessThanOrEqualTo(mae.get("bg_nbd"));
  }
}
