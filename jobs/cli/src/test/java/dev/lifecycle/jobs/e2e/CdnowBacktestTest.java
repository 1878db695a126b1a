package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.clv.BgNbd;
import dev.lifecycle.core.clv.ParetoNbd;
import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CDNOW sample through {@code lifecycle run} with a holdout, as a new user would run it:
 * weeks, calibration to 1997-09-30, holdout to 1998-06-30 (39 weeks), {@code input.duplicates =
 * keep}, {@code clv.purchase-model = auto}; the backtest runs as a stage of the run. The actual holdout
 * purchases are checked against DuckDB counting purchase days in the raw text file on its own, and
 * the predictions against the closed form.
 */
@Tag("e2e")
class CdnowBacktestTest {
  @TempDir static Path dir;
  private static Map<String, Row> rows;
  private static String warehouse;

  @BeforeAll
  static void backtest() {
    SparkSession spark = TestSpark.session();
    String parquet = dir.resolve("cdnow").toString();
    CdnowSample.transactions(spark).write().parquet(parquet);
    warehouse = dir.resolve("warehouse").toString();
    CliRunner.Result result =
        CliRunner.run(
            "run", "--input", parquet, "--warehouse", warehouse, "--as-of", "1997-09-30",
            "--holdout-until", "1998-06-30",
            "--set", "input.columns.customer-id=customer",
            "--set", "input.columns.timestamp=date",
            "--set", "input.columns.amount=dollars",
            "--set", "features.time-unit=week",
            "--set", "input.duplicates=keep",
            "--set", "clv.purchase-model=auto");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("clv_validation", "customer_scores");
    rows = new HashMap<>();
    for (Row row : spark.read().parquet(warehouse + "/clv_validation").collectAsList()) {
      rows.put(row.getAs("model") + "/" + row.getAs("kind") + "/" + row.getAs("key"), row);
    }
    rows.keySet().stream().filter(key -> key.contains("/summary/") || key.contains("/by_frequency/")).sorted()
        .forEach(key -> System.out.printf("%s: %s%n", key, rows.get(key)));
  }

  @Test
  void actualHoldoutPurchasesAreDuckDbsCountByFrequency() throws SQLException {
    Map<String, long[]> duck = new HashMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      String sample = SharedData.file("cdnow/CDNOW_sample.txt").toString().replace("'", "''");
      // columns: original id, sample id, date, CDs, dollars; purchase days per customer
      ResultSet result =
          statement.executeQuery(
              "WITH t AS (SELECT split_part(trim(regexp_replace(line, '\\s+', ' ', 'g')), ' ', 2) AS customer,"
                  + " strptime(split_part(trim(regexp_replace(line, '\\s+', ' ', 'g')), ' ', 3), '%Y%m%d')::DATE AS day"
                  + " FROM read_csv('" + sample + "', columns = {'line': 'VARCHAR'}, header = false, delim = '\\0')),"
                  + " c AS (SELECT customer, count(DISTINCT day) FILTER (day <= DATE '1997-09-30') - 1 AS x,"
                  + " count(DISTINCT day) FILTER (day > DATE '1997-09-30' AND day <= DATE '1998-06-30') AS holdout"
                  + " FROM t GROUP BY customer)"
                  + " SELECT CASE WHEN x >= 7 THEN '7+' ELSE x::VARCHAR END AS bucket, count(*), sum(holdout)"
                  + " FROM c GROUP BY bucket");
      while (result.next()) {
        duck.put(result.getString(1), new long[] {result.getLong(2), result.getLong(3)});
      }
    }
    long total = 0;
    for (String bucket : List.of("0", "1", "2", "3", "4", "5", "6", "7+")) {
      Row row = rows.get("bg_nbd/by_frequency/" + bucket);
      long[] counted = duck.get(bucket);
      assertThat(row.<Long>getAs("customers")).as("customers at x = %s", bucket).isEqualTo(counted[0]);
      assertThat(row.<Double>getAs("actual") * counted[0]).as("holdout at x = %s", bucket).isCloseTo(counted[1], within(1e-9));
      total += counted[1];
    }
    // 1,882 purchase days; Fader, Hardie & Lee count 1,788, weeks with a purchase
    assertThat(total).isEqualTo(1882);
    assertThat(rows.get("bg_nbd/summary/actual_total").<Double>getAs("value")).isEqualTo(1882.0);
  }

  @Test
  void predictionsAreTheClosedFormAtTheCalibratedParameters() {
    for (String model : List.of("bg_nbd", "pareto_nbd")) {
      double[] p = new double[4];
      String[] names = model.equals("bg_nbd") ? new String[] {"r", "alpha", "a", "b"} : new String[] {"r", "alpha", "s", "beta"};
      for (int i = 0; i < 4; i++) {
        p[i] = rows.get(model + "/summary/parameter_" + names[i]).<Double>getAs("value");
      }
      double[][] buckets = new double[8][2];
      for (Row c :
          TestSpark.session().read().parquet(warehouse + "/customer_features")
              .select("btyd_x", "btyd_t_x", "btyd_T").collectAsList()) {
        double x = c.getLong(0);
        double[] bucket = buckets[(int) Math.min(x, 7)];
        bucket[0]++;
        bucket[1] +=
            model.equals("bg_nbd")
                ? BgNbd.conditionalExpectedPurchases(p, 39, x, c.getDouble(1), c.getDouble(2))
                : ParetoNbd.conditionalExpectedPurchases(p, 39, x, c.getDouble(1), c.getDouble(2));
      }
      for (int x = 0; x < 8; x++) {
        Row row = rows.get(model + "/by_frequency/" + (x == 7 ? "7+" : Integer.toString(x)));
        assertThat(row.<Double>getAs("predicted")).as("%s at x = %s", model, x).isCloseTo(buckets[x][1] / buckets[x][0], within(1e-6));
      }
    }
    // The calibration fits are the published ones (BgNbdTest, ParetoNbdTest)
    assertThat(rows.get("bg_nbd/summary/log_likelihood").<Double>getAs("value")).isCloseTo(-9582.43, within(0.01));
    assertThat(rows.get("pareto_nbd/summary/log_likelihood").<Double>getAs("value")).isCloseTo(-9594.97, within(0.01));
  }

  @Test
  void everyModelHasEveryRowKindAndTheTrackingEndsAtTheHoldoutTotal() {
    for (String model : List.of("bg_nbd", "mbg_nbd", "pareto_nbd")) {
      for (String kind : List.of("by_frequency", "tracking", "p_alive_decile", "summary")) {
        assertThat(rows.keySet()).as(model + " " + kind).anyMatch(key -> key.startsWith(model + "/" + kind + "/"));
      }
      // 78 weeks from 1997-01-01 to 1998-06-30
      Row last = rows.get(model + "/tracking/78");
      assertThat(last).isNotNull();
      assertThat(rows.get(model + "/tracking/79")).isNull();
      // Repeat purchase days in calibration plus the holdout's 1,882
      Row calibrationEnd = rows.get(model + "/tracking/39");
      assertThat(last.<Double>getAs("actual_cumulative") - calibrationEnd.<Double>getAs("actual_cumulative"))
          .isEqualTo(1882.0);
    }
    assertThat(rows.get("bg_nbd/summary/tracking_mae").<Double>getAs("value")).isPositive();
    assertThat(rows.get("bg_nbd/summary/status").<String>getAs("status")).isEqualTo("fitted");
    assertThat(rows.get("gamma_gamma/spend/holdout_buyers").<Long>getAs("customers")).isPositive();
    assertThat(rows.get("gamma_gamma/summary/spend_error_percent").<Double>getAs("value")).isFinite();
  }

  /**
   * auto fits every candidate to 1997-07-02 (90 days before the snapshot), keeps the one with the
   * lowest error on the purchase days after, and records every candidate's error; on the real
   * holdout the chosen model does no worse than BG/NBD.
   */
  @Test
  void autoChoosesTheLowestErrorOnASplitOfTheCalibration() {
    Row purchase =
        TestSpark.session().read().parquet(warehouse + "/clv_models").where("model != 'gamma_gamma'").first();
    String chosen = purchase.getAs("model");
    Map<String, Double> errors = purchase.getJavaMap(purchase.fieldIndex("holdout_errors"));
    System.out.printf("auto on CDNOW: %s; %s%n", chosen, purchase.<String>getAs("selection"));

    assertThat(errors).containsOnlyKeys("bg_nbd", "mbg_nbd", "pareto_nbd");
    assertThat(errors.get(chosen)).isEqualTo(errors.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow());
    assertThat(purchase.<String>getAs("selection"))
        .startsWith("auto: each candidate fitted to 90 days before the snapshot and scored on the 2,357 customers'")
        .contains("lowest mean absolute error: " + chosen + " ");
    double chosenMae = rows.get(chosen + "/summary/mae").<Double>getAs("value");
    double bgNbdMae = rows.get("bg_nbd/summary/mae").<Double>getAs("value");
    System.out.printf("holdout MAE: %s %.4f, bg_nbd %.4f%n", chosen, chosenMae, bgNbdMae);
    assertThat(chosenMae).isLessThanOrEqualTo(bgNbdMae);
  }

  @Test
  void theReportHasAForecastAccuracySection() throws IOException {
    String html = Files.readString(ReportRenderTest.page(warehouse, false));

    assertThat(html)
        .contains(
            "<h2>Forecast accuracy</h2>", "data-chart=\"forecast-by-frequency\"", "data-chart=\"forecast-tracking\"",
            "data-chart=\"forecast-p-alive\"", "data-table=\"forecast-metrics\"", "data-table=\"forecast-spend\"",
            "<td>mbg_nbd</td>");
    // The headline: the model that scored and its holdout error, from clv_validation
    String headline = html.substring(html.indexOf("data-table=\"headline\""), html.indexOf("</table>"));
    assertThat(headline)
        .contains(
            "<td>customers</td><td>2,357</td>",
            "<td>purchase model</td><td>" + chosenModel() + "</td>",
            "<td>predicted CLV total, P10 to P90 (parameter uncertainty)</td>")
        .contains(String.format(java.util.Locale.ROOT, "<td>holdout total error</td><td>%+.1f%%</td>",
            rows.get(chosenModel() + "/summary/total_error_percent").<Double>getAs("value")));
  }

  private static String chosenModel() {
    return TestSpark.session().read().parquet(warehouse + "/clv_models").where("model != 'gamma_gamma'").first().getAs("model");
  }
}
