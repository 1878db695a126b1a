package dev.lifecycle.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.test.TestSpark;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The headline names each CLV model with its status in clv_models unless it is plainly fitted. */
class HeadlineSectionTest {
  private static ClvModelsTable.Model model(String name, String status) {
    return new ClvModelsTable.Model(
        name, status, Map.of(), null, null, null, 2L, "week", null, new ClvModelsTable.Total(1.0, null, null), null, null);
  }

  @Test
  void aModelOnItsBoundsOrNotFittedSaysSo() {
    Tallies features =
        Tallies.of(
            TestSpark.session()
                .createDataFrame(
                    List.of(RowFactory.create("a", 5.0), RowFactory.create("b", 7.0)),
                    new StructType().add("customer_id", DataTypes.StringType).add("current_spend", DataTypes.DoubleType)),
            HeadlineSection.FEATURES);
    ReportPage page = new ReportPage("t", "s");

    new HeadlineSection(
            Optional.of(features), Optional.empty(),
            Optional.of(model("bg_nbd", "fitted; r and alpha at their bounds, no standard errors")),
            Optional.of(model("gamma_gamma", "not fitted: spend does not vary")), Optional.empty(), 90)
        .draw(page);
    ReportPage plain = new ReportPage("t", "s");
    new HeadlineSection(
            Optional.of(features), Optional.empty(), Optional.of(model("bg_nbd", "fitted")),
            Optional.of(model("gamma_gamma", "fitted")), Optional.empty(), 90)
        .draw(plain);

    assertThat(page.html())
        .contains(
            "<td>purchase model</td><td>bg_nbd (fitted; r and alpha at their bounds, no standard errors)</td>",
            "<td>spend model</td><td>gamma_gamma (not fitted: spend does not vary)</td>");
    assertThat(plain.html()).contains("<td>purchase model</td><td>bg_nbd</td>", "<td>spend model</td><td>gamma_gamma</td>");
  }
}
