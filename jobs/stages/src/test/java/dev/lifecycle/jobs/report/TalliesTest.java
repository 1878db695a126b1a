package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.spark.test.TestSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The report's tallies of a table, all in two queries, are what a query for each gives: the
 * histograms' bins (nulls left out, linear bins over the column's range, log bins of log10(1 + x)),
 * the groupings' counts and sums (nulls a group of their own), and the scalars.
 */
class TalliesTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("days", DataTypes.IntegerType)
          .add("spend", DataTypes.DoubleType)
          .add("stage", DataTypes.StringType)
          .add("quadrant", DataTypes.StringType);

  private static final Tallies.Spec SPEC =
      Tallies.Spec.none()
          .scalar("customers", count(lit(1)))
          .scalar("oldest", max("days"))
          .histogram("days", col("days"), false)
          .histogram("spend", col("spend"), true)
          .grouping("stages", "stage")
          .grouping("cells", "stage", "quadrant")
          .grouping("cells again", "quadrant", "stage")
          .sum("spend", sum("spend"));

  private static Dataset<Row> table(List<Row> rows) {
    return TestSpark.session().createDataFrame(rows, SCHEMA);
  }

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    String[] stages = {"new", "active", "lost", null};
    for (int i = 0; i < 200; i++) {
      rows.add(
          RowFactory.create(
              "c" + i,
              i % 17 == 0 ? null : (i * 37) % 365,
              i % 13 == 0 ? null : i % 11 == 0 ? -5.0 : Math.pow(2, i % 20), // sums exact in any order
              stages[i % 4],
              i % 3 == 0 ? null : "q" + (i % 2)));
    }
    return rows;
  }

  @Test
  void countsAsAQueryForEachChartDoes() {
    Dataset<Row> table = table(rows());
    Tallies tallies = Tallies.of(table, SPEC);

    assertThat(tallies.scalar("customers")).isEqualTo(200L);
    assertThat(tallies.scalar("oldest")).isEqualTo(table.agg(max("days")).first().get(0));

    // The bins as the report has always drawn them, computed here row by row
    List<Row> rows = rows();
    double lo = rows.stream().filter(r -> !r.isNullAt(1)).mapToInt(r -> r.getInt(1)).min().orElseThrow();
    double hi = rows.stream().filter(r -> !r.isNullAt(1)).mapToInt(r -> r.getInt(1)).max().orElseThrow();
    TreeMap<Long, Long> dayBins = new TreeMap<>();
    TreeMap<Long, Long> spendBins = new TreeMap<>();
    for (Row r : rows) {
      if (!r.isNullAt(1)) {
        dayBins.merge((long) Math.min(Math.floor((r.getInt(1) - lo) / ((hi - lo) / 20)), 19), 1L, Long::sum);
      }
      if (!r.isNullAt(2)) {
        spendBins.merge((long) Math.floor(Math.log10(Math.max(r.getDouble(2), 0) + 1) * 4), 1L, Long::sum);
      }
    }
    Tallies.Bins days = tallies.histogram("days");
    assertThat(days.log()).isFalse();
    assertThat(days.min()).isEqualTo(lo);
    assertThat(days.max()).isEqualTo(hi);
    assertThat(days.counts()).isEqualTo(dayBins).containsKey(19L);
    assertThat(days.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(200 - 12); // 12 nulls

    Tallies.Bins spend = tallies.histogram("spend");
    assertThat(spend.log()).isTrue();
    assertThat(spend.counts()).isEqualTo(spendBins);
    assertThat(spend.counts()).containsKey(0L); // the negative spends, counted as 0

    Map<String, String> stages =
        groups(table.groupBy("stage").agg(count(lit(1)).as("n"), sum("spend").as("spend")).collectAsList(), "stage");
    assertThat(groups(tallies.grouping("stages"), "stage")).isEqualTo(stages).containsKey("null");
    Map<String, String> cells =
        groups(
            table.groupBy("stage", "quadrant").agg(count(lit(1)).as("n"), sum("spend").as("spend")).collectAsList(),
            "stage", "quadrant");
    assertThat(groups(tallies.grouping("cells"), "stage", "quadrant")).isEqualTo(cells).containsKey("null/null").hasSize(8);
    assertThat(groups(tallies.grouping("cells again"), "stage", "quadrant")).isEqualTo(cells);
  }

  @Test
  void anEmptyTableHasNoBinsNorGroups() {
    Tallies tallies = Tallies.of(table(List.of()), SPEC);
    assertThat(tallies.scalar("customers")).isEqualTo(0L);
    assertThat(tallies.scalar("oldest")).isNull();
    assertThat(tallies.histogram("days").isEmpty()).isTrue();
    assertThat(tallies.histogram("spend").isEmpty()).isTrue();
    assertThat(tallies.grouping("cells")).isEmpty();
  }

  @Test
  void aNameIsDeclaredOnceAndAskedForAsDeclared() {
    assertThatThrownBy(() -> SPEC.and(Tallies.Spec.none().grouping("stages", "quadrant")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tally stages declared twice");
    assertThatThrownBy(() -> Tallies.of(table(rows()), SPEC).histogram("stages"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No tally stages");
  }

  /** Each group's count and sum by its values, as text. */
  private static Map<String, String> groups(List<Row> rows, String... columns) {
    return rows.stream()
        .collect(
            Collectors.toMap(
                r -> Arrays.stream(columns).map(c -> String.valueOf(r.<Object>getAs(c))).collect(Collectors.joining("/")),
                r -> r.getAs("n") + " " + r.getAs("spend")));
  }
}
