package dev.lifecycle.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The P(alive) chart's columns span the ages of the customers who have a P(alive): the oldest
 * customer of customer_features, without one, does not stretch them.
 */
class PAliveChartTest {
  private static final StructType SCORES =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("p_alive", DataTypes.DoubleType)
          .add("clv", DataTypes.DoubleType)
          .add("lifecycle_stage", DataTypes.StringType)
          .add("lifecycle_pattern", DataTypes.StringType)
          .add("value_quadrant", DataTypes.StringType)
          .add("strategy", DataTypes.StringType);
  private static final StructType FEATURES =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("btyd_x", DataTypes.LongType)
          .add("btyd_t_x", DataTypes.DoubleType)
          .add("btyd_t", DataTypes.DoubleType);

  private final SparkSession spark = TestSpark.session();

  private String chart(Double oldestPAlive) {
    Dataset<Row> scores =
        spark.createDataFrame(
            List.of(
                RowFactory.create("a", 0.9, 10.0, "active", null, null, null),
                RowFactory.create("b", 0.5, 20.0, "active", null, null, null),
                RowFactory.create("old", oldestPAlive, null, "lost", null, null, null)),
            SCORES);
    Dataset<Row> features =
        spark.createDataFrame(
            List.of(
                RowFactory.create("a", 2L, 30.0, 48.0),
                RowFactory.create("b", 1L, 10.0, 24.0),
                RowFactory.create("old", 0L, 0.0, 96.0)),
            FEATURES);
    ReportPage page = new ReportPage("t", "s");
    new ValueSection(
            Optional.of(Tallies.of(scores, ValueSection.SCORES)), Optional.of(Tallies.of(features, ValueSection.FEATURES)),
            Optional.of("pareto_nbd"))
        .draw(page);
    String html = page.html();
    int at = html.indexOf("data-chart=\"p-alive\"");
    assertThat(at).as("the P(alive) chart is drawn").isNotNegative();
    return html.substring(at, html.indexOf("</figure>", at));
  }

  @Test
  void theColumnsSpanTheAgesOfTheCustomersWithAPAlive() {
    // Twelve columns of 48 / 12 = 4: the last starts at 44; a's t_x of 30 falls in the eighth (28)
    assertThat(chart(null)).contains(">44<", "28: 0.90").doesNotContain(">88<");
    // With the oldest customer's P(alive), 96 / 12 = 8: the last column starts at 88
    assertThat(chart(0.1)).contains(">88<", "24: 0.90").doesNotContain(">44<");
  }
}
