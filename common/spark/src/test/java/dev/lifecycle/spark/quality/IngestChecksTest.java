package dev.lifecycle.spark.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.config.ReturnsPolicy;
import dev.lifecycle.core.config.ZeroAmountPolicy;
import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.spark.quality.IngestChecks.Check;
import dev.lifecycle.spark.quality.IngestChecks.Outcome;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The checks apply in their order, and the docs list them as the code does. */
class IngestChecksTest {
  private static final StructType PARSED =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("ts", DataTypes.StringType)
          .add("micros", DataTypes.LongType)
          .add("day", DataTypes.IntegerType)
          .add("amt", DataTypes.StringType)
          .add("amount", DataTypes.DoubleType);

  private static IngestChecks.Parsed parsed() {
    return new IngestChecks.Parsed(
        functions.col("id").isNull(), functions.col("ts"), functions.col("micros"), functions.col("day"),
        functions.col("amt"), functions.col("amount"));
  }

  @Test
  void aRowGetsTheFirstCheckItFails() {
    int snapshotDay = (int) LocalDate.of(2024, 1, 31).toEpochDay();
    Instant now = Instant.parse("2024-06-01T00:00:00Z");
    long future = ChronoUnit.MICROS.between(Instant.EPOCH, now) + 1;
    Dataset<Row> rows =
        TestSpark.session()
            .createDataFrame(
                List.of(
                    RowFactory.create(null, null, null, null, null, null), // every check fails: the first wins
                    RowFactory.create("c", "x", null, null, "1", 1.0),
                    RowFactory.create("c", "t", future, snapshotDay + 200, "abc", null),
                    RowFactory.create("c", "t", 1L, snapshotDay, "abc", null),
                    RowFactory.create("c", "t", 1L, (int) LocalDate.of(1949, 12, 31).toEpochDay(), "abc", null),
                    RowFactory.create("c", "t", 1L, (int) LocalDate.of(1950, 1, 1).toEpochDay(), "abc", null),
                    RowFactory.create("c", "t", 1L, snapshotDay, "1", Double.NaN),
                    RowFactory.create("c", "t", 1L, snapshotDay, "-2e15", -2e15),
                    RowFactory.create("c", "t", 1L, snapshotDay, "1e15", 1e15), // the largest taken
                    RowFactory.create("c", "t", 1L, snapshotDay + 1, "1", 1.0),
                    RowFactory.create("c", "t", 1L, snapshotDay + 1, "-1", -1.0),
                    RowFactory.create("c", "t", 1L, snapshotDay, "-1", -1.0),
                    RowFactory.create("c", "t", 1L, snapshotDay, "0", 0.0),
                    RowFactory.create("c", "t", 1L, snapshotDay, "5", 5.0)),
                PARSED);
    IngestChecks.Policies policies =
        new IngestChecks.Policies(
            LocalDate.of(2024, 1, 31), now, LocalDate.of(1950, 1, 1), ReturnsPolicy.EXCLUDE, ZeroAmountPolicy.KEEP);

    List<Row> outcomes =
        rows.select(
                IngestChecks.firstFailing(Outcome.REJECT, parsed(), policies),
                IngestChecks.firstFailing(Outcome.EXCLUDE, parsed(), policies))
            .collectAsList();

    assertThat(outcomes.stream().map(r -> r.getString(0)).toList())
        .containsExactly(
            "missing_customer_id", "unparseable_timestamp", "future_timestamp", "non_numeric_amount",
            "before_earliest_date", "non_numeric_amount", "nan_or_infinite_amount", "amount_out_of_range", null,
            null, null, null, null, null);
    // after the snapshot is a policy exclusion, ahead of a return; zero amounts are kept by this policy
    assertThat(outcomes.subList(8, 14).stream().map(r -> r.getString(1)).toList())
        .containsExactly(null, "after_snapshot", "after_snapshot", "return", null, null);
  }

  @Test
  void everyReasonIsOneChecksAndDuplicatesAreLeftToThePass() {
    assertThat(IngestChecks.ALL.stream().map(Check::reason)).doesNotHaveDuplicates();
    assertThat(IngestChecks.of("duplicate_row")).contains(IngestChecks.DUPLICATE_ROW);
    assertThat(IngestChecks.DUPLICATE_ROW.rule()).isNull();
    assertThat(IngestChecks.of("return").map(Check::outcome)).contains(Outcome.EXCLUDE);
    assertThat(IngestChecks.of("no_such_reason")).isEmpty();
  }

  @Test
  void docsListTheChecksInTheirOrderWithTheirRules() throws IOException {
    String tables = Files.readString(SharedData.project("docs/tables.md"));
    List<String[]> documented = new ArrayList<>();
    Matcher reject = Pattern.compile("(?m)^\\| \\d+ \\| `([a-z_]+)` \\| (.+) \\|$").matcher(tables);
    while (reject.find()) {
      documented.add(new String[] {reject.group(1), reject.group(2)});
    }
    Matcher exclude = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| (.+) \\| `(input|snapshot)\\.[a-z-]+` \\|$").matcher(tables);
    while (exclude.find()) {
      documented.add(new String[] {exclude.group(1), exclude.group(2)});
    }

    assertThat(documented.stream().map(d -> d[0] + ": " + d[1]))
        .containsExactlyElementsOf(IngestChecks.ALL.stream().map(c -> c.reason() + ": " + c.failsWhen()).toList());
  }
}
