package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.core.ExitCode;
import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UCI Online Retail read from an Iceberg table (Iceberg's embedded Hadoop catalog) and from a Delta
 * table (by its folder and by name in Delta's session catalog) gives the same customer features,
 * rejects and counts as the Parquet files it was loaded from. Each table has a second version with
 * rows that would change the result, so pinning the first version is what makes them equal.
 */
@Tag("e2e")
class TableInputTest {
  private static final String CATALOG = "table_input";
  private static final String ICEBERG_TABLE = CATALOG + ".retail.transactions";
  private static final String DELTA_TABLE = "default.retail_delta";
  private static final String PARQUET_TABLE = "default.retail_parquet";
  private static final String[] COLUMNS = {
    "--as-of", "2011-12-09",
    "--set", "input.columns.customer-id=CustomerID",
    "--set", "input.columns.timestamp=InvoiceDate",
    "--set", "input.columns.amount=amount",
    "--set", "input.columns.order-id=InvoiceNo",
    "--set", "input.returns=exclude",
    "--set", "input.zero-amounts=exclude"
  };

  @TempDir static Path dir;

  private static String deltaPath;
  private static String parquetPath;
  private static long icebergFirst;
  private static Read files;
  private final SparkSession spark = TestSpark.session();

  /** What one run read and wrote. */
  record Read(CliRunner.Result result, List<Row> features, List<Row> rejects, JsonNode manifest) {}

  @BeforeAll
  static void loadTables() {
    SparkSession spark = TestSpark.session();
    String parquet = OnlineRetailTest.parquet();
    Dataset<Row> rows = spark.read().parquet(parquet);
    // A later version: rows of a new customer, and copies of rows already there.
    Dataset<Row> later = rows.limit(50).withColumn("CustomerID", lit("99999")).union(rows.limit(5));

    String key = "spark.sql.catalog." + CATALOG;
    spark.conf().set(key, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set(key + ".type", "hadoop");
    spark.conf().set(key + ".warehouse", dir.resolve("iceberg").toUri().toString());
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + CATALOG + ".retail");
    try {
      rows.writeTo(ICEBERG_TABLE).create();
      icebergFirst = spark.sql("SELECT snapshot_id FROM " + ICEBERG_TABLE + ".snapshots").as(Encoders.LONG()).first();
      later.writeTo(ICEBERG_TABLE).append();
    } catch (Exception e) { // Spark's exceptions are checked ones in Java's eyes
      throw new IllegalStateException(e);
    }

    deltaPath = dir.resolve("delta").toUri().toString();
    rows.write().format("delta").save(deltaPath);
    later.write().format("delta").mode("append").save(deltaPath);
    spark.sql("CREATE TABLE " + DELTA_TABLE + " USING delta LOCATION '" + deltaPath + "'");
    spark.sql("CREATE TABLE " + PARQUET_TABLE + " USING parquet LOCATION '" + parquet + "'");
    parquetPath = parquet;

    files = run("files", "--input", parquet);
  }

  @Test
  void theFilesRunIsTheReference() {
    assertThat(files.result().exitCode()).as(files.result().err()).isZero();
    assertThat(files.features()).hasSize(4338);
    assertThat(files.manifest().path("input").path("format").asText()).isEqualTo("parquet");
    assertThat(files.manifest().path("input").path("version").isNull()).isTrue();
  }

  @Test
  void anIcebergTablePinnedToItsFirstSnapshotGivesTheFilesResults() {
    Read iceberg = run("iceberg", "--set", "input.table=" + ICEBERG_TABLE, "--set", "input.snapshot-id=" + icebergFirst);

    assertSameAsFiles(iceberg, "iceberg", String.valueOf(icebergFirst));
    assertThat(iceberg.rejects()).extracting(r -> r.<String>getAs("source_file"))
        .as("a reject names its Iceberg data file")
        .allMatch(file -> file.contains("/retail/transactions/data/") && file.endsWith(".parquet"));
  }

  @Test
  void aDeltaFolderPinnedToItsFirstVersionGivesTheFilesResults() {
    Read delta = run("delta-path", "--input", deltaPath, "--set", "input.format=delta", "--set", "input.version=0");

    assertSameAsFiles(delta, "delta", "0");
    assertThat(delta.rejects()).extracting(r -> r.<String>getAs("source_file"))
        .allMatch(file -> file.startsWith("file:" + dir.resolve("delta")) && file.endsWith(".parquet"));
  }

  @Test
  void anUnpinnedTableIsReadAtItsNewestVersionWhichTheManifestRecords() {
    Read delta = run("delta-name", "--set", "input.table=" + DELTA_TABLE);

    assertThat(delta.result().exitCode()).as(delta.result().err()).isZero();
    assertThat(delta.manifest().path("input").path("version").asText()).isEqualTo("1");
    assertThat(delta.manifest().path("input").path("source").asText()).isEqualTo(DELTA_TABLE);
    assertThat(delta.manifest().path("counts").path("rows_in").asLong())
        .isEqualTo(files.manifest().path("counts").path("rows_in").asLong() + 55);
    assertThat(delta.features()).hasSize(files.features().size() + 1);
  }

  @Test
  void whatCannotBeReadIsOneLineAndExitThree() {
    assertInputError(
        "lifecycle: Cannot open input table " + CATALOG + ".retail.nothing: no such table (is its catalog set with"
            + " spark.sql.catalog.*?)",
        "--set", "input.table=" + CATALOG + ".retail.nothing");
    assertInputError(
        "lifecycle: Cannot find the amount column 'Amount_EUR' in input " + DELTA_TABLE + " (columns: ",
        "--set", "input.table=" + DELTA_TABLE, "--set", "input.columns.amount=Amount_EUR");
    assertInputError(
        "lifecycle: Cannot open input " + deltaPath + ": no version 7 (its newest is 1)",
        "--input", deltaPath, "--set", "input.format=delta", "--set", "input.version=7");
    assertInputError(
        "lifecycle: Cannot open input table " + ICEBERG_TABLE + ": no snapshot id 12345 (its current one is ",
        "--set", "input.table=" + ICEBERG_TABLE, "--set", "input.snapshot-id=12345");
    assertInputError(
        "lifecycle: Cannot open input " + parquetPath + ": not a Delta table (no _delta_log folder; input.format = delta)",
        "--input", parquetPath, "--set", "input.format=delta");
    assertInputError(
        "lifecycle: Cannot read input " + deltaPath + " as Parquet: folder " + new org.apache.hadoop.fs.Path(deltaPath)
            + " is a Delta table (it has a _delta_log), whose files include deleted and replaced rows; set"
            + " input.format = delta",
        "--input", deltaPath);
    assertInputError(
        "lifecycle: Cannot pin input table " + PARQUET_TABLE + " to a version: it is a parquet table, which has none",
        "--set", "input.table=" + PARQUET_TABLE, "--set", "input.version=1");
  }

  /** {@code features} on {@code input} fails with exit 3 and one line starting with {@code start}. */
  private static void assertInputError(String start, String... input) {
    CliRunner.Result result =
        CliRunner.run(concat(new String[] {"features", "--warehouse", dir.resolve("errors").toString()}, input));
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.INPUT_UNUSABLE);
    assertThat(result.err().strip()).startsWith(start).doesNotContain("\n").doesNotContain("Exception");
  }

  private void assertSameAsFiles(Read read, String format, String version) {
    assertThat(read.result().exitCode()).as(read.result().err()).isZero();
    assertThat(read.manifest().path("input").path("format").asText()).isEqualTo(format);
    assertThat(read.manifest().path("input").path("version").asText()).isEqualTo(version);
    assertThat(read.features()).as("customer_features").containsExactlyInAnyOrderElementsOf(files.features());
    assertThat(withoutSource(read.rejects())).as("transactions_rejected, but for source_file")
        .containsExactlyInAnyOrderElementsOf(withoutSource(files.rejects()));
    JsonNode counts = read.manifest().path("counts");
    JsonNode expected = files.manifest().path("counts");
    for (String count : List.of("rows_in", "rows_clean", "rows_rejected", "rows_excluded", "customers")) {
      assertThat(counts.path(count).asLong()).as(count).isEqualTo(expected.path(count).asLong()).isPositive();
    }
    assertThat(counts.path("input_files").asLong()).isPositive();
  }

  private static List<String> withoutSource(List<Row> rejects) {
    List<String> rows = new ArrayList<>();
    for (Row row : rejects) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        if (!row.schema().fields()[i].name().equals("source_file")) {
          values.add(row.get(i));
        }
      }
      rows.add(values.toString());
    }
    return rows;
  }

  private static Read run(String name, String... input) {
    SparkSession spark = TestSpark.session();
    String warehouse = dir.resolve("warehouse-" + name).toString();
    CliRunner.Result result = CliRunner.run(concat(new String[] {"features", "--warehouse", warehouse}, input));
    if (result.exitCode() != 0) {
      return new Read(result, List.of(), List.of(), null);
    }
    try {
      Row manifest = spark.read().parquet(warehouse + "/run_manifest").first();
      return new Read(
          result,
          spark.read().parquet(warehouse + "/customer_features").collectAsList(),
          spark.read().parquet(warehouse + "/transactions_rejected").collectAsList(),
          new ObjectMapper().readTree(manifest.<String>getAs("manifest_json")));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String[] concat(String[] first, String... more) {
    return SampleRun.concat(SampleRun.concat(first, COLUMNS), more);
  }
}
