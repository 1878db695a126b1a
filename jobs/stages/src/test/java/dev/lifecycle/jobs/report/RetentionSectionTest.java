package dev.lifecycle.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.table.RetentionCurvesTable;
import dev.lifecycle.spark.test.TestSpark;
import java.sql.Date;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The retention section when no cohort has a fitted curve to draw (one-time buyers only). */
class RetentionSectionTest {
  @Test
  void withNoFittedCohortItSaysSoInsteadOfDrawingNone() {
    Date cohort = Date.valueOf("2025-01-01");
    List<Row> observed =
        List.of(
            RowFactory.create(cohort, "all", "kaplan_meier", 0, cohort, 1.0, 140L, null, null, false),
            RowFactory.create(cohort, "all", "kaplan_meier", 1, Date.valueOf("2025-02-01"), 0.0, 5L, null, 0.0, false));
    ReportPage page = new ReportPage("t", "s");

    new RetentionSection(
            Optional.of(TestSpark.session().createDataFrame(observed, RetentionCurvesTable.SPEC.schema())), true)
        .draw(page);

    assertThat(page.html())
        .contains("Retention: no cohort has a fitted model and at least 4 observed periods to draw")
        .doesNotContain("the 0 largest cohorts", "data-chart=\"retention-curves\"");
  }
}
