package dev.lifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  private Path file(String text) throws IOException {
    Path file = dir.resolve("test.properties");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void defaultsGiveAValidConfigWithoutInput() {
    LifecycleConfig config = LifecycleConfig.from(Settings.defaults());

    assertThat(config.input().path()).isEmpty();
    assertThat(config.columns().customerId()).isEqualTo("customer_id");
    assertThat(config.columns().orderId()).isEmpty();
    assertThat(config.returns()).isEqualTo(ReturnsPolicy.EXCLUDE);
    assertThat(config.zeroAmounts()).isEqualTo(ZeroAmountPolicy.KEEP);
    assertThat(config.duplicates()).isEqualTo(DuplicatePolicy.REJECT);
    assertThat(config.timeUnit()).isEqualTo(PeriodUnit.WEEK);
    assertThat(config.asOf()).isEmpty();
  }

  @Test
  void flagBeatsSetBeatsFileBeatsDefault() throws IOException {
    Path file =
        file("input.path = from-file\nwarehouse = file-wh\nfeatures.time-unit = month\n");

    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .withFile(file)
                .with(Map.of("input.path", "from-set", "warehouse", "set-wh"), "--set")
                .withFlag(ConfigKey.INPUT_PATH, "from-flag", "--input")
                .withFlag(ConfigKey.WAREHOUSE, null, "--warehouse"));

    assertThat(config.input().path()).contains("from-flag");
    assertThat(config.warehouse()).contains("set-wh");
    assertThat(config.timeUnit()).isEqualTo(PeriodUnit.MONTH);
    assertThat(config.returns()).isEqualTo(ReturnsPolicy.EXCLUDE);
  }

  @Test
  void unknownKeyInFileNamesKeyFileAndLine() throws IOException {
    Path file = file("# a comment\nwarehouse = w\n\ninput.paht = x\n");

    assertThatThrownBy(() -> Settings.defaults().withFile(file))
        .isInstanceOf(LifecycleException.class)
        .hasMessage("Unknown config key 'input.paht' in config file " + file + ", line 4")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aByteOrderMarkIsSkipped() throws IOException {
    Path file = dir.resolve("bom.properties");
    Files.write(file, ("\uFEFFinput.path = /data/tx\n").getBytes(StandardCharsets.UTF_8));

    assertThat(LifecycleConfig.from(Settings.defaults().withFile(file)).input().path()).contains("/data/tx");
  }

  @Test
  void aByteThatIsNotUtf8IsNamedByLineAndColumn() throws IOException {
    Path file = dir.resolve("latin1.properties");
    Files.write(file, "# caf\u00e9\ninput.path = /data/caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> Settings.defaults().withFile(file))
        .hasMessage(
            "Cannot read config file " + file + ": byte 0xE9 at line 1, column 6 is not UTF-8 (save the file as UTF-8)")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aKeyGivenTwiceNamesBothLines() throws IOException {
    Path file = file("# two\ninput.path = /a\nwarehouse = /w\ninput.path = \\\n  /b\n");

    assertThatThrownBy(() -> Settings.defaults().withFile(file))
        .hasMessage("Cannot read config file " + file + ": key 'input.path' is given twice, on lines 2 and 4")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void anInputIsFilesOrATableWithAVersionOnlyWhereTheFormatHasOne() {
    LifecycleConfig table =
        LifecycleConfig.from(Settings.defaults().with(Map.of("input.table", "lake.sales.tx", "input.snapshot-id", "-42"), "--set"));
    assertThat(table.input().table()).contains("lake.sales.tx");
    assertThat(table.input().snapshotId()).contains(-42L);
    assertThat(table.requireInput().name()).isEqualTo("lake.sales.tx");
    assertThat(table.usesDelta()).as("a table may be Delta").isTrue();
    LifecycleConfig delta =
        LifecycleConfig.from(Settings.defaults().with(Map.of("input.path", "/lake/tx", "input.format", "delta", "input.version", "3"), "--set"));
    assertThat(delta.input().version()).contains(3L);
    assertThat(delta.usesDelta()).isTrue();
    assertThat(LifecycleConfig.from(Settings.defaults().with(Map.of("input.path", "/tx"), "--set")).usesDelta()).isFalse();

    assertInvalid(Map.of("input.path", "/tx", "input.table", "a.b"), "Invalid value 'a.b' for config key 'input.table'",
        "set input.path (--input) or input.table, not both");
    assertInvalid(Map.of("input.table", "a"), "Invalid value 'a' for config key 'input.table'",
        "expected <catalog>.<namespace>.<table> or <namespace>.<table>");
    assertInvalid(Map.of("input.table", "a.b", "input.format", "delta"), "config key 'input.format'", "a table's format is its catalog's");
    assertInvalid(Map.of("input.path", "/tx", "input.version", "3"), "config key 'input.version'",
        "pins a Delta input: set input.format = delta or input.table");
    assertInvalid(Map.of("input.path", "/tx", "input.format", "delta", "input.version", "-1"), "config key 'input.version'",
        "expected a whole number of at least 0");
    assertInvalid(Map.of("input.path", "/tx", "input.snapshot-id", "3"), "config key 'input.snapshot-id'", "pins an Iceberg input.table");
    assertInvalid(Map.of("input.table", "a.b", "input.snapshot-id", "3", "input.version", "1"), "config key 'input.snapshot-id'",
        "set one");
    assertInvalid(Map.of("output.delta.namespace", "a.b.c"), "Invalid value 'a.b.c' for config key 'output.delta.namespace'",
        "expected <schema> or <catalog>.<schema>");
    assertThat(LifecycleConfig.from(Settings.defaults().with(Map.of("output.delta.namespace", "main.bi"), "--set")).output().deltaNamespace())
        .contains("main.bi");
  }

  @Test
  void loyaltyJudgmentsAreCheckedOnSaatysRules() {
    LoyaltyConfig loyalty = LifecycleConfig.from(Settings.defaults()).loyalty();
    assertThat(loyalty.criteria()).hasSize(6);
    assertThat(loyalty.priorities().cr()).as("the default judgments").isLessThan(0.1);
    String key = "Invalid value";
    // Saaty's (1990) transportation comparison, CR .213
    assertInvalid(
        Map.of("loyalty.criteria", "recency:-,frequency:+,monetary:+", "loyalty.comparisons", "7,1/5,1/8"),
        key,
        "the judgments are inconsistent, consistency ratio CR = 0.213 (must be below 0.1); the most inconsistent pair");
    assertInvalid(
        Map.of("loyalty.criteria", "recency:-,frequency:+", "loyalty.comparisons", "1 3; 1/2 1"),
        "'loyalty.comparisons'", "cell (2,1) = 1/2 is not the reciprocal of cell (1,2) = 3 (expected 1/3)");
    assertInvalid(
        Map.of("loyalty.criteria", "recency:-,frequency:+", "loyalty.comparisons", "10"),
        "'loyalty.comparisons'", "cell (1,2) = 10 is outside Saaty's scale 1/9..9");
    assertInvalid(
        Map.of("loyalty.criteria", "recency:-,frequency:+", "loyalty.comparisons", "2,3"),
        "'loyalty.comparisons'", "2 criteria need 1 comparisons above the diagonal, not 2");
    assertInvalid(Map.of("loyalty.criteria", "recency,frequency:+"), "'loyalty.criteria'", "needs a direction");
    assertInvalid(Map.of("loyalty.criteria", "recency:-,loyalty:+"), "'loyalty.criteria'", "unknown indicator 'loyalty'");
    assertInvalid(
        Map.of("loyalty.criteria", "recency:-,recency:+", "loyalty.comparisons", "1"), "'loyalty.criteria'", "listed twice");
    assertThat(
            LifecycleConfig.from(
                    Settings.defaults()
                        .with(Map.of("loyalty.criteria", "frequency:+,tenure:+", "loyalty.comparisons", "1 3; 1/3 1"), "--set"))
                .loyalty()
                .priorities()
                .weights())
        .containsExactly(new double[] {0.75, 0.25}, within(1e-12));
  }

  @Test
  void propensityAndValueClassifierSettingsAreChecked() {
    assertInvalid(
        Map.of("propensity.holdout-share", "1"), "'propensity.holdout-share'",
        "expected a share between 0 and 1, both excluded");
    assertInvalid(
        Map.of("propensity.hidden-layers", "16,0"), "'propensity.hidden-layers'",
        "expected a list of positive whole numbers (units per hidden layer, at most 1000), e.g. 8 or 16,8; '0' is not one");
    assertInvalid(Map.of("propensity.horizon-days", "0"), "'propensity.horizon-days'", "at least 1");
    assertInvalid(Map.of("value.hidden-layers", "x"), "'value.hidden-layers'", "'x' is not one");
    assertInvalid(
        Map.of("value.classifier", "perceptron"), "'value.classifier'",
        "a perceptron learns the classes of an earlier snapshot: set value.reference-snapshot");
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .with(Map.of("propensity.hidden-layers", "16, 8", "propensity.horizon-days", "273"), "--set"));
    assertThat(config.propensity().hiddenLayers()).containsExactly(16, 8);
    assertThat(config.propensity().cut(java.time.LocalDate.of(1998, 6, 30))).contains(java.time.LocalDate.of(1997, 9, 30));
  }

  @Test
  void aStableIdsDistanceIsANonNegativeNumberAndUnsetIsNoLimit() {
    assertInvalid(
        Map.of("segment.stable-ids.max-distance", "-0.5"), "'segment.stable-ids.max-distance'",
        "expected a number of at least 0");
    assertInvalid(Map.of("segment.stable-ids.max-distance", "far"), "'segment.stable-ids.max-distance'", "at least 0");
    assertThat(LifecycleConfig.from(Settings.defaults()).segment().stableIdsMaxDistance()).isInfinite();
    assertThat(
            LifecycleConfig.from(Settings.defaults().with(Map.of("segment.stable-ids.max-distance", "0.75"), "--set"))
                .segment()
                .stableIdsMaxDistance())
        .isEqualTo(0.75);
  }

  private static void assertInvalid(Map<String, String> set, String key, String reason) {
    assertThatThrownBy(() -> LifecycleConfig.from(Settings.defaults().with(set, "--set")))
        .isInstanceOf(LifecycleException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(reason)
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void unknownKeyInSetNamesSet() {
    assertThatThrownBy(() -> Settings.defaults().with(Map.of("output.fromat", "x"), "--set"))
        .hasMessage("Unknown config key 'output.fromat' in --set");
  }

  @Test
  void missingConfigFileIsAUsageError() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> Settings.defaults().withFile(missing))
        .hasMessage("Cannot read config file " + missing + ": no such file");
    assertThatThrownBy(() -> Settings.defaults().withFile(dir))
        .hasMessage("Cannot read config file " + dir + ": it is a folder");
  }

  @Test
  void aBadValueInTheFileNamesItsLine() throws IOException {
    Path file = file("warehouse = w\nsegment.k = \\\n  lots\ninput.returns = keep\n");

    assertThatThrownBy(() -> LifecycleConfig.from(Settings.defaults().withFile(file)))
        .hasMessage(
            "Invalid value 'keep' for config key 'input.returns' (from config file " + file + ", line 4): expected"
                + " net | exclude");
  }

  @Test
  void badChoiceNamesKeyValueSourceAndAllowedValues() {
    Settings settings = Settings.defaults().with(Map.of("input.returns", "keep"), "--set");

    assertThatThrownBy(() -> LifecycleConfig.from(settings))
        .hasMessage(
            "Invalid value 'keep' for config key 'input.returns' (from --set): expected net | exclude");
  }

  @Test
  void segmentDefaultsAndOverrides() {
    SegmentConfig defaults = LifecycleConfig.from(Settings.defaults()).segment();
    assertThat(defaults.features())
        .containsExactly(SegmentConfig.Feature.RECENCY, SegmentConfig.Feature.FREQUENCY, SegmentConfig.Feature.MONETARY);
    assertThat(defaults.kMin()).isEqualTo(4);
    assertThat(defaults.kMax()).isEqualTo(10);
    assertThat(defaults.somRows()).isZero();
    assertThat(defaults.topology()).isEqualTo(dev.lifecycle.core.som.SomGrid.Topology.HEXAGONAL);
    assertThat(defaults.modelIn()).isEmpty();

    SegmentConfig set =
        LifecycleConfig.from(
                Settings.defaults()
                    .with(
                        Map.of(
                            "segment.features", "aov, trend,tenure",
                            "segment.k", "6",
                            "segment.som.grid", "12x8",
                            "segment.som.neighbourhood", "bubble"),
                        "--set"))
            .segment();
    assertThat(set.features())
        .containsExactly(SegmentConfig.Feature.AOV, SegmentConfig.Feature.TREND, SegmentConfig.Feature.TENURE);
    assertThat(set.kMin()).isEqualTo(6);
    assertThat(set.kMax()).isEqualTo(6);
    assertThat(set.somRows()).isEqualTo(12);
    assertThat(set.somCols()).isEqualTo(8);
    assertThat(set.neighbourhood()).isEqualTo(dev.lifecycle.core.som.Neighbourhood.BUBBLE);
  }

  @Test
  void badSegmentSettingsAreNamed() {
    Map<String, String> cases =
        Map.of(
            "segment.features=recency,age", "unknown feature 'age'; expected recency, frequency, monetary, tenure, aov, trend",
            "segment.features=recency,recency", "'recency' is listed twice",
            "segment.features=recency", "needs at least two features",
            "segment.k=1", "expected a number of segments like 5, or a range like 4..10, each at least 2",
            "segment.k=8..4", "expected a number of segments like 5, or a range like 4..10, each at least 2",
            "segment.som.grid=10", "expected auto or ROWSxCOLS like 10x10",
            "segment.som.grid=1x1", "expected auto or ROWSxCOLS like 10x10",
            "segment.som.grid=1000x1000", "1,000,000 nodes; a SOM grid has at most 10,000 (100x100)",
            // rows x cols overflows an int: found as the 4.3 billion nodes it is
            "segment.som.grid=100000x42950", "4,295,000,000 nodes; a SOM grid has at most 10,000 (100x100)",
            "segment.som.max-nodes=20000", "expected a whole number from 4 to 10000");
    cases.forEach(
        (assignment, reason) -> {
          String key = assignment.substring(0, assignment.indexOf('='));
          String value = assignment.substring(assignment.indexOf('=') + 1);
          Settings settings = Settings.defaults().with(Map.of(key, value), "--set");
          assertThatThrownBy(() -> LifecycleConfig.from(settings))
              .hasMessage("Invalid value '" + value + "' for config key '" + key + "' (from --set): " + reason);
        });
  }

  @Test
  void anEmptyEntryInATuningListIsRefusedNotDropped() {
    for (String[] c :
        new String[][] {
          {"tune.k", ";", "expected a number of segments like 5, or a range like 4..10, each at least 2"},
          {"tune.k", "4..6;", "expected a number of segments like 5, or a range like 4..10, each at least 2"},
          {"tune.som.grid", "8x8;;10x10", "expected auto or ROWSxCOLS like 10x10"}
        }) {
      Settings settings = Settings.defaults().with(Map.of(c[0], c[1]), "--set");
      assertThatThrownBy(() -> LifecycleConfig.from(settings))
          .hasMessage("Invalid value '" + c[1] + "' for config key '" + c[0] + "' (from --set): " + c[2]);
    }
  }

  @Test
  void negativeOrNonNumericMoneyIsRejected() {
    for (String bad : new String[] {"-0.1", "abc", "NaN", "Infinity"}) {
      Settings settings = Settings.defaults().with(Map.of("clv.margin", bad), "--set");

      assertThatThrownBy(() -> LifecycleConfig.from(settings))
          .hasMessage(
              "Invalid value '" + bad + "' for config key 'clv.margin' (from --set): expected a number of at least 0");
    }
  }

  @Test
  void clvLifecycleAndValueDefaults() {
    LifecycleConfig config = LifecycleConfig.from(Settings.defaults());

    assertThat(config.clv().purchaseModel()).isEqualTo(LifecycleConfig.PurchaseModel.BG_NBD);
    assertThat(config.clv().horizon()).isEqualTo(12);
    assertThat(config.clv().timeUnit()).isEqualTo(PeriodUnit.MONTH);
    assertThat(config.lifecycle().windowDays()).isEqualTo(91);
    assertThat(config.value().currentDays()).isEqualTo(365);
  }

  @Test
  void badTimeUnitIsRejected() {
    Settings settings = Settings.defaults().with(Map.of("features.time-unit", "year"), "--set");

    assertThatThrownBy(() -> LifecycleConfig.from(settings))
        .hasMessageContaining("'features.time-unit'")
        .hasMessageEndingWith("expected day | week | month");
  }

  @Test
  void badDateNamesTheFlag() {
    Settings settings = Settings.defaults().withFlag(ConfigKey.SNAPSHOT_AS_OF, "2024-13-01", "--as-of");

    assertThatThrownBy(() -> LifecycleConfig.from(settings))
        .hasMessage(
            "Invalid value '2024-13-01' for config key 'snapshot.as-of' (from --as-of):"
                + " '2024-13-01' is no date: expected YYYY-MM-DD, a comma list of dates, or a range A..B with"
                + " snapshot.every");
  }

  private static LifecycleConfig snapshots(String asOf, String every) {
    return LifecycleConfig.from(
        Settings.defaults().withFlag(ConfigKey.SNAPSHOT_AS_OF, asOf, "--as-of").withFlag(ConfigKey.SNAPSHOT_EVERY, every, "--every"));
  }

  @Test
  void snapshotRangesStepByMonthEndsWeeksAndQuarters() {
    assertThat(snapshots("2011-01-31..2011-11-30", "month").snapshots())
        .hasSize(11)
        .startsWith(LocalDate.of(2011, 1, 31), LocalDate.of(2011, 2, 28), LocalDate.of(2011, 3, 31))
        .endsWith(LocalDate.of(2011, 11, 30));
    assertThat(snapshots("2011-01-31..2011-11-30", "month").asOf()).contains(LocalDate.of(2011, 11, 30));
    assertThat(snapshots("2011-01-15..2011-04-14", "month").snapshots())
        .containsExactly(LocalDate.of(2011, 1, 15), LocalDate.of(2011, 2, 15), LocalDate.of(2011, 3, 15));
    assertThat(snapshots("2011-01-03..2011-01-24", "week").snapshots()).hasSize(4).endsWith(LocalDate.of(2011, 1, 24));
    assertThat(snapshots("2010-12-31..2011-12-31", "quarter").snapshots())
        .containsExactly(
            LocalDate.of(2010, 12, 31), LocalDate.of(2011, 3, 31), LocalDate.of(2011, 6, 30), LocalDate.of(2011, 9, 30),
            LocalDate.of(2011, 12, 31));
    assertThat(snapshots("2011-03-31, 2011-01-31", null).snapshots())
        .containsExactly(LocalDate.of(2011, 1, 31), LocalDate.of(2011, 3, 31));
    assertThat(snapshots("2011-01-31..2011-01-31", "week").snapshots()).containsExactly(LocalDate.of(2011, 1, 31));
    assertThat(LifecycleConfig.from(Settings.defaults()).snapshots()).isEmpty();
  }

  @Test
  void badSnapshotRangesSayWhatIsWrong() {
    assertThatThrownBy(() -> snapshots(null, "month"))
        .hasMessage(
            "Invalid value 'month' for config key 'snapshot.every' (from --every): steps a range of snapshots:"
                + " set snapshot.as-of (--as-of) to A..B");
    assertThatThrownBy(() -> snapshots("2011-12-31", "month"))
        .hasMessage(
            "Invalid value 'month' for config key 'snapshot.every' (from --every): steps a range of snapshots,"
                + " but snapshot.as-of 2011-12-31 is no range A..B");
    assertThatThrownBy(() -> snapshots("2011-01-31..2011-12-31", null))
        .hasMessage(
            "Invalid value '2011-01-31..2011-12-31' for config key 'snapshot.as-of' (from --as-of): a range needs a"
                + " step: set snapshot.every (--every) to week, month or quarter");
    assertThatThrownBy(() -> snapshots("2011-12-31..2011-01-31", "month"))
        .hasMessage(
            "Invalid value '2011-12-31..2011-01-31' for config key 'snapshot.as-of' (from --as-of): the range is"
                + " empty: its end is before its start");
    assertThat(snapshots("2001-01-31..2010-12-31", "month").snapshots()).hasSize(SnapshotDates.MAX);
    assertThatThrownBy(() -> snapshots("2001-01-31..2011-01-31", "month"))
        .hasMessage(
            "Invalid value '2001-01-31..2011-01-31' for config key 'snapshot.as-of' (from --as-of): makes more than"
                + " 120 snapshots, the most one run makes: split it into several runs");
    assertThatThrownBy(() -> snapshots("2011-01-31,2011-01-31", null))
        .hasMessageEndingWith("lists 2011-01-31 twice");
    assertThatThrownBy(() -> snapshots("2011-01-31..2011-12-31", "day"))
        .hasMessageEndingWith("expected week | month | quarter");
    assertThatThrownBy(
            () ->
                LifecycleConfig.from(
                    Settings.defaults()
                        .withFlag(ConfigKey.SNAPSHOT_AS_OF, "2011-01-31,2011-02-28", "--as-of")
                        .withFlag(ConfigKey.VALIDATION_HOLDOUT_UNTIL, "2011-06-30", "--holdout-until")))
        .hasMessage(
            "Invalid value '2011-06-30' for config key 'validation.holdout-until' (from --holdout-until): a backtest"
                + " calibrates to one snapshot, but snapshot.as-of makes 2");
  }

  @Test
  void asOfParses() {
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults().withFlag(ConfigKey.SNAPSHOT_AS_OF, "2011-12-09", "--as-of"));
    assertThat(config.asOf()).contains(LocalDate.of(2011, 12, 9));
  }

  @Test
  void pseudonymizationNamesTheKeyVariableAndTakesOnlyTrueOrFalse() {
    LifecycleConfig on =
        LifecycleConfig.from(
            Settings.defaults()
                .with(Map.of("output.pseudonymize-ids", "true", "output.pseudonymize-key-env", "ID_KEY"), "--set"));
    assertThat(on.output().pseudonymKeyVariable()).contains("ID_KEY");
    assertThat(LifecycleConfig.from(Settings.defaults()).output().pseudonymKeyVariable()).isEmpty();

    Settings yes = Settings.defaults().with(Map.of("output.pseudonymize-ids", "yes"), "--set");
    assertThatThrownBy(() -> LifecycleConfig.from(yes))
        .hasMessage(
            "Invalid value 'yes' for config key 'output.pseudonymize-ids' (from --set): expected true | false");
  }

  @Test
  void icebergOutputNamesItsCatalogAndNamespace() {
    LifecycleConfig defaults =
        LifecycleConfig.from(Settings.defaults().with(Map.of("output.format", "iceberg"), "--set"));
    assertThat(defaults.output())
        .isEqualTo(new LifecycleConfig.Output(OutputFormat.ICEBERG, "lifecycle", "lifecycle"));

    Settings hostile =
        Settings.defaults()
            .with(Map.of("output.format", "iceberg", "output.iceberg.namespace", "a; drop"), "--set");
    assertThatThrownBy(() -> LifecycleConfig.from(hostile))
        .hasMessage(
            "Invalid value 'a; drop' for config key 'output.iceberg.namespace' (from --set): use"
                + " letters, digits and underscores, not starting with a digit");
  }

  @Test
  void rejectedShareMustBeAFraction() {
    Settings settings =
        Settings.defaults().with(Map.of("quality.max-rejected-share", "1.5"), "--set");

    assertThatThrownBy(() -> LifecycleConfig.from(settings))
        .hasMessageEndingWith("expected a number from 0 to 1");
  }

  @Test
  void retentionDefaultsAndOverrides() {
    LifecycleConfig.Retention defaults = LifecycleConfig.from(Settings.defaults()).retention();
    LifecycleConfig.Retention yearly =
        LifecycleConfig.from(
                Settings.defaults()
                    .with(
                        Map.of(
                            "retention.period", "year",
                            "retention.cohort-attribute", "Country",
                            "retention.holdout", " 0 "),
                        "--set"))
            .retention();

    assertThat(defaults)
        .isEqualTo(new LifecycleConfig.Retention(RetentionPeriod.MONTH, java.util.Optional.empty(), 180, 3, 36, 100));
    assertThat(yearly.period()).isEqualTo(RetentionPeriod.YEAR);
    assertThat(yearly.cohortAttribute()).contains("Country");
    assertThat(yearly.holdout()).isZero();
  }

  @Test
  void badWholeNumberNamesKeyAndMinimum() {
    Settings settings =
        Settings.defaults().with(Map.of("retention.churn-after-days", "ninety"), "--set");

    assertThatThrownBy(() -> LifecycleConfig.from(settings))
        .hasMessage(
            "Invalid value 'ninety' for config key 'retention.churn-after-days' (from --set):"
                + " expected a whole number of at least 1");
    assertThatThrownBy(
            () ->
                LifecycleConfig.from(
                    Settings.defaults().with(Map.of("retention.horizon", "0"), "--set")))
        .hasMessageEndingWith("expected a whole number of at least 1");
  }

  @Test
  void anEmptyValueUnsetsTheKeyBackToItsDefaultOrToNone() throws IOException {
    Path file = file("input.columns.amount = price\ninput.returns =\ninput.columns.order-id = invoice\n");
    Settings settings =
        Settings.defaults()
            .withFile(file)
            .with(Map.of("input.columns.amount", "", "input.columns.order-id", ""), "--set");

    LifecycleConfig config = LifecycleConfig.from(settings);
    // a key with a default has it again, whatever the file said; one without has none
    assertThat(config.columns().amount()).isEqualTo("amount");
    assertThat(config.returns()).isEqualTo(ReturnsPolicy.EXCLUDE);
    assertThat(config.columns().orderId()).isEmpty();
    assertThat(settings.redacted()).containsEntry("input.returns", "exclude").doesNotContainKey("input.columns.order-id");
  }

  @Test
  void aColumnMappedToTwoRolesIsRefusedNamingTheLaterKey() {
    assertInvalid(
        Map.of("input.columns.amount", "Customer_ID"), "input.columns.amount",
        "it is also input.columns.customer-id's column; each role needs a column of its own");
    assertInvalid(
        Map.of("input.columns.order-id", "timestamp"), "input.columns.order-id",
        "it is also input.columns.timestamp's column; each role needs a column of its own");
  }

  @Test
  void trueAndFalseAreTakenInAnyCase() {
    Settings settings = Settings.defaults().with(Map.of("output.pseudonymize-ids", "TRUE", "output.pseudonymize-key-env", "K"), "--set");

    assertThat(LifecycleConfig.from(settings).output().pseudonymKeyVariable()).contains("K");
  }

  @Test
  void missingInputAndWarehouseAreNamed() {
    LifecycleConfig config = LifecycleConfig.from(Settings.defaults());

    assertThatThrownBy(config::requireInput)
        .hasMessageStartingWith("Missing config key 'input.path'");
    assertThatThrownBy(config::requireWarehouse)
        .hasMessageStartingWith("Missing config key 'warehouse'");
  }

  @Test
  void sparkKeysPassThroughAndSecretsAreRedacted() {
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .with(
                    Map.of(
                        "spark.sql.shuffle.partitions", "8",
                        "spark.hadoop.fs.s3a.secret.key", "hunter2",
                        "spark.hadoop.fs.s3a.access.key", "AKIA123"),
                    "--set"));

    assertThat(config.sparkConf())
        .containsEntry("spark.sql.shuffle.partitions", "8")
        .containsEntry("spark.hadoop.fs.s3a.secret.key", "hunter2");
    assertThat(config.redacted())
        .containsEntry("spark.sql.shuffle.partitions", "8")
        .containsEntry("spark.hadoop.fs.s3a.secret.key", "***")
        .containsEntry("spark.hadoop.fs.s3a.access.key", "***");
    assertThat(config.redacted().values()).doesNotContain("hunter2", "AKIA123");
  }

  @Test
  void azureKeysAndCredentialsInUrisAreRedacted() {
    LifecycleConfig config =
        LifecycleConfig.from(
            Settings.defaults()
                .with(
                    Map.of(
                        "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net", "azkey",
                        "spark.hadoop.fs.azure.sas.container.acct", "sastoken",
                        "input.path", "s3a://AKIA:hunter2@bucket/tx/"),
                    "--set"));

    assertThat(config.redacted().values()).doesNotContain("azkey", "sastoken");
    assertThat(config.redacted()).containsEntry("input.path", "s3a://***@bucket/tx/");
    assertThat(config.input().path()).contains("s3a://AKIA:hunter2@bucket/tx/");
  }

  @Test
  void bareSparkPrefixIsUnknown() {
    assertThatThrownBy(() -> Settings.defaults().with(Map.of("spark.", "x"), "--set"))
        .hasMessage("Unknown config key 'spark.' in --set");
  }
}
