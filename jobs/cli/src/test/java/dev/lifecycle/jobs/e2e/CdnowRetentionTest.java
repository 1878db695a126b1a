package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CDNOW master file (23,570 customers acquired January to March 1997, observed to 1998-06-30)
 * in monthly cohorts: the dynamic models chosen by AIC project the held-out last three months
 * better than constant retention.
 */
@Tag("e2e")
class CdnowRetentionTest {
  @TempDir Path dir;

  @Test
  void selectedModelsBeatConstantRetentionOnTheHoldout() {
    SparkSession spark = TestSpark.session();
    // Lines like "00001 19970101 1 11.77": customer, date, CDs, dollars; a header line first.
    Column fields = split(trim(col("value")), "\\s+");
    String parquet = dir.resolve("cdnow").toString();
    spark.read().text(SharedData.file("cdnow/CDNOW_master.txt").toString())
        .where(trim(col("value")).rlike("^[0-9]"))
        .select(
            fields.getItem(0).cast("int").as("customer"),
            to_date(fields.getItem(1), "yyyyMMdd").as("date"),
            fields.getItem(3).cast("double").as("dollars"))
        .write().parquet(parquet);
    String warehouse = dir.resolve("warehouse").toString();

    CliRunner.Result result =
        CliRunner.run(
            "retention", "--input", parquet, "--warehouse", warehouse, "--as-of", "1998-06-30",
            "--set", "input.columns.customer-id=customer",
            "--set", "input.columns.timestamp=date",
            "--set", "input.columns.amount=dollars");
    assertThat(result.exitCode()).as(result.err()).isZero();

    List<Row> models = spark.read().parquet(warehouse + "/retention_models").collectAsList();
    Map<String, List<Row>> byCohort =
        models.stream().collect(Collectors.groupingBy(r -> r.getAs("cohort").toString()));
    long activityRows = spark.read().parquet(warehouse + "/cohort_activity").count();
    long curveRows = spark.read().parquet(warehouse + "/retention_curves").count();

    assertThat(byCohort.keySet()).containsExactlyInAnyOrder("1997-01-01", "1997-02-01", "1997-03-01");
    assertThat(models).extracting(r -> r.<Long>getAs("customers")).doesNotContainNull();
    assertThat(models.stream().filter(r -> r.<Boolean>getAs("selected")).mapToLong(r -> r.<Long>getAs("customers")).sum())
        .isEqualTo(23_570);
    // 18 + 17 + 16 months of activity; curves to the 36-month horizon for each fitted model
    assertThat(activityRows).isEqualTo(18 + 17 + 16);
    assertThat(curveRows).isGreaterThan(3 * 4 * 37);
    for (List<Row> cohort : byCohort.values()) {
      Row selected = cohort.stream().filter(r -> r.<Boolean>getAs("selected")).findFirst().orElseThrow();
      Row constant = cohort.stream().filter(r -> r.getAs("model").equals("constant")).findFirst().orElseThrow();
      assertThat(selected.<String>getAs("model")).isNotEqualTo("constant");
      assertThat(selected.<Double>getAs("holdout_mape"))
          .as("cohort %s: %s against constant", selected.getAs("cohort"), selected.getAs("model"))
          .isLessThan(constant.<Double>getAs("holdout_mape"));
    }
  }
}
