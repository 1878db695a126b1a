package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Churn propensity on the public data and on a sample with planted dropout: the labels the models
 * learn from equal an independent DuckDB computation of "no purchase in the horizon after the
 * cut", the three models' AUCs are reported side by side, a saved model scores exactly as the one
 * that was trained, and bad settings are one line with their exit code.
 */
@Tag("e2e")
class PropensityTest {
  @TempDir Path dir;

  private final SparkSession spark = TestSpark.session();

  @Test
  void cdnowAtTheBacktestsCutOf1997_09_30() throws SQLException {
    String parquet = dir.resolve("cdnow").toString();
    CdnowSample.transactions(spark).write().parquet(parquet);
    String warehouse = dir.resolve("warehouse").toString();
    // 39 weeks after the cut: 1998-06-30, the end of CDNOW's holdout
    CliRunner.Result run =
        CliRunner.run(
            "propensity", "--input", parquet, "--warehouse", warehouse, "--as-of", "1998-06-30",
            "--set", "propensity.horizon-days=273",
            "--set", "input.columns.customer-id=customer",
            "--set", "input.columns.timestamp=date",
            "--set", "input.columns.amount=dollars",
            "--set", "features.time-unit=week",
            "--set", "input.duplicates=keep");
    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, Boolean> duck = new HashMap<>();
    String sample = SharedData.file("cdnow/CDNOW_sample.txt").toString().replace("'", "''");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = connection.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "WITH t AS (SELECT split_part(trim(regexp_replace(line, '\\s+', ' ', 'g')), ' ', 2)::INT::VARCHAR AS customer,"
                    + " strptime(split_part(trim(regexp_replace(line, '\\s+', ' ', 'g')), ' ', 3), '%Y%m%d')::DATE AS day"
                    + " FROM read_csv('" + sample + "', columns = {'line': 'VARCHAR'}, header = false, delim = '\\0'))"
                    + " SELECT customer, count(*) FILTER (day > DATE '1997-09-30' AND day <= DATE '1998-06-30') = 0"
                    + " FROM t GROUP BY customer HAVING min(day) <= DATE '1997-09-30'")) {
      while (rs.next()) {
        duck.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    assertLabels(warehouse, duck, 2357);
    report("CDNOW", warehouse);
  }

  @Test
  void onlineRetailAtTheBacktestsCutOf2011_09_09() throws SQLException {
    String warehouse = dir.resolve("warehouse").toString();
    CliRunner.Result run =
        CliRunner.run(
            SampleRun.concat(
                new String[] {"propensity", "--input", OnlineRetailTest.parquet(), "--warehouse", warehouse},
                SampleRun.concat(
                    OnlineRetailTest.COLUMNS, "--as-of", "2011-12-09", "--set", "propensity.horizon-days=91", "--set",
                    "features.time-unit=week")));
    assertThat(run.exitCode()).as(run.err()).isZero();
    // Identical rows once (input.duplicates = reject), returns out, zero amounts kept as purchases
    Map<String, Boolean> duck = new HashMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = connection.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "WITH kept AS (SELECT DISTINCT * FROM " + OnlineRetailTest.readCsv() + " WHERE CustomerID IS NOT NULL),"
                    + " bought AS (SELECT CustomerID, InvoiceDate::DATE AS day FROM kept WHERE Quantity * UnitPrice >= 0)"
                    + " SELECT CustomerID, count(*) FILTER (day > DATE '2011-09-09' AND day <= DATE '2011-12-09') = 0"
                    + " FROM bought GROUP BY CustomerID HAVING min(day) <= DATE '2011-09-09'")) {
      while (rs.next()) {
        duck.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    assertLabels(warehouse, duck, duck.size());
    report("Online Retail", warehouse);
  }

  @Test
  void onPlantedDropoutThePerceptronRanksWellAndItsSavedModelScoresTheSame() {
    String[] input = SampleRun.generated(dir, 3000, 3);
    String trained = dir.resolve("trained").toString();
    String model = dir.resolve("model").toString();
    CliRunner.Result train =
        CliRunner.run(SampleRun.concat(new String[] {"propensity", "--warehouse", trained, "--propensity-model-out", model}, input));
    assertThat(train.exitCode()).as(train.err()).isZero();
    Map<String, Row> models = report("sample with planted dropout", trained);
    assertThat(models.get("mlp").<Double>getAs("auc")).isGreaterThanOrEqualTo(0.75);

    String scored = dir.resolve("scored").toString();
    CliRunner.Result load =
        CliRunner.run(SampleRun.concat(new String[] {"propensity", "--warehouse", scored, "--propensity-model-in", model}, input));
    assertThat(load.exitCode()).as(load.err()).isZero();
    Dataset<Row> before = spark.read().parquet(trained + "/customer_churn").select("customer_id", "churn_probability", "churn_model");
    Dataset<Row> after = spark.read().parquet(scored + "/customer_churn").select("customer_id", "churn_probability", "churn_model");
    assertThat(before.count()).isEqualTo(3000);
    assertThat(before.exceptAll(after).count()).as("trained, not loaded").isZero();
    assertThat(after.exceptAll(before).count()).as("loaded, not trained").isZero();
    Row loaded = spark.read().parquet(scored + "/propensity_models").first();
    assertThat(loaded.<String>getAs("status")).isEqualTo("loaded from " + model);
    assertThat(spark.read().parquet(scored + "/customer_churn").where(col("churned_since_cut").isNotNull()).count())
        .as("no labels without training")
        .isZero();

    // A run of the snapshot with propensity off (the default) keeps none of those churn scores to join
    CliRunner.Result plain = CliRunner.run(SampleRun.concat(new String[] {"run", "--warehouse", scored}, input));
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(spark.read().parquet(scored + "/customer_scores").where(col("churn_probability").isNotNull()).count())
        .isZero();
    for (String table : List.of("customer_churn", "propensity_models")) {
      assertThat(dir.resolve("scored").resolve(table).resolve("snapshot_date=2025-12-31")).as(table).doesNotExist();
    }
  }

  @Test
  void badSettingsAreOneLineWithTheirExitCode() {
    String parquet = dir.resolve("cdnow").toString();
    CdnowSample.transactions(spark).write().parquet(parquet);
    String[] cdnow = {
      "--input", parquet, "--warehouse", dir.resolve("warehouse").toString(),
      "--set", "input.columns.customer-id=customer", "--set", "input.columns.timestamp=date",
      "--set", "input.columns.amount=dollars", "--set", "input.duplicates=keep"
    };
    CliRunner.Result layers = CliRunner.run(SampleRun.concat(new String[] {"propensity", "--set", "propensity.hidden-layers=8,x"}, cdnow));
    assertThat(layers.exitCode()).isEqualTo(2);
    assertThat(layers.err().strip())
        .isEqualTo(
            "lifecycle: Invalid value '8,x' for config key 'propensity.hidden-layers' (from --set): expected a list of positive whole"
                + " numbers (units per hidden layer, at most 1000), e.g. 8 or 16,8; 'x' is not one");
    CliRunner.Result horizon = CliRunner.run(SampleRun.concat(new String[] {"propensity", "--set", "propensity.horizon-days=0"}, cdnow));
    assertThat(horizon.exitCode()).isEqualTo(2);
    assertThat(horizon.err().strip()).contains("'propensity.horizon-days'").doesNotContain("\n");
    // CDNOW ends in June 1998: by a cut in 1999 every customer has churned
    CliRunner.Result everyone =
        CliRunner.run(SampleRun.concat(new String[] {"propensity", "--as-of", "2000-01-01"}, cdnow));
    assertThat(everyone.exitCode()).isEqualTo(4);
    assertThat(everyone.err().strip())
        .isEqualTo(
            "lifecycle: Cannot learn churn propensity at cut 1999-10-03: every one of the 2357 customers by then bought nothing in"
                + " the 90 days after it (propensity.horizon-days); the models need both outcomes");
    // Not ingest's gate: the tables features and clv staged before it are not published
    for (String table : List.of("customer_features", "clv_models", "transactions_rejected")) {
      assertThat(dir.resolve("warehouse").resolve(table).resolve("snapshot_date=2000-01-01")).as(table).doesNotExist();
    }
    // Too few held out to fill the deciles
    CliRunner.Result few =
        CliRunner.run(
            SampleRun.concat(
                new String[] {"propensity", "--as-of", "1998-06-30", "--set", "propensity.holdout-share=0.004"}, cdnow));
    assertThat(few.exitCode()).isEqualTo(4);
    assertThat(few.err().strip())
        .startsWith("lifecycle: Cannot compare churn models at cut 1998-04-01: the ")
        .endsWith("at least 20 customers with both outcomes are needed")
        .doesNotContain("\n");
  }

  /** Every customer at the cut has the label DuckDB gives, and only they have one. */
  private void assertLabels(String warehouse, Map<String, Boolean> duck, int customers) {
    Map<String, Boolean> labels = new HashMap<>();
    for (Row row : spark.read().parquet(warehouse + "/customer_churn").where(col("churned_since_cut").isNotNull()).collectAsList()) {
      labels.put(row.getAs("customer_id"), row.getAs("churned_since_cut"));
    }
    assertThat(labels).hasSize(customers);
    assertThat(labels).isEqualTo(duck);
    System.out.printf(
        "%d customers at the cut, %d churned%n", labels.size(), labels.values().stream().filter(b -> b).count());
  }

  /** The three models' rows, printed side by side; exactly the best by AUC is selected. */
  private Map<String, Row> report(String data, String warehouse) {
    Map<String, Row> models = new HashMap<>();
    for (Row row : spark.read().parquet(warehouse + "/propensity_models").collectAsList()) {
      models.put(row.getAs("model"), row);
      System.out.printf(
          "%s: %s AUC %.4f, log loss %.4f, top-decile lift %.2f, capture %.3f%s%n", data, row.getAs("model"),
          row.<Double>getAs("auc"), row.<Double>getAs("log_loss"), row.<Double>getAs("top_decile_lift"),
          row.<Double>getAs("top_decile_capture"), row.<Boolean>getAs("selected") ? " (selected)" : "");
    }
    assertThat(models.keySet()).containsExactlyInAnyOrder("mlp", "logistic_regression", "baseline_p_alive");
    double best = models.values().stream().mapToDouble(r -> r.<Double>getAs("auc")).max().orElseThrow();
    for (Row row : models.values()) {
      assertThat(row.<Double>getAs("auc")).isBetween(0.0, 1.0);
      assertThat(row.<Boolean>getAs("selected")).as(row.<String>getAs("model")).isEqualTo(row.<Double>getAs("auc") == best);
      List<Double> observed = row.getList(row.fieldIndex("decile_churn_rate"));
      assertThat(observed).hasSize(10);
    }
    return models;
  }
}
