package dev.lifecycle.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.core.ExitCode;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.spark.test.TestLog;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract: exit codes and one clear line per error, on the real command line. */
class CliTest {
  static final StructType TRANSACTIONS =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("timestamp", DataTypes.StringType)
          .add("amount", DataTypes.DoubleType);

  @TempDir Path dir;

  private String warehouse() {
    return dir.resolve("warehouse").toString();
  }

  private String validInput() {
    return Fixtures.parquet(
        dir, "valid", TRANSACTIONS,
        new Object[] {"a", "2024-01-01", 10.0},
        new Object[] {"b", "2024-01-02", 20.0});
  }

  static void assertOneLineError(CliRunner.Result result, int code, String message) {
    assertThat(result.exitCode()).as(result.err()).isEqualTo(code);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).startsWith("lifecycle: ").contains(message);
    assertThat(result.err()).doesNotContain("\tat ");
  }

  @Test
  void anIcebergCatalogThatCannotBeOpenedExitsTwoBeforeTheInputIsRead() throws Exception {
    // In a JVM of its own: the config file's spark.* keys reach only a session the command opens.
    Path config = dir.resolve("rest.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "output.format = iceberg",
            "output.iceberg.catalog = lake",
            "spark.sql.catalog.lake = org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.lake.type = rest",
            "spark.sql.catalog.lake.uri = http://127.0.0.1:9/catalog"));
    Path log = dir.resolve("rest.log");
    Process process =
        CliRunner.start(
            log, "features", "--config", config.toString(), "--input", dir.resolve("missing").toString(),
            "--warehouse", warehouse());

    assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(log);
    assertThat(process.exitValue()).as(output).isEqualTo(ExitCode.USAGE);
    assertThat(output.lines().filter(line -> line.startsWith("lifecycle: ")).toList())
        .singleElement()
        .asString()
        .startsWith(
            "lifecycle: Cannot open Iceberg catalog lake (spark.sql.catalog.lake ="
                + " org.apache.iceberg.spark.SparkCatalog) for namespace lifecycle: ");
    assertThat(output).as("no stack trace without --verbose").doesNotContain("\tat ");
  }

  @Test
  void helpAndVersionExitZero() {
    CliRunner.Result help = CliRunner.run("--help");
    CliRunner.Result runHelp = CliRunner.run("run", "--help");
    CliRunner.Result version = CliRunner.run("--version");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: lifecycle", "run", "ingest", "features", "score", "sample");
    assertThat(runHelp.exitCode()).isZero();
    assertThat(runHelp.out()).contains("--config", "--set", "--input", "--warehouse", "--as-of", "--master", "--verbose");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).contains("lifecycle 0.1.0", "Spark 4.1.0");
  }

  @Test
  void noCommandIsAUsageError() {
    assertOneLineError(CliRunner.run(), ExitCode.USAGE, "a command is required");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertOneLineError(CliRunner.run("run", "--bogus"), ExitCode.USAGE, "Unknown option: '--bogus'");
  }

  @Test
  void unknownConfigKeyIsAUsageError() {
    assertOneLineError(
        CliRunner.run("run", "--set", "input.paht=x"),
        ExitCode.USAGE,
        "Unknown config key 'input.paht' in --set");
  }

  @Test
  void unknownKeyInConfigFileNamesTheFile() throws IOException {
    Path config = dir.resolve("bad.properties");
    Files.writeString(config, "warehouse = w\nfeatures.time-unti = week\n");

    assertOneLineError(
        CliRunner.run("run", "--config", config.toString()),
        ExitCode.USAGE,
        "Unknown config key 'features.time-unti' in config file " + config + ", line 2");
  }

  @Test
  void badValueNamesKeyAndSource() {
    assertOneLineError(
        CliRunner.run("run", "--as-of", "yesterday"),
        ExitCode.USAGE,
        "Invalid value 'yesterday' for config key 'snapshot.as-of' (from --as-of)");
  }

  @Test
  void aHoldoutNeedsTheSnapshotAndMustFollowIt() {
    assertOneLineError(
        CliRunner.run("backtest", "--holdout-until", "2024-03-01"),
        ExitCode.USAGE,
        "Invalid value '2024-03-01' for config key 'validation.holdout-until' (from --holdout-until): a holdout"
            + " needs the end of calibration: set snapshot.as-of (--as-of)");
    assertOneLineError(
        CliRunner.run("run", "--as-of", "2024-03-01", "--holdout-until", "2024-03-01"),
        ExitCode.USAGE,
        "Invalid value '2024-03-01' for config key 'validation.holdout-until' (from --holdout-until): must be"
            + " after snapshot.as-of 2024-03-01");
    assertOneLineError(
        CliRunner.run("backtest", "--input", validInput(), "--warehouse", warehouse(), "--as-of", "2024-01-01"),
        ExitCode.USAGE,
        "Cannot backtest: set validation.holdout-until (--holdout-until), the end of the holdout after --as-of");
  }

  @Test
  void missingInputIsAUsageError() {
    assertOneLineError(
        CliRunner.run("run", "--warehouse", warehouse()),
        ExitCode.USAGE,
        "Missing config key 'input.path'");
  }

  @Test
  void missingWarehouseIsAUsageError() {
    assertOneLineError(
        CliRunner.run("ingest", "--input", validInput()),
        ExitCode.USAGE,
        "Missing config key 'warehouse'");
  }

  @Test
  void reportWithoutAWarehouseIsAUsageError() {
    assertOneLineError(CliRunner.run("report"), ExitCode.USAGE, "Missing config key 'warehouse'");
  }

  @Test
  void missingInputPathExitsThree() {
    String missing = dir.resolve("nope").toString();
    assertOneLineError(
        CliRunner.run("run", "--input", missing, "--warehouse", warehouse()),
        ExitCode.INPUT_UNUSABLE,
        "Cannot open input " + missing + ": no such file or folder");
  }

  @Test
  void emptyFolderExitsThree() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertOneLineError(
        CliRunner.run("run", "--input", empty.toString(), "--warehouse", warehouse()),
        ExitCode.INPUT_UNUSABLE,
        "it holds no data files");
  }

  @Test
  void notParquetExitsThree() throws IOException {
    Path text = Files.writeString(dir.resolve("data.csv"), "customer_id,timestamp,amount\na,2024-01-01,1\n");
    assertOneLineError(
        CliRunner.run("run", "--input", text.toString(), "--warehouse", warehouse()),
        ExitCode.INPUT_UNUSABLE,
        "Cannot read input " + text + " as Parquet");
  }

  /**
   * A file that fails its task: Spark's log of the failed task ("Exception in task", "Lost task",
   * "aborting job") repeats the one-line error, so only --verbose shows it.
   */
  @Test
  void sparksLogOfAFailedTaskIsShownOnlyWithVerbose() throws IOException {
    Path input = Files.createDirectories(dir.resolve("not-parquet"));
    Files.writeString(input.resolve("part-0.parquet"), "hello\n");
    String[] args = {"ingest", "--input", input.toString(), "--warehouse", warehouse()};

    StringWriter quiet = new StringWriter();
    CliRunner.Result result = TestLog.capturing(quiet, () -> CliRunner.run(args));
    StringWriter verbose = new StringWriter();
    TestLog.capturing(verbose, () -> CliRunner.run(Stream.concat(Stream.of(args), Stream.of("--verbose")).toArray(String[]::new)));

    assertOneLineError(result, ExitCode.INPUT_UNUSABLE, "is not a Parquet file");
    assertThat(quiet.toString()).doesNotContain("Exception in task", "Lost task", "aborting job");
    assertThat(verbose.toString()).contains("Exception in task", "Lost task", "aborting job");
  }

  @Test
  void missingColumnExitsThreeAndListsTheColumns() {
    assertOneLineError(
        CliRunner.run(
            "run", "--input", validInput(), "--warehouse", warehouse(),
            "--set", "input.columns.amount=price"),
        ExitCode.INPUT_UNUSABLE,
        "Cannot find the amount column 'price' in input " + validInput()
            + " (columns: customer_id, timestamp, amount)");
  }

  @Test
  void typeThatCannotBeCastExitsThree() {
    StructType badType =
        new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("timestamp", DataTypes.StringType)
            .add("amount", DataTypes.BooleanType);
    String input = Fixtures.parquet(dir, "badtype", badType, new Object[] {"a", "2024-01-01", true});

    assertOneLineError(
        CliRunner.run("run", "--input", input, "--warehouse", warehouse()),
        ExitCode.INPUT_UNUSABLE,
        "Cannot use column 'amount' of input " + input + " as the amount: type boolean cannot be cast");
  }

  @Test
  void allRowsBadFailsTheQualityGateAfterQuarantiningThem() {
    String input =
        Fixtures.parquet(
            dir, "allbad", TRANSACTIONS,
            new Object[] {null, "2024-01-01", 1.0},
            new Object[] {"a", "not a date", 1.0});

    CliRunner.Result result =
        CliRunner.run("run", "--input", input, "--warehouse", warehouse(), "--as-of", "2024-01-31");

    assertOneLineError(result, ExitCode.QUALITY_GATE, "Data-quality gate failed: no clean rows in input");
    assertThat(
            TestSpark.session().read().parquet(warehouse() + "/transactions_rejected").count())
        .isEqualTo(2);
    Row manifest = TestSpark.session().read().parquet(warehouse() + "/run_manifest").first();
    assertThat(manifest.<String>getAs("status")).isEqualTo("failed");
    assertThat(manifest.<Long>getAs("rows_rejected")).isEqualTo(2);
    assertThat(manifest.<String>getAs("manifest_json")).contains("Data-quality gate failed");
  }

  @Test
  void tooManyRejectedRowsFailTheGate() {
    String input =
        Fixtures.parquet(
            dir, "mostlybad", TRANSACTIONS,
            new Object[] {null, "2024-01-01", 1.0},
            new Object[] {null, "2024-01-01", 2.0},
            new Object[] {"a", "2024-01-01", 3.0});

    assertOneLineError(
        CliRunner.run(
            "run", "--input", input, "--warehouse", warehouse(), "--as-of", "2024-01-31",
            "--set", "quality.max-rejected-share=0.5"),
        ExitCode.QUALITY_GATE,
        "66.7% of the rows of input " + input + " were rejected, more than quality.max-rejected-share 50.0%");
  }

  @Test
  void internalErrorIsOneLineAndVerboseAddsTheStackTrace() throws IOException {
    // The warehouse's staging folder is a plain file, so no table can be written.
    Files.createDirectories(dir.resolve("warehouse"));
    Files.writeString(dir.resolve("warehouse/_staging"), "x");
    String[] args = {"run", "--input", validInput(), "--warehouse", warehouse()};

    CliRunner.Result quiet = CliRunner.run(args);
    assertOneLineError(quiet, ExitCode.INTERNAL, "internal error: ");
    assertThat(quiet.err()).contains("ParentNotDirectoryException", "(rerun with --verbose for the stack trace)");
    // Hadoop's exception is checked, thrown through Spark unchecked: the run is still recorded.
    try (Stream<Path> manifests = Files.list(dir.resolve("warehouse/_manifests"))) {
      Path json = manifests.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      assertThat(Files.readString(json))
          .contains("\"status\" : \"failed\"", "\"error\" : \"ingest: ", "ParentNotDirectoryException");
    }

    String[] verboseArgs = java.util.Arrays.copyOf(args, args.length + 1);
    verboseArgs[args.length] = "--verbose";
    CliRunner.Result verbose = CliRunner.run(verboseArgs);
    assertThat(verbose.exitCode()).isEqualTo(ExitCode.INTERNAL);
    assertThat(verbose.err()).contains("\tat ");
    verboseArgs[args.length] = "-v";
    assertThat(CliRunner.run(verboseArgs).err()).contains("\tat ");
  }

  @Test
  void sparkStoppingTheApplicationIsOneLineNamingTheExecutors() {
    SparkProvider stopped =
        new SparkProvider() {
          @Override
          public SparkSession open(String master, Map<String, String> conf, String appName) {
            throw new IllegalStateException(
                "Cannot call methods on a stopped SparkContext.\nThis stopped SparkContext was created at: ...");
          }

          @Override
          public void close(SparkSession spark) {}
        };

    assertOneLineError(
        CliRunner.run(stopped, "run", "--input", validInput(), "--warehouse", warehouse()), ExitCode.INTERNAL,
        "Spark stopped the application before the run ended: its executors could not start, or all of them were"
            + " lost (the Spark log above says why)");
  }

  @Test
  void noParseableTimestampLeavesNoSnapshotToChoose() {
    String input =
        Fixtures.parquet(
            dir, "notimes", TRANSACTIONS,
            new Object[] {"a", "soon", 1.0},
            new Object[] {"b", null, 2.0});

    assertOneLineError(
        CliRunner.run("ingest", "--input", input, "--warehouse", warehouse()),
        ExitCode.QUALITY_GATE,
        "Cannot choose the snapshot date: no row of input " + input
            + " has a parseable timestamp that is not in the future; set snapshot.as-of");
  }

  @Test
  void aMissingSegmentModelExitsThree() {
    assertThat(CliRunner.run("features", "--input", validInput(), "--warehouse", warehouse()).exitCode())
        .isZero();
    String missing = dir.resolve("no-model").toString();
    assertOneLineError(
        CliRunner.run("segment", "--warehouse", warehouse(), "--model-in", missing),
        ExitCode.INPUT_UNUSABLE,
        "Cannot load the segment model at " + missing + ": ");
  }

  @Test
  void aRunThatFailsAfterWritingSomeTablesPublishesNoneAndSaysSo() throws Exception {
    String missing = dir.resolve("no-model").toString();
    assertOneLineError(
        CliRunner.run("run", "--input", validInput(), "--warehouse", warehouse(), "--model-in", missing),
        ExitCode.INPUT_UNUSABLE,
        "Cannot load the segment model at " + missing + ": ");
    // features and retention were written before segment failed, and were dropped with the run
    assertThat(dir.resolve("warehouse/customer_features")).doesNotExist();
    assertThat(dir.resolve("warehouse/retention_curves")).doesNotExist();
    try (Stream<Path> staged = Files.walk(dir.resolve("warehouse/_staging"))) {
      assertThat(staged.filter(Files::isRegularFile).toList()).isEmpty();
    }
    Row manifest = TestSpark.session().read().parquet(warehouse() + "/run_manifest").first();
    assertThat(manifest.<String>getAs("status")).isEqualTo("failed");
    assertThat(manifest.<String>getAs("manifest_json")).contains("\"error\" : \"segment: Cannot load", "\"tables\" : { }");
  }

  @Test
  void aModelOutThatIsTheWarehouseExitsTwoAndLosesNothing() throws Exception {
    assertThat(CliRunner.run("features", "--input", validInput(), "--warehouse", warehouse()).exitCode())
        .isZero();
    List<Path> before = files(dir.resolve("warehouse"));
    assertThat(before).isNotEmpty();
    assertOneLineError(
        CliRunner.run("run", "--input", validInput(), "--warehouse", warehouse(), "--model-out", warehouse()),
        ExitCode.USAGE,
        "segment.model-out " + warehouse() + " would be replaced, but it is inside the warehouse");
    // Refused before any stage: every file is still there (the failed run's manifest is added).
    assertThat(files(dir.resolve("warehouse"))).containsAll(before);
  }

  @Test
  void onlyNettedReturnsExitFourAndLeaveTheSnapshotsTablesAlone() throws Exception {
    assertThat(
            CliRunner.run("features", "--input", validInput(), "--warehouse", warehouse(), "--as-of", "2024-01-02")
                .exitCode())
        .isZero();
    Path features = dir.resolve("warehouse/customer_features");
    List<Path> before = files(features);
    String returns =
        Fixtures.parquet(
            dir, "returns", TRANSACTIONS,
            new Object[] {"a", "2024-01-01", -10.0},
            new Object[] {"b", "2024-01-02", -20.0});
    assertOneLineError(
        CliRunner.run(
            "run", "--input", returns, "--warehouse", warehouse(), "--as-of", "2024-01-02", "--set", "input.returns=net"),
        ExitCode.QUALITY_GATE,
        "Data-quality gate failed: no customers in input " + returns
            + ": its 2 clean rows hold no purchase (a return kept by input.returns = net is not one)");
    assertThat(files(features)).isEqualTo(before);
  }

  @Test
  void aSomGridWithMoreNodesThanCustomersExitsTwoUnlessForced() {
    assertThat(CliRunner.run("features", "--input", validInput(), "--warehouse", warehouse()).exitCode())
        .isZero();
    assertOneLineError(
        CliRunner.run("segment", "--warehouse", warehouse(), "--set", "segment.som.grid=10x10"),
        ExitCode.USAGE,
        "segment.som.grid 10x10 has 100 nodes for 2 customers; give a smaller grid, auto, or"
            + " segment.som.force-grid = true");
    assertThat(dir.resolve("warehouse/customer_segments")).doesNotExist();
  }

  @Test
  void customersWithIdenticalHistoriesCompleteTheRunWithSegmentationSkipped() throws Exception {
    Object[][] rows = new Object[12][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new Object[] {"c" + (i / 3), "2024-01-0" + (1 + i % 3), 10.0};
    }
    String same = Fixtures.parquet(dir, "same", TRANSACTIONS, rows);
    CliRunner.Result result = CliRunner.run("run", "--input", same, "--warehouse", warehouse());
    assertThat(result.exitCode()).as(result.err()).isZero();
    String reason = "Cannot segment: the 4 customers of customer_features all have the same features, so there are"
        + " no two segments to find";
    SparkSession spark = TestSpark.session();
    Row manifest = spark.read().parquet(warehouse() + "/run_manifest").first();
    assertThat(manifest.<String>getAs("status")).isEqualTo("succeeded");
    assertThat(manifest.<String>getAs("manifest_json")).contains("\"segment_skipped\" : \"" + reason + "\"");
    List<Row> scores = spark.read().parquet(warehouse() + "/customer_scores").collectAsList();
    assertThat(scores).hasSize(4).allSatisfy(r -> assertThat(r.<Object>getAs("kmeans_segment")).isNull());
    try (Stream<Path> reports = Files.walk(dir.resolve("warehouse/reports"))) {
      Path report = reports.filter(p -> p.toString().endsWith(".html")).findFirst().orElseThrow();
      assertThat(Files.readString(report)).contains("Segmentation skipped: " + reason + ".");
    }
  }

  @Test
  void badSqlSettingsExitTwoNamingTheirKeyBeforeAnythingIsRead() {
    assertOneLineError(
        CliRunner.run("run", "--input", validInput(), "--warehouse", warehouse(), "--set", "spark.sql.session.timeZone=Mars/Olympus"),
        ExitCode.USAGE,
        "Invalid value 'Mars/Olympus' for config key 'spark.sql.session.timeZone' (from --set): [INVALID_CONF_VALUE.TIME_ZONE]");
    assertOneLineError(
        CliRunner.run("run", "--input", validInput(), "--warehouse", warehouse(), "--set", "spark.sql.shuffle.partitions=0"),
        ExitCode.USAGE,
        "Invalid value '0' for config key 'spark.sql.shuffle.partitions' (from --set): [INVALID_CONF_VALUE.REQUIREMENT]");
    assertThat(dir.resolve("warehouse")).doesNotExist();
  }

  @Test
  void anUnknownMasterOrASparkSettingSparkRefusesAtStartExitsTwo() throws Exception {
    // In a JVM of its own: the master and the settings are only read by a new SparkContext.
    assertThat(startError("--master", "foo://bar"))
        .isEqualTo(
            "lifecycle: Invalid Spark master 'foo://bar' (--master or spark.master): expected local[N],"
                + " local-cluster[N,C,M], spark://HOST:PORT, yarn or k8s://URL");
    assertThat(startError("--set", "spark.executor.memory=lots"))
        .isEqualTo(
            "lifecycle: Cannot start Spark with the config's spark.executor.memory: Size must be specified as bytes"
                + " (b), kibibytes (k), mebibytes (m), gibibytes (g), tebibytes (t), or pebibytes(p). E.g. 50b, 100k,"
                + " or 250m.");
  }

  /** The one error line of a run in a JVM of its own with these options, which must exit 2. */
  private String startError(String... options) throws Exception {
    Path log = dir.resolve("start.log");
    String[] args = {"run", "--input", validInput(), "--warehouse", warehouse()};
    Process process = CliRunner.start(log, Stream.concat(Stream.of(args), Stream.of(options)).toArray(String[]::new));
    assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(log);
    assertThat(process.exitValue()).as(output).isEqualTo(ExitCode.USAGE);
    return output.lines().filter(line -> line.startsWith("lifecycle: ")).collect(java.util.stream.Collectors.joining("\n"));
  }

  @Test
  void aWarehouseThatIsAFileExitsTwoBeforeTheInputIsRead() throws Exception {
    Path file = Files.writeString(dir.resolve("warehouse"), "not a folder");
    assertOneLineError(
        CliRunner.run("run", "--input", dir.resolve("no-input").toString(), "--warehouse", file.toString()),
        ExitCode.USAGE,
        "Cannot use warehouse file:" + file + ": it is a file, not a folder");
    assertThat(file).hasContent("not a folder");
  }

  @Test
  void aSetWithoutEqualsNamesTheOptionOnce() {
    assertOneLineError(
        CliRunner.run("ingest", "--set", "segment.k"),
        ExitCode.USAGE,
        "lifecycle: Value for option '--set' (KEY=VALUE) should be in KEY=VALUE format but was segment.k"
            + " (see 'lifecycle ingest --help')");
  }

  @Test
  void aWarehouseWithNoFileSystemForItsSchemeExitsTwoNamingIt() {
    // s3:// has no file system registered, s3a:// names one whose class (hadoop-aws) is missing
    assertOneLineError(
        CliRunner.run("ingest", "--input", dir.resolve("no-input").toString(), "--warehouse", "s3://bucket/wh"),
        ExitCode.USAGE,
        "Cannot use warehouse s3://bucket/wh: no file system for scheme 's3' on the classpath");
    assertOneLineError(
        CliRunner.run("score", "--warehouse", "s3a://bucket/wh"),
        ExitCode.USAGE,
        "Cannot use warehouse s3a://bucket/wh: no file system for scheme 's3a' on the classpath");
  }

  @Test
  void anInputThatIsNoPathOrHasNoFileSystemExitsThreeNamingWhy() {
    assertOneLineError(
        CliRunner.run("ingest", "--input", "x:y", "--warehouse", warehouse()),
        ExitCode.INPUT_UNUSABLE,
        "Cannot open input x:y: not a path or URI (Relative path in absolute URI: x:y)");
    assertOneLineError(
        CliRunner.run("ingest", "--input", "s3a://bucket/tx", "--warehouse", warehouse()),
        ExitCode.INPUT_UNUSABLE,
        "Cannot open input s3a://bucket/tx: no file system for scheme 's3a' on the classpath");
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.sorted().toList();
    }
  }

  @Test
  void sampleRejectsNonPositivePartitions() {
    assertOneLineError(
        CliRunner.run("sample", "--customers", "5", "--partitions", "0", "--out", dir.toString()),
        ExitCode.USAGE,
        "--partitions must be at least 1, got 0");
  }

  @Test
  void sampleRejectsNonPositiveCustomers() {
    assertOneLineError(
        CliRunner.run("sample", "--customers", "0", "--out", dir.toString()),
        ExitCode.USAGE,
        "--customers must be at least 1, got 0");
  }

  @Test
  void sampleRejectsIncompleteOrInvalidParameters() {
    assertOneLineError(
        CliRunner.run(
            "sample", "--customers", "5", "--out", dir.toString(),
            "--parameters", "r=0.25,alpha=4,a=0.8,b=2.4,p=6,q=3.7"),
        ExitCode.USAGE,
        "--parameters: parameter 'gamma' is missing; all of r, alpha, a, b, p, q, gamma are needed");
    assertOneLineError(
        CliRunner.run(
            "sample", "--customers", "5", "--out", dir.toString(),
            "--parameters", "r=0.25,alpha=4,a=0.8,b=-2.4,p=6,q=3.7,gamma=15"),
        ExitCode.USAGE,
        "--parameters: parameter 'b' must be finite and positive, got -2.4");
    assertOneLineError(
        CliRunner.run(
            "sample", "--customers", "5", "--out", dir.toString(),
            "--parameters", "r=0.25,alpha=4,a=0.8,b=2.4,p=6,q=3.7,gamma=15,beta=1"),
        ExitCode.USAGE,
        "--parameters: unknown parameter 'beta'; expected r, alpha, a, b, p, q, gamma");
  }

  @Test
  void sampleThenRunWithTheDefaultConfigWritesEveryTableAndReRunReplacesTheSnapshot() throws IOException {
    String sample = dir.resolve("sample").toString();
    CliRunner.Result generated = CliRunner.run("sample", "--customers", "300", "--seed", "3", "--out", sample);
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    Path config = dir.resolve("local.properties");
    Files.writeString(config, "input.path = " + sample + "/transactions\nwarehouse = " + warehouse() + "\n");

    // No config and no --set: the sample's columns are the default ones.
    CliRunner.Result first = CliRunner.run("run", "--input", sample + "/transactions", "--warehouse", warehouse());
    CliRunner.Result second = CliRunner.run("run", "--config", config.toString());

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(first.out())
        .contains("snapshot 2025-12-31", "transactions_rejected", "customer_features", "customer_scores", "run manifest")
        // clv values each cohort once retention, which runs beside features, has written its curves
        .contains("cohort_value");
    var spark = TestSpark.session();
    assertThat(spark.read().parquet(warehouse() + "/customer_scores").count()).isEqualTo(300);
    assertThat(spark.read().parquet(warehouse() + "/customer_features").count()).isEqualTo(300);
    assertThat(spark.read().parquet(warehouse() + "/customer_scores").columns())
        .contains("customer_id", "snapshot_date", "recency_days", "frequency", "monetary_total",
            "monetary_avg", "r_score", "f_score", "m_score", "rfm_cell", "rfm_segment", "abc_class");
    assertThat(spark.read().parquet(warehouse() + "/run_manifest").count()).isEqualTo(2);
    try (var manifests = Files.list(Path.of(warehouse(), "_manifests"))) {
      List<Path> files = manifests.filter(f -> f.toString().endsWith(".json")).toList();
      assertThat(files).hasSize(2);
      assertTimingsAddUp(new ObjectMapper().readTree(files.get(0).toFile()));
    }
  }

  /**
   * The manifest times the start-up, each stage of {@code run}, and the rest of the run: the
   * stages, less the time they ran side by side, and the time between them make up the run, from
   * started_at to finished_at.
   */
  private static void assertTimingsAddUp(JsonNode manifest) {
    JsonNode timings = manifest.path("timings_ms");
    List<String> names = new java.util.ArrayList<>();
    timings.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly("jvm_start", "session_start", "ingest", "features", "retention", "clv", "segment", "score",
            "migration", "report", "between_stages", "stages_overlap");
    long run = 0;
    for (String stage : names.subList(2, names.size() - 1)) {
      assertThat(timings.path(stage).asLong()).as(stage).isNotNegative();
      run += timings.path(stage).asLong();
    }
    long overlap = timings.path("stages_overlap").asLong();
    // Retention beside features and segment, clv and score beside segment, score and migration
    // beside the report; never more than two at once.
    assertThat(overlap)
        .isNotNegative()
        .isLessThanOrEqualTo(
            timings.path("retention").asLong() + timings.path("clv").asLong() + timings.path("score").asLong()
                + timings.path("migration").asLong());
    run -= overlap;
    long wall =
        java.time.Duration.between(
                java.time.Instant.parse(manifest.path("started_at").asText()),
                java.time.Instant.parse(manifest.path("finished_at").asText()))
            .toMillis();
    assertThat(run).as("the timings against finished_at - started_at").isEqualTo(wall);
    assertThat(timings.path("jvm_start").asLong()).isPositive();
  }

  @Test
  void scoreAloneReadsTheNewestFeaturesSnapshot() {
    String input = validInput();
    assertThat(
            CliRunner.run("features", "--input", input, "--warehouse", warehouse()).exitCode())
        .isZero();

    CliRunner.Result score = CliRunner.run("score", "--warehouse", warehouse());

    assertThat(score.exitCode()).as(score.err()).isZero();
    assertThat(score.out()).contains("snapshot 2024-01-02");
  }

  @Test
  void aStrayBackupOfASnapshotFolderIsNoSnapshotAndIsLeftAlone() throws Exception {
    assertThat(CliRunner.run("features", "--input", validInput(), "--warehouse", warehouse()).exitCode()).isZero();
    Path features = dir.resolve("warehouse/customer_features");
    Path backup = features.resolve("snapshot_date=2024-01-02.bak");
    try (Stream<Path> files = Files.list(features.resolve("snapshot_date=2024-01-02"))) {
      Files.createDirectories(backup);
      for (Path file : files.toList()) {
        Files.copy(file, backup.resolve(file.getFileName()));
      }
    }
    List<Path> kept = files(backup);

    for (String command : new String[] {"score", "report"}) {
      CliRunner.Result result = CliRunner.run(command, "--warehouse", warehouse());
      assertThat(result.exitCode()).as(command + ": " + result.err()).isZero();
      assertThat(result.out()).contains("snapshot 2024-01-02");
    }
    assertThat(files(backup)).isEqualTo(kept);
  }

  @Test
  void aStageWithoutFeaturesExitsThreeNamingItself() {
    for (String command : new String[] {"score", "segment", "report", "tune"}) {
      assertOneLineError(
          CliRunner.run(command, "--warehouse", warehouse()),
          ExitCode.INPUT_UNUSABLE,
          "Cannot run " + command + ": table customer_features at ");
    }
  }
}
