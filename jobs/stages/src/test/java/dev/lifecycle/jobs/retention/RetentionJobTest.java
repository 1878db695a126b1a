package dev.lifecycle.jobs.retention;

import dev.lifecycle.spark.table.CohortActivityTable;
import dev.lifecycle.spark.table.RetentionCurvesTable;
import dev.lifecycle.spark.table.RetentionModelsTable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.jobs.ingest.IngestJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.spark.stage.StageContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionJobTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("cust", DataTypes.LongType)
          .add("day", DataTypes.DateType)
          .add("amt", DataTypes.DoubleType)
          .add("tier", DataTypes.StringType);

  @TempDir static Path shared;
  private static Path faderHardieWarehouse;

  @TempDir Path dir;

  /**
   * Fader &amp; Hardie (2007), Table 1, as transactions: per tier 1,000 customers acquired over
   * 2000, one purchase a year on the anniversary while alive, observed to the end of 2007 (years
   * 0..7). The tier is the cohort attribute, so one run fits both published cohorts.
   */
  @BeforeAll
  static void faderHardieRun() throws IOException {
    List<String> lines =
        Files.readAllLines(SharedData.file("retention/sbg_fader_hardie_2007_survivors.csv"));
    List<Object[]> rows = new ArrayList<>();
    long id = 0;
    String[] tiers = {"regular", "high_end"};
    for (int column = 1; column <= 2; column++) {
      long[] alive = new long[8];
      for (int year = 0; year <= 7; year++) {
        alive[year] = Long.parseLong(lines.get(year + 1).split(",")[column]);
      }
      for (int lastYear = 0; lastYear <= 7; lastYear++) {
        long customers = lastYear == 7 ? alive[7] : alive[lastYear] - alive[lastYear + 1];
        for (long c = 0; c < customers; c++, id++) {
          LocalDate acquired = LocalDate.of(2000, 1, 1).plusDays(id % 365);
          for (int year = 0; year <= lastYear; year++) {
            rows.add(new Object[] {id, acquired.plusYears(year), 10.0, tiers[column - 1]});
          }
        }
      }
    }
    String input = Fixtures.parquet(shared, "fader-hardie", SCHEMA, rows.toArray(Object[][]::new));
    faderHardieWarehouse = shared.resolve("warehouse");
    // A year without a purchase means churned: alive customers bought 0..364 days before the end.
    run(
        context(
            input,
            faderHardieWarehouse,
            Map.of(
                "snapshot.as-of", "2007-12-31",
                "retention.period", "year",
                "retention.churn-after-days", "364",
                "retention.cohort-attribute", "tier",
                "retention.holdout", "2",
                "retention.horizon", "12")));
  }

  @Test
  void sbgMatchesFaderHardie2007ThroughTheWholeStage() {
    Map<String, Row> regular = models(faderHardieWarehouse, "regular");
    Map<String, Row> highEnd = models(faderHardieWarehouse, "high_end");

    assertParameters(regular.get("sbg"), "alpha", 0.704, "beta", 1.182);
    assertThat(regular.get("sbg").<Double>getAs("log_likelihood")).isCloseTo(-1680.27, within(0.005));
    assertParameters(highEnd.get("sbg"), "alpha", 0.668, "beta", 3.806);
    assertThat(highEnd.get("sbg").<Double>getAs("log_likelihood")).isCloseTo(-1611.16, within(0.005));
    assertThat(survivors(faderHardieWarehouse, "regular", "sbg"))
        .containsExactly(new double[] {220.1, 204.4, 191.2, 179.9, 170.0}, within(0.05));
    assertThat(survivors(faderHardieWarehouse, "high_end", "sbg"))
        .containsExactly(new double[] {460.4, 435.8, 414.2, 395.1, 378.0}, within(0.05));
  }

  @Test
  void betaDiscreteWeibullMatchesItsReferenceThroughTheWholeStage() {
    Map<String, Row> regular = models(faderHardieWarehouse, "regular");

    assertParameters(regular.get("bdw"), "alpha", 0.456, "beta", 0.779, "c", 1.284);
    assertThat(regular.get("bdw").<Double>getAs("log_likelihood")).isCloseTo(-1679.60, within(0.005));
    assertThat(survivors(faderHardieWarehouse, "regular", "bdw"))
        .containsExactly(new double[] {223.4, 208.9, 196.8, 186.4, 177.3}, within(0.05));
    assertThat(survivors(faderHardieWarehouse, "high_end", "bdw"))
        .containsExactly(new double[] {467.8, 448.3, 431.6, 416.9, 403.9}, within(0.05));
  }

  @Test
  void observedSurvivalIsTheTableAndOneModelIsSelectedPerCohort() {
    List<Row> observed =
        table(faderHardieWarehouse, RetentionCurvesTable.SPEC.name(), LocalDate.of(2007, 12, 31))
            .stream()
            .filter(r -> r.getString(1).equals("regular") && r.getString(2).equals("kaplan_meier"))
            .sorted(java.util.Comparator.comparingInt(r -> r.getInt(3)))
            .toList();

    assertThat(observed).extracting(r -> Math.round(1000 * r.getDouble(5)))
        .containsExactly(1000L, 631L, 468L, 382L, 326L, 289L, 262L, 241L);
    for (String tier : new String[] {"regular", "high_end"}) {
      Map<String, Row> models = models(faderHardieWarehouse, tier);
      assertThat(models.keySet()).containsExactlyInAnyOrder("constant", "sbg", "bdw", "weibull");
      assertThat(models.values()).filteredOn(r -> r.<Boolean>getAs("selected")).hasSize(1);
      assertThat(models.values()).allSatisfy(r -> assertThat(r.<Double>getAs("holdout_mape")).isNotNull());
    }
  }

  @Test
  void cohortActivityCountsActiveCustomersAndRevenueByPeriod() {
    // Customer 1: January and March (+ a return in March). Customer 2: January only. Customer 3:
    // February and April. As of 2024-04-30, monthly.
    String input =
        Fixtures.parquet(
            dir, "input", SCHEMA,
            new Object[] {1L, LocalDate.of(2024, 1, 5), 10.0, "a"},
            new Object[] {1L, LocalDate.of(2024, 3, 2), 20.0, "a"},
            new Object[] {1L, LocalDate.of(2024, 3, 9), -5.0, "a"},
            new Object[] {2L, LocalDate.of(2024, 1, 20), 7.0, "a"},
            new Object[] {3L, LocalDate.of(2024, 2, 1), 4.0, "a"},
            new Object[] {3L, LocalDate.of(2024, 4, 30), 6.0, "a"});
    Path warehouse = dir.resolve("warehouse");
    run(context(input, warehouse, Map.of("input.returns", "net", "retention.min-cohort-size", "1")));

    List<String> activity =
        table(warehouse, CohortActivityTable.SPEC.name(), LocalDate.of(2024, 4, 30)).stream()
            .map(r -> r.getDate(0) + " +" + r.getInt(2) + " " + r.getDate(3) + ": " + r.getLong(5)
                + "/" + r.getLong(4) + " " + r.getDouble(7))
            .sorted()
            .toList();

    assertThat(activity)
        .containsExactly(
            "2024-01-01 +0 2024-01-01: 2/2 17.0",
            "2024-01-01 +2 2024-03-01: 1/2 15.0",
            "2024-02-01 +0 2024-02-01: 1/1 4.0",
            "2024-02-01 +2 2024-04-01: 1/1 6.0");
  }

  @Test
  void cohortsTooSmallToFitArePooledAndSaySo() {
    // Three monthly cohorts of 2, 2 and 3 customers, pooled to reach 5.
    List<Object[]> rows = new ArrayList<>();
    long id = 0;
    int[] sizes = {2, 2, 3};
    for (int month = 1; month <= 3; month++) {
      for (int c = 0; c < sizes[month - 1]; c++, id++) {
        rows.add(new Object[] {id, LocalDate.of(2024, month, 10), 5.0, "a"});
        if (id % 2 == 0) {
          rows.add(new Object[] {id, LocalDate.of(2024, month + 2, 10), 5.0, "a"});
        }
      }
    }
    String input = Fixtures.parquet(dir, "input", SCHEMA, rows.toArray(Object[][]::new));
    Path warehouse = dir.resolve("warehouse");
    run(context(input, warehouse, Map.of("retention.min-cohort-size", "5", "retention.churn-after-days", "20")));

    List<Row> models = table(warehouse, RetentionModelsTable.SPEC.name(), LocalDate.of(2024, 5, 10));

    assertThat(models).extracting(r -> r.<String>getAs("fit_basis")).containsOnly("pooled: 3 cohorts 2024-01-01..2024-03-01");
    assertThat(models).extracting(r -> r.<Long>getAs("fit_customers")).containsOnly(7L);
  }

  @Test
  void aSingleCustomerIsNotFittedAndNothingIsNaN() {
    String input =
        Fixtures.parquet(
            dir, "input", SCHEMA,
            new Object[] {1L, LocalDate.of(2024, 1, 5), 10.0, "a"},
            new Object[] {1L, LocalDate.of(2024, 2, 5), 10.0, "a"});
    Path warehouse = dir.resolve("warehouse");
    run(context(input, warehouse, Map.of("snapshot.as-of", "2024-12-31")));

    List<Row> models = table(warehouse, RetentionModelsTable.SPEC.name(), LocalDate.of(2024, 12, 31));
    List<Row> curves = table(warehouse, RetentionCurvesTable.SPEC.name(), LocalDate.of(2024, 12, 31));

    assertThat(models).hasSize(4).allSatisfy(r -> {
      assertThat(r.<String>getAs("status")).isEqualTo("not fitted: a single customer");
      assertThat(r.<Boolean>getAs("selected")).isFalse();
      assertThat(r.isNullAt(r.fieldIndex("parameters"))).isTrue();
    });
    assertThat(curves).extracting(r -> r.<String>getAs("model")).containsOnly("kaplan_meier");
    assertThat(curves).allSatisfy(r -> {
      for (int i = 5; i < r.size() - 1; i++) {
        if (!r.isNullAt(i) && r.get(i) instanceof Double d) {
          assertThat(d).isFinite();
        }
      }
    });
  }

  @Test
  void aMissingCohortAttributeColumnMakesTheInputUnusable() {
    String input =
        Fixtures.parquet(dir, "input", SCHEMA, new Object[] {1L, LocalDate.of(2024, 1, 5), 1.0, "a"});
    StageContext context =
        context(input, dir.resolve("warehouse"), Map.of("retention.cohort-attribute", "channel"));

    assertThatThrownBy(() -> IngestJob.open(context, true))
        .isInstanceOf(LifecycleException.class)
        .hasMessageStartingWith(
            "Cannot find the cohort attribute (retention.cohort-attribute) column 'channel' in input")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.INPUT_UNUSABLE);
  }

  private static void run(StageContext context) {
    try (IngestResult ingest = Fixtures.ingest(context, true)) {
      RetentionJob.run(context, ingest);
    }
  }

  private static StageContext context(String input, Path warehouse, Map<String, String> extra) {
    Map<String, String> sets = new HashMap<>();
    sets.put("input.path", input);
    sets.put("warehouse", warehouse.toString());
    sets.put("input.columns.customer-id", "cust");
    sets.put("input.columns.timestamp", "day");
    sets.put("input.columns.amount", "amt");
    sets.putAll(extra);
    LifecycleConfig config = LifecycleConfig.from(Settings.defaults().with(sets, "test"));
    return Fixtures.context(config, "retention");
  }

  private static List<Row> table(Path warehouse, String table, LocalDate snapshot) {
    return new dev.lifecycle.spark.io.ParquetWarehouse(TestSpark.session(), warehouse.toString())
        .readPartition(table, snapshot)
        .collectAsList();
  }

  private static Map<String, Row> models(Path warehouse, String segment) {
    Map<String, Row> byModel = new HashMap<>();
    for (Row row : table(warehouse, RetentionModelsTable.SPEC.name(), LocalDate.of(2007, 12, 31))) {
      if (row.<String>getAs("cohort_segment").equals(segment)) {
        byModel.put(row.getAs("model"), row);
      }
    }
    return byModel;
  }

  /** Survivors of 1,000 in years 8..12 by the fitted curve. */
  private static double[] survivors(Path warehouse, String segment, String model) {
    return table(warehouse, RetentionCurvesTable.SPEC.name(), LocalDate.of(2007, 12, 31)).stream()
        .filter(r -> r.<String>getAs("cohort_segment").equals(segment))
        .filter(r -> r.<String>getAs("model").equals(model))
        .filter(r -> r.<Integer>getAs("period") >= 8)
        .sorted(java.util.Comparator.comparingInt(r -> r.<Integer>getAs("period")))
        .mapToDouble(r -> 1000 * r.<Double>getAs("fitted_survival"))
        .toArray();
  }

  /** Named parameters, each rounding to the published value's three significant digits. */
  private static void assertParameters(Row model, Object... namesAndValues) {
    scala.collection.Map<String, Double> parameters = model.getMap(model.fieldIndex("parameters"));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      double actual = parameters.apply((String) namesAndValues[i]);
      double published = (Double) namesAndValues[i + 1];
      assertThat(round3(actual)).as("%s = %s", namesAndValues[i], actual).isEqualTo(round3(published));
    }
  }

  private static double round3(double value) {
    return new BigDecimal(value).round(new MathContext(3)).doubleValue();
  }
}
