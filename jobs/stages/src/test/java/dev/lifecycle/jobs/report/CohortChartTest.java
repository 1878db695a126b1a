package dev.lifecycle.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import java.sql.Date;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The cohort heatmap's share active counts every customer of the cohort, also those of a cohort
 * segment with no row in a period (nobody of it was active then).
 */
class CohortChartTest {
  @Test
  void aSegmentWithoutActiveCustomersStillCountsInTheCohort() {
    StructType schema =
        new StructType()
            .add("cohort", DataTypes.DateType)
            .add("cohort_segment", DataTypes.StringType)
            .add("period", DataTypes.IntegerType)
            .add("cohort_customers", DataTypes.LongType)
            .add("customers_active", DataTypes.LongType);
    Date january = Date.valueOf("2024-01-01");
    // Segment a: 30 customers, 10 active in period 1. Segment b: 10 customers, none active then.
    List<Row> rows =
        List.of(
            RowFactory.create(january, "a", 0, 30L, 30L),
            RowFactory.create(january, "b", 0, 10L, 10L),
            RowFactory.create(january, "a", 1, 30L, 10L));
    ReportPage page = new ReportPage("t", "s");
    new CohortsSection(Optional.of(TestSpark.session().createDataFrame(rows, schema))).draw(page);
    assertThat(page.html()).contains("2024-01-01, 0: 1.00", "2024-01-01, 1: 0.25").doesNotContain("2024-01-01, 1: 0.33");
  }
}
