package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BTYD summary of the CDNOW sample as of 1997-09-30 in weeks equals the published one
 * (cdnow_customers_summary_with_transactions.csv, as shipped with lifetimes) for all 2,357
 * customers: x, t_x and T, and z̄, the mean value of the repeat purchase days.
 */
@Tag("e2e")
class CdnowSummaryTest {
  @TempDir Path dir;

  @Test
  void btydSummaryEqualsThePublishedOne() throws IOException {
    SparkSession spark = TestSpark.session();
    String parquet = dir.resolve("cdnow").toString();
    CdnowSample.transactions(spark).write().parquet(parquet);
    String warehouse = dir.resolve("warehouse").toString();

    CliRunner.Result result =
        CliRunner.run(
            "features", "--input", parquet, "--warehouse", warehouse, "--as-of", "1997-09-30",
            "--set", "input.columns.customer-id=customer",
            "--set", "input.columns.timestamp=date",
            "--set", "input.columns.amount=dollars",
            "--set", "features.time-unit=week",
            // CDNOW has no order id, and identical rows are separate purchases of the same CD
            "--set", "input.duplicates=keep",
            "--set", "quality.max-rejected-share=1");
    assertThat(result.exitCode()).as(result.err()).isZero();

    Map<String, Row> ours = new HashMap<>();
    spark.read().parquet(warehouse + "/customer_features").collectAsList()
        .forEach(r -> ours.put(r.getAs("customer_id"), r));
    List<String> published =
        Files.readAllLines(SharedData.file("cdnow/cdnow_customers_summary_with_transactions.csv"));

    assertThat(published).hasSize(2358);
    assertThat(ours).hasSize(2357);
    for (String line : published.subList(1, published.size())) {
      String[] f = line.split(",");
      Row row = ours.get(f[0]);
      assertThat(row).as("customer %s", f[0]).isNotNull();
      assertThat(row.<Long>getAs("btyd_x")).as("x of %s", f[0]).isEqualTo(Long.parseLong(f[1]));
      assertThat(row.<Double>getAs("btyd_t_x"))
          .as("t_x of %s", f[0])
          .isCloseTo(Double.parseDouble(f[2]), within(0.005 + 1e-9));
      assertThat(row.<Double>getAs("btyd_T"))
          .as("T of %s", f[0])
          .isCloseTo(Double.parseDouble(f[3]), within(0.005 + 1e-9));
      if (row.<Long>getAs("btyd_x") > 0) {
        assertThat(row.<Double>getAs("repeat_value_avg"))
            .as("zbar of %s", f[0])
            .isCloseTo(Double.parseDouble(f[4]), within(0.005 + 1e-9));
      }
    }
  }
}
