package dev.lifecycle.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.table.RunManifestTable;
import dev.lifecycle.spark.table.TransactionsRejectedTable;
import dev.lifecycle.spark.test.TestLog;
import dev.lifecycle.spark.test.TestSpark;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest {
  private static final StructType TEXT =
      new StructType()
          .add("cust", DataTypes.StringType)
          .add("ts", DataTypes.StringType)
          .add("amt", DataTypes.StringType)
          .add("ord", DataTypes.StringType)
          .add("note", DataTypes.StringType);

  @TempDir Path dir;

  /** One row per fault, in check order, plus clean rows, a return and a zero amount. */
  private String everyKindOfRow() {
    return Fixtures.parquet(
        dir,
        "input",
        TEXT,
        new Object[] {"c1", "2024-01-01 10:00:00", "10.5", "o1", "a"},
        new Object[] {"c1", "2024-01-01 10:00:00", "10.5", "o1", "a"},
        new Object[] {"c1", "2024-01-01 10:00:00", "10.5", "o1", "b"},
        new Object[] {null, "2024-01-02", "5", "o2", "x"},
        new Object[] {"  ", "2024-01-02", "5", "o2", "x"},
        new Object[] {"c2", null, "5", "o3", "x"},
        new Object[] {"c2", "yesterday", "5", "o3", "x"},
        new Object[] {"c2", "2024-01-03", null, "o4", "x"},
        new Object[] {"c2", "2024-01-03", "abc", "o4", "x"},
        new Object[] {"c2", "2024-01-03", "NaN", "o4", "x"},
        new Object[] {"c2", "2024-01-03", "-Infinity", "o4", "x"},
        new Object[] {"c2", "2024-02-01 00:00:00", "5", "o5", "x"},
        new Object[] {"c2", "2024-01-31T23:59:59", "7", "o6", "x"},
        new Object[] {"c3", "2024-01-05", "-3", "o7", "x"},
        new Object[] {"c3", "2024-01-05", "0", "o8", "x"},
        new Object[] {null, null, null, null, "dup"},
        new Object[] {null, null, null, null, "dup"});
  }

  /** The fixtures' mapping without snapshot.as-of: ingest picks the snapshot. */
  private StageContext withoutAsOf(String input) {
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .with(
                    Map.of(
                        "input.path", input,
                        "warehouse", dir.resolve("warehouse").toString(),
                        "input.columns.customer-id", "cust",
                        "input.columns.timestamp", "ts",
                        "input.columns.amount", "amt",
                        "quality.max-rejected-share", "1"),
                    "test"));
    return Fixtures.context(config, "ingest");
  }

  private static Dataset<Row> rejects(StageContext context) {
    return context.warehouse().readPartition(TransactionsRejectedTable.SPEC.name(), LocalDate.of(2024, 1, 31));
  }

  /** The fixtures' mapping as of 2024-01-31, then {@code extra} on top. */
  private StageContext context(String input, Map<String, String> extra) {
    Map<String, String> sets = new HashMap<>();
    sets.put("input.path", input);
    sets.put("warehouse", dir.resolve("warehouse").toString());
    sets.put("input.columns.customer-id", "cust");
    sets.put("input.columns.timestamp", "ts");
    sets.put("input.columns.amount", "amt");
    sets.put("input.columns.order-id", "ord");
    sets.put("snapshot.as-of", "2024-01-31");
    sets.put("quality.max-rejected-share", "1");
    sets.putAll(extra);
    LifecycleConfig config = LifecycleConfig.from(Settings.defaults().with(sets, "test"));
    return Fixtures.context(config, "ingest");
  }

  /**
   * A backtest's holdout takes the policies of the calibration: rows after the snapshot are
   * {@code after_snapshot} before any policy applies, yet a zero amount the policy excludes is no
   * holdout purchase day, and an excluded return does not lower the holdout spend.
   */
  @Test
  void theHoldoutLeavesOutWhatThePoliciesExclude() {
    String input =
        Fixtures.parquet(
            dir, "holdout", TEXT,
            new Object[] {"h", "2024-01-10", "10", "o1", "x"},
            new Object[] {"h", "2024-02-05", "0", "o2", "x"},
            new Object[] {"h", "2024-02-06", "-4", "o3", "x"},
            new Object[] {"h", "2024-02-07", "6", "o4", "x"});
    Map<String, String> holdout = Map.of("validation.holdout-until", "2024-02-07");
    Map<String, String> excluded = new HashMap<>(holdout);
    excluded.putAll(Map.of("input.returns", "exclude", "input.zero-amounts", "exclude"));
    Map<String, String> kept = new HashMap<>(holdout);
    kept.putAll(Map.of("input.returns", "net", "input.zero-amounts", "keep"));

    assertThat(holdoutOf(context(input, excluded))).isEqualTo("1 days, 6.0 spent");
    assertThat(holdoutOf(context(input, kept))).isEqualTo("2 days, 2.0 spent");
  }

  private static String holdoutOf(StageContext context) {
    try (IngestResult ingest = Fixtures.ingest(context, false)) {
      Row h = ingest.customerSummaries().first();
      return h.<Long>getAs("holdout_purchase_days") + " days, " + h.<Double>getAs("holdout_spend") + " spent";
    }
  }

  @Test
  void everyRowFaultGetsItsReasonAndCountsReconcile() {
    StageContext context =
        context(everyKindOfRow(), Map.of("input.returns", "exclude", "input.zero-amounts", "exclude"));

    try (IngestResult result = Fixtures.ingest(context, false)) {
      assertThat(result.counts().rowsIn()).isEqualTo(17);
      assertThat(result.customersAt(result.asOf())).isEqualTo(result.customerSummaries().count()).isPositive();
      assertThat(result.customersAt(result.asOf().minusDays(1))).as("no snapshot there").isZero();
      assertThat(result.counts().rejectedByReason())
          .containsOnly(
              entry("missing_customer_id", 4L),
              entry("missing_timestamp", 1L),
              entry("unparseable_timestamp", 1L),
              entry("missing_amount", 1L),
              entry("non_numeric_amount", 1L),
              entry("nan_or_infinite_amount", 2L),
              entry("duplicate_row", 1L));
      assertThat(result.counts().excludedByReason())
          .containsOnly(entry("after_snapshot", 1L), entry("return", 1L), entry("zero_amount", 1L));
      assertThat(result.counts().clean()).isEqualTo(3);
      assertThat(result.counts().clean() + result.counts().rejected() + result.counts().excluded()).isEqualTo(result.counts().rowsIn());
      assertThat(result.customerSummaries().count()).isEqualTo(2);
    }
  }

  @Test
  void aGateWithNoCleanRowsSaysWhyTheRowsWereExcluded() {
    var counts =
        new RunManifestTable.IngestCounts(
            null, 1, 9_037, 0, new TreeMap<>(),
            new TreeMap<>(Map.of("after_snapshot", 5L, "return", 9_032L)));

    assertThatThrownBy(() -> IngestJob.checkGate(counts, 1, "in"))
        .isInstanceOfSatisfying(LifecycleException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.QUALITY_GATE))
        .hasMessage(
            "Data-quality gate failed: no clean rows in input in (0 rejected, see transactions_rejected; 9037 excluded:"
                + " return 9032, after_snapshot 5, as tables.md's exclusion reasons say)");
  }

  @Test
  void aSnapshotInTheFutureIsRefusedAndADateBeforeTheEarliestIsRejected() {
    String input =
        Fixtures.parquet(
            dir, "old", TEXT,
            new Object[] {"c1", "0001-01-01", "5", "o1", "placeholder"},
            new Object[] {"c1", "1900-01-01", "5", "o2", "placeholder"},
            new Object[] {"c1", "1970-01-01 00:00:00", "5", "o4", "epoch"},
            new Object[] {"c1", "1970-01-02", "5", "o5", "clean"},
            new Object[] {"c1", "2024-01-02", "5", "o3", "clean"});
    LocalDate later = LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);

    assertThatThrownBy(() -> IngestJob.open(context(input, Map.of("snapshot.as-of", later.toString())), false))
        .isInstanceOfSatisfying(LifecycleException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageStartingWith("Cannot make snapshot " + later + " of snapshot.as-of: it is in the future (today is ");
    try (IngestResult result = Fixtures.ingest(context(input, Map.of()), false)) {
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("before_earliest_date", 3L));
    }
    try (IngestResult result = Fixtures.ingest(context(input, Map.of("input.earliest-date", "1900-01-01")), false)) {
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("before_earliest_date", 1L));
    }
  }

  /**
   * One snapshot past the data is a quiet day; more than a week past it, most likely an export that
   * is late or partial, every customer's recency counting days the input does not cover: the log
   * warns (from the footers, with no scan).
   */
  @Test
  void aSnapshotOverAWeekAfterTheLastTransactionIsWarnedOf() {
    StructType typed =
        new StructType()
            .add("cust", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("amt", DataTypes.DoubleType)
            .add("ord", DataTypes.StringType);
    String input =
        Fixtures.parquet(
            dir, "typed", typed, new Object[] {"c1", java.sql.Timestamp.valueOf("2024-01-02 10:00:00"), 5.0, "o1"});
    StringWriter week = new StringWriter();
    StringWriter longer = new StringWriter();

    TestLog.capturing(week, () -> IngestJob.open(context(input, Map.of("snapshot.as-of", "2024-01-09")), false));
    TestLog.capturing(longer, () -> IngestJob.open(context(input, Map.of("snapshot.as-of", "2024-01-10")), false));

    assertThat(week.toString()).isEmpty();
    assertThat(longer.toString())
        .isEqualTo(
            "WARN lifecycle: ingest: snapshot 2024-01-10 is 8 days after input " + input + "'s last transaction"
                + " (2024-01-02): every customer's recency counts them; is the input complete?\n");
  }

  @Test
  void aHoldoutPastTheInputsLastTransactionIsRefused() {
    String input = everyKindOfRow(); // its last transaction: 2024-02-01

    assertThatThrownBy(() -> IngestJob.open(context(input, Map.of("validation.holdout-until", "2024-03-31")), false))
        .isInstanceOfSatisfying(LifecycleException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage(
            "Cannot hold out to validation.holdout-until 2024-03-31: input " + input
                + " ends on 2024-02-01; end the holdout by then");
    assertThat(IngestJob.open(context(input, Map.of("validation.holdout-until", "2024-02-01")), false).snapshots())
        .containsExactly(LocalDate.of(2024, 1, 31));
  }

  /**
   * Text Spark's casts would take as something else: a time alone as today (which moved the
   * snapshot to the day of the run), a year or a month alone as its first day, Java's {@code 1d},
   * {@code 2f} and hexadecimal amounts.
   */
  @Test
  void textThatIsNoDateOrNoNumberIsRejectedNotGuessed() {
    String input =
        Fixtures.parquet(
            dir,
            "guessed",
            TEXT,
            new Object[] {"c1", "10:00:00", "5", "o1", "time alone"},
            new Object[] {"c1", "2024", "5", "o2", "year alone"},
            new Object[] {"c1", "2024-01", "5", "o3", "month alone"},
            new Object[] {"c1", "2024-01-02", "1d", "o4", "java double"},
            new Object[] {"c1", "2024-01-02", "2f", "o5", "java float"},
            new Object[] {"c1", "2024-01-02", "0x1p3", "o6", "hexadecimal"},
            new Object[] {"c2", " 2024-01-04 ", " +5 ", "o7", "clean"},
            new Object[] {"c2", "2024-01-03T08:00:00", ".5", "o8", "clean"},
            new Object[] {"c2", "2024-01-02 08:00", "1e1", "o9", "clean"},
            new Object[] {"c2", "2024-1-2", "-2.", "o10", "clean, a return"});

    try (IngestResult result = Fixtures.ingest(withoutAsOf(input), false)) {
      assertThat(result.asOf()).isEqualTo(LocalDate.of(2024, 1, 4));
      assertThat(result.counts().rejectedByReason())
          .containsOnly(entry("unparseable_timestamp", 3L), entry("non_numeric_amount", 3L));
      assertThat(result.counts().clean()).isEqualTo(3);
      assertThat(result.counts().excludedByReason()).containsOnly(entry("return", 1L));
    }
  }

  /**
   * Which customers share a partition of the pass decides the order of the sums over its records
   * (cohort revenue), so adaptive execution must not coalesce its partitions, however small the
   * input.
   */
  @Test
  void thePassHasTheSessionsShufflePartitionsHoweverSmallTheInput() {
    String partitions = TestSpark.session().conf().get("spark.sql.shuffle.partitions");
    TestSpark.session().conf().set("spark.sql.shuffle.partitions", "5");
    try (IngestResult result = Fixtures.ingest(context(everyKindOfRow(), Map.of()), false)) {
      assertThat(result.pass().rdd().getNumPartitions()).isEqualTo(5);
    } finally {
      TestSpark.session().conf().set("spark.sql.shuffle.partitions", partitions);
    }
  }

  @Test
  void rejectsTableKeepsEveryInputColumnAsTextWithReasonAndFile() {
    StageContext context = context(everyKindOfRow(), Map.of());
    Fixtures.ingest(context, false).close();

    List<Row> rejected =
        rejects(context)
            .where("reject_reason = 'non_numeric_amount'")
            .collectAsList();

    assertThat(rejected).hasSize(1);
    Row row = rejected.get(0);
    assertThat(row.schema().fieldNames())
        .containsExactly("cust", "ts", "amt", "ord", "note", "reject_reason", "source_file");
    assertThat(row.<String>getAs("amt")).isEqualTo("abc");
    assertThat(row.<String>getAs("ts")).isEqualTo("2024-01-03");
    assertThat(row.<String>getAs("source_file")).contains("input").endsWith(".parquet");
  }

  @Test
  void inputColumnsNamedLikeTheRejectsTableOwnAreRenamed() {
    StructType clashing =
        TEXT.add("source_file", DataTypes.StringType).add("snapshot_date", DataTypes.StringType);
    String input =
        Fixtures.parquet(
            dir, "clash", clashing,
            new Object[] {null, "2024-01-01", "1", "o1", "x", "mine.csv", "yesterday"},
            new Object[] {"c1", "2024-01-01", "1", "o1", "x", "mine.csv", "yesterday"});
    StageContext context = context(input, Map.of());
    Fixtures.ingest(context, false).close();

    Row row =
        rejects(context).first();

    assertThat(row.schema().fieldNames())
        .containsExactly(
            "cust", "ts", "amt", "ord", "note", "input_source_file", "input_snapshot_date",
            "reject_reason", "source_file");
    assertThat(row.<String>getAs("input_source_file")).isEqualTo("mine.csv");
    assertThat(row.<String>getAs("source_file")).endsWith(".parquet");
  }

  @Test
  void rejectsNameTheirFileEvenUnderAFolderWithSpaces() {
    String input =
        Fixtures.parquet(
            dir, "folder with spaces", TEXT,
            new Object[] {"c1", "2024-01-01", "1", "o1", "x"},
            new Object[] {"c1", "2024-01-01", "1", "o1", "x"},
            new Object[] {null, "2024-01-01", "1", "o2", "x"});
    StageContext context = context(input, Map.of());
    Fixtures.ingest(context, false).close();

    List<Row> rejected =
        rejects(context)
            .collectAsList();

    assertThat(rejected).hasSize(2);
    assertThat(rejected)
        .allSatisfy(
            row ->
                assertThat(row.<String>getAs("source_file"))
                    .startsWith("file:/")
                    .contains("folder%20with%20spaces/part-"));
  }

  @Test
  void aGlobReadsEveryMatchingFolderAndDedupesAcrossFiles() {
    Fixtures.parquet(dir, "day=1", TEXT, new Object[] {"c1", "2024-01-01", "1", "o1", "x"});
    Fixtures.parquet(
        dir, "day=2", TEXT,
        new Object[] {"c1", "2024-01-01", "1", "o1", "x"},
        new Object[] {"c2", "2024-01-02", "2", "o2", "x"});
    Fixtures.parquet(dir, "other", TEXT, new Object[] {"c3", "2024-01-03", "3", "o3", "x"});

    try (IngestResult result = Fixtures.ingest(context(dir.resolve("day=*").toString(), Map.of()), false)) {
      assertThat(result.counts().rowsIn()).isEqualTo(3);
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("duplicate_row", 1L));
      assertThat(result.customerSummaries().count()).isEqualTo(2);
    }
  }

  @Test
  void keptDuplicatesAreEachAPurchase() {
    String input =
        Fixtures.parquet(
            dir, "same-cd-twice", TEXT,
            new Object[] {"c1", "2024-01-01", "10", null, "x"},
            new Object[] {"c1", "2024-01-05", "4", null, "x"},
            new Object[] {"c1", "2024-01-05", "4", null, "x"});
    try (IngestResult result = Fixtures.ingest(context(input, Map.of("input.duplicates", "keep", "input.columns.order-id", "")), false)) {
      assertThat(result.counts().rejectedByReason()).isEmpty();
      assertThat(result.counts().clean()).isEqualTo(3);
      Row customer = result.customerSummaries().first();
      assertThat(customer.<Double>getAs("monetary_total")).isEqualTo(18.0);
      assertThat(customer.<Double>getAs("first_day_amount")).isEqualTo(10.0);
    }
    try (IngestResult result = Fixtures.ingest(context(input, Map.of("input.columns.order-id", "")), false)) {
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("duplicate_row", 1L));
      assertThat(result.customerSummaries().first().<Double>getAs("monetary_total")).isEqualTo(14.0);
    }
  }

  @Test
  void duplicatesAreFoundInsideArraysMapsAndStructsWithNanAndBinary() {
    StructType nested =
        new StructType()
            .add("cust", DataTypes.StringType)
            .add("ts", DataTypes.StringType)
            .add("amt", DataTypes.DoubleType)
            .add("scores", DataTypes.createArrayType(DataTypes.DoubleType))
            .add("blobs", DataTypes.createArrayType(DataTypes.BinaryType))
            .add("tags", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    Object[] row = {
      "c1", "2024-01-01", 5.0,
      scala.jdk.javaapi.CollectionConverters.asScala(List.of(Double.NaN, -0.0)).toSeq(),
      scala.jdk.javaapi.CollectionConverters.asScala(List.of(new byte[] {1, 2})).toSeq(),
      scala.jdk.javaapi.CollectionConverters.asScala(Map.of("k", "v"))
    };
    Object[] sameButPositiveZero = row.clone();
    sameButPositiveZero[3] =
        scala.jdk.javaapi.CollectionConverters.asScala(List.of(Double.NaN, 0.0)).toSeq();
    Object[] otherMap = row.clone();
    otherMap[5] = scala.jdk.javaapi.CollectionConverters.asScala(Map.of("k", "w"));
    String input = Fixtures.parquet(dir, "nested", nested, row, row.clone(), sameButPositiveZero, otherMap);
    try (IngestResult result = Fixtures.ingest(context(input, Map.of("input.columns.order-id", "")), false)) {
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("duplicate_row", 2L));
      assertThat(result.counts().clean()).isEqualTo(2);
      assertThat(result.customerSummaries().first().<Double>getAs("monetary_total")).isEqualTo(10.0);
    }
  }

  @Test
  void reservedAndClashingNamesAreMatchedWhateverTheirCase() {
    StructType shouting = TEXT.add("Reject_Reason", DataTypes.StringType);
    String clash =
        Fixtures.parquet(
            dir, "upper", shouting,
            new Object[] {null, "2024-01-01", "1", "o1", "x", "mine"},
            new Object[] {"c1", "2024-01-01", "1", "o1", "x", "clean"});
    StageContext context = context(clash, Map.of());
    Fixtures.ingest(context, false).close();
    Row rejected =
        rejects(context).first();
    assertThat(rejected.<String>getAs("input_Reject_Reason")).isEqualTo("mine");
    assertThat(rejected.<String>getAs("reject_reason")).isEqualTo("missing_customer_id");

    String reserved =
        Fixtures.parquet(
            dir, "reserved-upper", TEXT.add("__Amount", DataTypes.StringType),
            new Object[] {"c1", "2024-01-01", "1", "o1", "x", "7"});
    assertThatThrownBy(() -> Fixtures.ingest(context(reserved, Map.of()), false))
        .hasMessageEndingWith("its column name '__Amount' is reserved for ingest");
  }

  @Test
  void anInputColumnNamedMetadataDoesNotHideTheSourceFile() {
    String input =
        Fixtures.parquet(
            dir, "metadata", TEXT.add("_metadata", DataTypes.StringType),
            new Object[] {null, "2024-01-01", "1", "o1", "x", "user value"},
            new Object[] {"c1", "2024-01-01", "1", "o1", "x", "clean"});
    StageContext context = context(input, Map.of());
    Fixtures.ingest(context, false).close();

    Row rejected =
        rejects(context).first();
    assertThat(rejected.<String>getAs("_metadata")).isEqualTo("user value");
    assertThat(rejected.<String>getAs("source_file")).contains("metadata/part-");
  }

  @Test
  void idsAreTrimmedOfUnicodeBlanksAndBlankIdsAreMissing() {
    String input =
        Fixtures.parquet(
            dir, "blanks", TEXT,
            new Object[] {"C1", "2024-01-01", "1", "o1", "x"},
            new Object[] {"C1\r\n", "2024-01-02", "1", "o2", "x"},
            new Object[] {"\u00a0C1\u200b", "2024-01-03", "1", "o3", "x"},
            new Object[] {"\u3000C 2\t", "2024-01-04", "1", "o4", "x"},
            new Object[] {"\t", "2024-01-05", "1", "o5", "x"},
            new Object[] {"\u00a0", "2024-01-05", "1", "o6", "x"},
            new Object[] {"\u200b\ufeff", "2024-01-05", "1", "o7", "x"},
            new Object[] {"\r\n", "2024-01-05", "1", "o8", "x"});

    try (IngestResult result = Fixtures.ingest(context(input, Map.of()), false)) {
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("missing_customer_id", 4L));
      assertThat(result.customerSummaries().select("customer_id").as(Encoders.STRING()).collectAsList())
          .containsExactlyInAnyOrder("C1", "C 2");
      assertThat(result.customerSummaries().filter("customer_id = 'C1'").first().<Long>getAs("frequency"))
          .isEqualTo(3);
    }
  }

  @Test
  void theSchemaIsTheUnionOfAllFilesWhateverTheirNames() {
    StructType extra = TEXT.add("channel", DataTypes.StringType);
    Object[][] plain = {{"c1", "2024-01-01", "5", "o1", "x"}, {"c2", "2024-01-02", "6", "o2", "x"}};
    Object[][] wider = {{"c1", "2024-01-01", "5", "o1", "x", "web"}, {"c2", "2024-01-02", "6", "o2", "x", "shop"}};
    for (String[] order : new String[][] {{"x1", "x2"}, {"x2", "x1"}}) {
      Path in = dir.resolve("union-" + order[0]);
      Fixtures.parquet(in, order[0], TEXT, plain);
      Fixtures.parquet(in, order[1], extra, wider);
      // an empty file of yet another schema, whose name sorts first
      Fixtures.parquet(in, "a0", new StructType().add("other", DataTypes.IntegerType));
      try (IngestResult result = Fixtures.ingest(context(in + "/*", Map.of()), false)) {
        assertThat(result.counts().rowsIn()).isEqualTo(4);
        assertThat(result.counts().inputFiles()).isEqualTo(3);
        // The channel column tells the copies apart, in either order: no duplicate_row.
        assertThat(result.counts().rejectedByReason()).isEmpty();
        assertThat(result.counts().clean()).isEqualTo(4);
      }
    }
  }

  @Test
  void dataFilesBesidePartitionFoldersAreRefusedNotSkipped() {
    Path in = dir.resolve("partitioned");
    Fixtures.parquet(in, "region=EU", TEXT, new Object[] {"c1", "2024-01-01", "5", "o1", "x"});
    Fixtures.parquet(dir, "loose", TEXT, new Object[] {"c2", "2024-01-02", "6", "o2", "x"});
    try (var loose = java.nio.file.Files.list(dir.resolve("loose"))) {
      for (Path part : loose.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        java.nio.file.Files.move(part, in.resolve("root.parquet"));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    assertThatThrownBy(() -> Fixtures.ingest(context(in.toString(), Map.of()), false))
        .isInstanceOfSatisfying(LifecycleException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INPUT_UNUSABLE))
        .hasMessage(
            "Cannot read input " + in + ": folder file:" + in + " has data files beside its partition folders"
                + " (root.parquet), which Spark would skip; move them into a partition folder");
  }

  @Test
  void dataFilesInASubFolderThatIsNoPartitionAreRefusedNotSkipped() {
    Path in = dir.resolve("layered");
    Fixtures.parquet(in, "backfill", TEXT, new Object[] {"c1", "2024-01-01", "5", "o1", "x"});

    assertThatThrownBy(() -> Fixtures.ingest(context(in.toString(), Map.of()), false))
        .isInstanceOfSatisfying(LifecycleException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INPUT_UNUSABLE))
        .hasMessage(
            "Cannot read input " + in + ": folder file:" + in + " has data files in its sub-folder backfill, which is"
                + " not a partition folder (name=value) and which Spark would skip; list the folders with a glob (file:"
                + in + "/*) or move the files");
    // the glob it suggests reads them
    assertThat(Fixtures.ingest(context(in + "/*", Map.of()), false).counts().rowsIn()).isEqualTo(1);
  }

  @Test
  void aPurchaseWithoutOrderIdNeverMergesWithAnOrderIdEqualToItsTime() {
    StructType numericOrders =
        new StructType()
            .add("cust", DataTypes.StringType)
            .add("ts", DataTypes.StringType)
            .add("amt", DataTypes.StringType)
            .add("ord", DataTypes.LongType)
            .add("note", DataTypes.StringType);
    // 2024-01-01 10:00 UTC is 1704103200000000 microseconds since the epoch.
    String input =
        Fixtures.parquet(
            dir, "orders", numericOrders,
            new Object[] {"c1", "2024-01-01 10:00:00", "1", null, "x"},
            new Object[] {"c1", "2024-01-02 10:00:00", "1", 1704103200000000L, "x"});

    try (IngestResult result = Fixtures.ingest(context(input, Map.of()), false)) {
      assertThat(result.customerSummaries().first().<Long>getAs("frequency")).isEqualTo(2);
    }
  }

  @Test
  void listedFileUrisAreSpelledAsSparkMetadataSpellsThem() {
    assertThat(Transactions.asMetadataPath("file:///tmp/a%20b/part-0.parquet"))
        .isEqualTo("file:/tmp/a%20b/part-0.parquet");
    assertThat(Transactions.asMetadataPath("s3a://bucket/tx/part-0.parquet"))
        .isEqualTo("s3a://bucket/tx/part-0.parquet");
    assertThat(Transactions.asMetadataPath("hdfs://nn:8020/tx/p.parquet"))
        .isEqualTo("hdfs://nn:8020/tx/p.parquet");
  }

  @Test
  void inputColumnWithAReservedNameIsUnusable() {
    String input =
        Fixtures.parquet(
            dir, "reserved", TEXT.add("__amount", DataTypes.StringType),
            new Object[] {"c1", "2024-01-01", "1", "o1", "x", "y"});

    assertThatThrownBy(() -> Fixtures.ingest(context(input, Map.of()), false))
        .isInstanceOf(LifecycleException.class)
        .hasMessage("Cannot use input " + input + ": its column name '__amount' is reserved for ingest")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.INPUT_UNUSABLE);
  }

  @Test
  void snapshotCutIsTheEndOfTheAsOfDayInTheSessionTimeZone() {
    String input =
        Fixtures.parquet(
            dir, "edge", TEXT,
            new Object[] {"c1", "2024-01-31 23:59:59.999", "1", "o1", "x"},
            new Object[] {"c1", "2024-02-01 00:00:00", "1", "o2", "x"});

    try (IngestResult result = Fixtures.ingest(context(input, Map.of()), false)) {
      assertThat(result.counts().clean()).isEqualTo(1);
      assertThat(result.counts().excludedByReason()).containsOnly(entry("after_snapshot", 1L));
      assertThat(result.counts().rejected()).isZero();
    }
  }

  @Test
  void netAndKeepPoliciesKeepReturnsAndZeroAmounts() {
    StageContext context =
        context(everyKindOfRow(), Map.of("input.returns", "net", "input.zero-amounts", "keep"));

    try (IngestResult result = Fixtures.ingest(context, false)) {
      assertThat(result.counts().excludedByReason()).containsOnly(entry("after_snapshot", 1L));
      assertThat(result.counts().clean()).isEqualTo(5);
      assertThat(result.counts().rejected()).isEqualTo(11);
    }
  }

  @Test
  void typedColumnsCastIdsTimestampsAndAmounts() {
    StructType typed =
        new StructType()
            .add("cust", DataTypes.LongType)
            .add("ts", DataTypes.DateType)
            .add("amt", DataTypes.createDecimalType(10, 2))
            .add("ord", DataTypes.IntegerType)
            .add("note", DataTypes.StringType);
    String input =
        Fixtures.parquet(
            dir,
            "typed",
            typed,
            new Object[] {42L, java.sql.Date.valueOf("2024-01-05"), new java.math.BigDecimal("9.99"), 7, "x"});

    try (IngestResult result = Fixtures.ingest(context(input, Map.of()), false)) {
      Row row = result.customerSummaries().first();
      assertThat(row.<String>getAs("customer_id")).isEqualTo("42");
      assertThat(row.getAs("first_purchase").toString()).isEqualTo("2024-01-05 00:00:00.0");
      assertThat(row.<Double>getAs("monetary_total")).isEqualTo(9.99);
      assertThat(row.<Long>getAs("frequency")).isEqualTo(1);
    }
  }

  @Test
  void aDateOutsideTheTimestampRangeIsARejectedRowNotAFailure() {
    // 365,000,000 days on: year 1,001,358, a valid DATE that no TIMESTAMP can hold (long overflow)
    String input = dir.resolve("far").toString();
    TestSpark.session()
        .sql("SELECT 42L AS cust, date_add(DATE'2024-01-05', d) AS ts, 9.99D AS amt, 7 AS ord, 'x' AS note"
            + " FROM VALUES (0), (365000000) AS t(d)")
        .write()
        .parquet(input);

    try (IngestResult result = Fixtures.ingest(context(input, Map.of()), false)) {
      assertThat(result.counts().rowsIn()).isEqualTo(2);
      assertThat(result.counts().clean()).isEqualTo(1);
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("unparseable_timestamp", 1L));
    }
  }

  @Test
  void defaultSnapshotIsTheLastTransactionDate() {
    String input = everyKindOfRow();
    try (IngestResult result = Fixtures.ingest(withoutAsOf(input), false)) {
      assertThat(result.asOf()).isEqualTo(LocalDate.of(2024, 2, 1));
      assertThat(result.counts().excludedByReason()).doesNotContainKey("after_snapshot");
    }
  }

  /**
   * A timestamp column's default snapshot comes from the files' footers, the day of the newest
   * value in the session's time zone; with a row after the run's start, from a scan that leaves
   * that row out. Either way the rows in are counted apart from the pass and reconcile.
   */
  @Test
  void theDefaultSnapshotOfATimestampColumnIsItsNewestDayWithFutureRowsLeftOut() {
    String past =
        "SELECT 'c1' AS cust, ts, 1.0D AS amt FROM VALUES (TIMESTAMP'2024-01-05 10:00:00'),"
            + " (TIMESTAMP'2024-02-01 23:30:00') AS t(ts)";
    String input = dir.resolve("typed-past").toString();
    TestSpark.session().sql(past).repartition(2).write().parquet(input);
    try (IngestResult result = Fixtures.ingest(withoutAsOf(input), false)) {
      assertThat(result.asOf()).isEqualTo(LocalDate.of(2024, 2, 1));
      assertThat(result.counts().rowsIn()).isEqualTo(2);
      assertThat(result.counts().clean()).isEqualTo(2);
    }

    String future = dir.resolve("typed-future").toString();
    TestSpark.session().sql(past + " UNION ALL SELECT 'c1', TIMESTAMP'2999-01-01 00:00:00', 1.0D").write().parquet(future);
    try (IngestResult result = Fixtures.ingest(withoutAsOf(future), false)) {
      assertThat(result.asOf()).isEqualTo(LocalDate.of(2024, 2, 1));
      assertThat(result.counts().rowsIn()).isEqualTo(3);
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("future_timestamp", 1L));
    }
  }

  /** The newest timestamp's day is the session time zone's, in any spelling Spark takes. */
  @Test
  void theDefaultSnapshotIsTheNewestTimestampsDayInTheSessionTimeZone() {
    String input = dir.resolve("typed-zone").toString();
    // 03:30 UTC on 2 February is 19:30 on 1 February in Los Angeles
    TestSpark.session().sql("SELECT 'c1' AS cust, TIMESTAMP'2024-02-02 03:30:00Z' AS ts, 1.0D AS amt").write().parquet(input);
    String zone = TestSpark.session().conf().get("spark.sql.session.timeZone");
    try {
      TestSpark.session().conf().set("spark.sql.session.timeZone", "PST"); // a short id, not one ZoneId.of takes
      try (IngestResult result = Fixtures.ingest(withoutAsOf(input), false)) {
        assertThat(result.asOf()).isEqualTo(LocalDate.of(2024, 2, 1));
      }
    } finally {
      TestSpark.session().conf().set("spark.sql.session.timeZone", zone);
    }
    try (IngestResult result = Fixtures.ingest(withoutAsOf(input), false)) {
      assertThat(result.asOf()).isEqualTo(LocalDate.of(2024, 2, 2));
    }
  }

  @Test
  void aRowAfterTheRunsStartIsAFutureRejectAndDoesNotMoveTheDefaultSnapshot() {
    String input =
        Fixtures.parquet(
            dir, "future", TEXT,
            new Object[] {"c1", "2024-01-05", "1", "o1", "x"},
            new Object[] {"c1", "2999-01-01", "1", "o2", "x"});
    try (IngestResult result = Fixtures.ingest(withoutAsOf(input), false)) {
      assertThat(result.asOf()).isEqualTo(LocalDate.of(2024, 1, 5));
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("future_timestamp", 1L));
      assertThat(result.counts().clean()).isEqualTo(1);
    }
    // with an explicit snapshot too: a future row is a reject, not after_snapshot
    try (IngestResult result = Fixtures.ingest(context(input, Map.of()), false)) {
      assertThat(result.counts().rejectedByReason()).containsOnly(entry("future_timestamp", 1L));
      assertThat(result.counts().excludedByReason()).isEmpty();
    }
  }
}
