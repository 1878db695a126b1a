package dev.lifecycle.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input kinds beyond those of CliTest (missing file, empty folder, not Parquet, missing column,
 * wrong type, all rows bad) and IngestJobTest (nulls, NaN and infinity, future dates, duplicates):
 * each has its outcome asserted, an exit code with one line, or a run that completes with what
 * the input means.
 */
class BadInputCorpusTest {
  @TempDir Path dir;

  private String warehouse(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void aCorruptFooterExitsThreeNamingTheInputAndTheFile() throws IOException {
    String input = Fixtures.parquet(dir, "corrupt", CliTest.TRANSACTIONS, new Object[] {"a", "2024-01-01", 10.0});
    Path part;
    try (Stream<Path> files = Files.list(Path.of(input))) {
      part = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
    }
    // a data lake has no checksum files: the footer itself must be found bad
    Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
    try (RandomAccessFile file = new RandomAccessFile(part.toFile(), "rw")) {
      file.seek(file.length() - 12);
      file.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }
    CliRunner.Result result = CliRunner.run("features", "--input", input, "--warehouse", warehouse("w"));
    CliTest.assertOneLineError(result, ExitCode.INPUT_UNUSABLE, "Cannot read input " + input + " as Parquet: file ");
    // the file of many that is corrupt, then why
    assertThat(result.err()).contains(part.getFileName() + ": corrupted file");
  }

  @Test
  void timestampTypesThatDifferAcrossFilesExitThreeNamingTheFileAndColumn() {
    Path mixed = dir.resolve("mixed");
    Fixtures.parquet(mixed, "a", CliTest.TRANSACTIONS, new Object[] {"a", "2024-01-01", 10.0});
    Fixtures.parquet(
        mixed, "b",
        new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("timestamp", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType),
        new Object[] {"b", Timestamp.valueOf("2024-01-02 10:00:00"), 20.0});
    CliRunner.Result result =
        CliRunner.run("features", "--input", mixed + "/*", "--warehouse", warehouse("w"), "--set", "snapshot.as-of=2024-01-31");
    CliTest.assertOneLineError(result, ExitCode.INPUT_UNUSABLE, "Cannot read input " + mixed + "/*");
    assertThat(result.err()).contains(": column 'timestamp' is string in ", mixed + "/a/part-", " but timestamp in ", mixed + "/b/part-");
  }

  @Test
  void extremeAmountsAreKeptToTheLimitAndEveryOutputStaysFinite() {
    // Past 10^15 an amount is rejected: three of 1e308 summed to infinity and failed the run
    String input =
        Fixtures.parquet(
            dir, "extreme", CliTest.TRANSACTIONS,
            new Object[] {"a", "2024-01-01", 1e15}, new Object[] {"a", "2024-01-02", 1e15},
            new Object[] {"b", "2024-01-01", 1e-300},
            new Object[] {"c", "2024-01-01", 10.0}, new Object[] {"c", "2024-01-05", 12.0},
            new Object[] {"d", "2024-01-01", 1e308}, new Object[] {"d", "2024-01-02", 1e308},
            new Object[] {"d", "2024-01-03", -1.0000001e15});
    CliRunner.Result result =
        CliRunner.run("run", "--input", input, "--warehouse", warehouse("w"), "--set", "snapshot.as-of=2024-01-31");
    assertThat(result.exitCode()).as(result.err()).isZero();
    for (String table : List.of("customer_features", "customer_scores", "segment_profiles", "clv_models")) {
      Dataset<Row> rows = TestSpark.session().read().parquet(warehouse("w") + "/" + table);
      assertThat(rows.count()).as(table).isPositive();
      for (StructField field : rows.schema().fields()) {
        if (field.dataType().equals(DataTypes.DoubleType)) {
          Column value = rows.col(field.name());
          assertThat(rows.where(value.isNaN().or(value.isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))).count())
              .as("NaN or infinity in %s.%s", table, field.name())
              .isZero();
        }
      }
    }
    Row a = TestSpark.session().read().parquet(warehouse("w") + "/customer_features").where("customer_id = 'a'").first();
    assertThat((Double) a.getAs("monetary_total")).isEqualTo(2e15);
    assertThat(
            TestSpark.session().read().parquet(warehouse("w") + "/transactions_rejected")
                .select("customer_id", "reject_reason").collectAsList())
        .containsOnly(RowFactory.create("d", "amount_out_of_range"))
        .hasSize(3);
  }

  @Test
  void nonAsciiIdsPassThroughUnchanged() {
    String input =
        Fixtures.parquet(
            dir, "nonascii", CliTest.TRANSACTIONS,
            new Object[] {"客户-1", "2024-01-01", 10.0},
            new Object[] {"Zoë", "2024-01-02", 20.0}, new Object[] {"Zoë", "2024-01-09", 20.0});
    CliRunner.Result result =
        CliRunner.run("features", "--input", input, "--warehouse", warehouse("w"), "--set", "snapshot.as-of=2024-01-31");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(
            TestSpark.session().read().parquet(warehouse("w") + "/customer_features")
                .select("customer_id", "frequency").collectAsList())
        .containsExactlyInAnyOrder(RowFactory.create("客户-1", 1L), RowFactory.create("Zoë", 2L));
  }

  @Test
  void hostileColumnNamesAreQuotedAndAnInjectionIsJustAMissingColumn() {
    StructType hostile =
        new StructType()
            .add("cust id", DataTypes.StringType)
            .add("t`s", DataTypes.StringType)
            .add("amount.total", DataTypes.DoubleType);
    String input = Fixtures.parquet(dir, "hostile", hostile, new Object[] {"a", "2024-01-01", 10.0});
    CliRunner.Result mapped =
        CliRunner.run(
            "features", "--input", input, "--warehouse", warehouse("w"), "--set", "snapshot.as-of=2024-01-31",
            "--set", "input.columns.customer-id=cust id", "--set", "input.columns.timestamp=t`s",
            "--set", "input.columns.amount=amount.total");
    assertThat(mapped.exitCode()).as(mapped.err()).isZero();
    Row row = TestSpark.session().read().parquet(warehouse("w") + "/customer_features").first();
    assertThat(row.<String>getAs("customer_id")).isEqualTo("a");
    assertThat(row.<Double>getAs("monetary_total")).isEqualTo(10.0);

    CliTest.assertOneLineError(
        CliRunner.run(
            "features", "--input", input, "--warehouse", warehouse("w2"), "--set", "snapshot.as-of=2024-01-31",
            "--set", "input.columns.customer-id=`cust id`), (1"),
        ExitCode.INPUT_UNUSABLE,
        "Cannot find the customer id column '`cust id`), (1' in input " + input
            + " (columns: cust id, t`s, amount.total)");
  }
}
