package dev.lifecycle.jobs.features;

import dev.lifecycle.spark.table.CustomerFeaturesTable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.jobs.ingest.IngestJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.spark.stage.StageContext;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features of three customers worked out by hand; as of 2024-01-31, in weeks. */
class CustomerFeaturesTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("timestamp", DataTypes.StringType)
          .add("amount", DataTypes.DoubleType)
          .add("order_id", DataTypes.StringType)
          .add("line", DataTypes.IntegerType);

  @TempDir Path dir;

  private Map<String, Row> features(boolean withOrderId) {
    return features(withOrderId, Map.of());
  }

  private Map<String, Row> features(boolean withOrderId, Map<String, String> more) {
    return features(withOrderId, more, LocalDate.of(2024, 1, 31));
  }

  /** The features at {@code snapshot}, one of the configured snapshots; the last of them has three customers. */
  private Map<String, Row> features(boolean withOrderId, Map<String, String> more, LocalDate snapshot) {
    String input =
        Fixtures.parquet(
            dir,
            "input",
            SCHEMA,
            // A: two orders on Jan 1, one two-line order on Jan 15.
            new Object[] {"A", "2024-01-01 09:00:00", 10.0, "o1", 1},
            new Object[] {"A", "2024-01-01 15:00:00", 20.0, "o2", 1},
            new Object[] {"A", "2024-01-15 12:00:00", 30.0, "o3", 1},
            new Object[] {"A", "2024-01-15 12:00:00", 5.0, "o3", 2},
            // B: one purchase the day before the snapshot.
            new Object[] {"B", "2024-01-30 08:00:00", 100.0, "o4", 1},
            // C: a purchase and a later return, netted.
            new Object[] {"C", "2024-01-10 10:00:00", 50.0, "o5", 1},
            new Object[] {"C", "2024-01-20 10:00:00", -20.0, "o6", 1},
            // D: only a return: no purchase, so no features row.
            new Object[] {"D", "2024-01-20 10:00:00", -5.0, "o7", 1});
    Map<String, String> sets = new HashMap<>();
    sets.put("input.path", input);
    sets.put("warehouse", dir.resolve("warehouse").toString());
    sets.put("snapshot.as-of", "2024-01-31");
    sets.put("input.returns", "net");
    if (withOrderId) {
      sets.put("input.columns.order-id", "order_id");
    }
    sets.putAll(more);
    LifecycleConfig config = LifecycleConfig.from(Settings.defaults().with(sets, "test"));
    StageContext context = Fixtures.context(config, "features");
    try (IngestResult ingest = Fixtures.ingest(context, false)) {
      if (!snapshot.equals(ingest.asOf())) {
        FeaturesJob.run(context, ingest.at(snapshot));
      }
      assertThat(FeaturesJob.run(context, ingest).customers()).isEqualTo(3);
    }
    return context
        .warehouse()
        .readPartition(CustomerFeaturesTable.SPEC.name(), snapshot)
        .collectAsList()
        .stream()
        .collect(Collectors.toMap(r -> r.getAs(Columns.CUSTOMER_ID), r -> r));
  }

  @Test
  void summaryMatchesTheHandComputation() {
    Map<String, Row> byId = features(true);

    assertThat(byId).containsOnlyKeys("A", "B", "C");
    Row a = byId.get("A");
    assertThat(a.getAs(Columns.FIRST_PURCHASE).toString()).isEqualTo("2024-01-01 09:00:00.0");
    assertThat(a.getAs(Columns.LAST_PURCHASE).toString()).isEqualTo("2024-01-15 12:00:00.0");
    assertThat(a.<Integer>getAs(Columns.RECENCY_DAYS)).isEqualTo(16);
    assertThat(a.<Integer>getAs(Columns.TENURE_DAYS)).isEqualTo(30);
    assertThat(a.<Long>getAs(Columns.FREQUENCY)).isEqualTo(3);
    assertThat(a.<Double>getAs(Columns.MONETARY_TOTAL)).isEqualTo(65.0);
    assertThat(a.<Double>getAs(Columns.MONETARY_AVG)).isCloseTo(65.0 / 3, within(1e-12));
    assertThat(a.<Long>getAs(Columns.BTYD_X)).isEqualTo(1);
    assertThat(a.<Double>getAs(Columns.BTYD_T_X)).isCloseTo(2.0, within(1e-12));
    assertThat(a.<Double>getAs(Columns.BTYD_T)).isCloseTo(30 / 7.0, within(1e-12));

    Row b = byId.get("B");
    assertThat(b.<Long>getAs(Columns.FREQUENCY)).isEqualTo(1);
    assertThat(b.<Long>getAs(Columns.BTYD_X)).isEqualTo(0);
    assertThat(b.<Double>getAs(Columns.BTYD_T_X)).isEqualTo(0.0);
    assertThat(b.<Double>getAs(Columns.BTYD_T)).isCloseTo(1 / 7.0, within(1e-12));
    assertThat(b.<Integer>getAs(Columns.RECENCY_DAYS)).isEqualTo(1);

    Row c = byId.get("C");
    assertThat(c.<Double>getAs(Columns.MONETARY_TOTAL)).isEqualTo(30.0);
    assertThat(c.<Long>getAs(Columns.FREQUENCY)).isEqualTo(1);
    assertThat(c.<Integer>getAs(Columns.RECENCY_DAYS)).isEqualTo(21);
  }

  /**
   * With {@code clv.purchase-model = auto} and 20 holdout days, the split is 2024-01-11: A has
   * bought on Jan 1 by then and buys again on Jan 15; B arrives after it; C bought on Jan 10 and
   * only returned goods after. Without auto the split columns are null.
   */
  @Test
  void autoSummarisesEachCustomerAtTheSplitToo() {
    Map<String, Row> byId = features(true, Map.of("clv.purchase-model", "auto", "clv.auto-holdout-days", "20"));

    Row a = byId.get("A");
    assertThat(a.<Long>getAs(Columns.SPLIT_BTYD_X)).isEqualTo(0);
    assertThat(a.<Double>getAs(Columns.SPLIT_BTYD_T_X)).isEqualTo(0.0);
    assertThat(a.<Double>getAs(Columns.SPLIT_BTYD_T)).isCloseTo(10 / 7.0, within(1e-12));
    assertThat(a.<Long>getAs(Columns.SPLIT_HOLDOUT_PURCHASES)).isEqualTo(1);
    Row b = byId.get("B");
    assertThat(b.<Long>getAs(Columns.SPLIT_BTYD_X)).isNull();
    assertThat(b.<Double>getAs(Columns.SPLIT_BTYD_T)).isNull();
    assertThat(b.<Long>getAs(Columns.SPLIT_HOLDOUT_PURCHASES)).isNull();
    Row c = byId.get("C");
    assertThat(c.<Long>getAs(Columns.SPLIT_BTYD_X)).isEqualTo(0);
    assertThat(c.<Double>getAs(Columns.SPLIT_BTYD_T)).isCloseTo(1 / 7.0, within(1e-12));
    assertThat(c.<Long>getAs(Columns.SPLIT_HOLDOUT_PURCHASES)).isEqualTo(0);

    assertThat(features(true).values()).allSatisfy(row -> assertThat(row.<Long>getAs(Columns.SPLIT_BTYD_X)).isNull());
  }

  /**
   * C bought 50 on Jan 10 and returned 20 on Jan 20; D only returned 5. Netted, the return lowers
   * the spend; left out, it does not, but the returns and the net spend are the same either way,
   * and count only up to each snapshot.
   */
  @Test
  void returnsAndTheNetSpendAreTheSameWhetherReturnsAreNettedOrLeftOut() {
    Row netted = features(true).get("C");
    assertThat(netted.<Double>getAs(Columns.MONETARY_TOTAL)).isEqualTo(30.0);
    assertThat(netted.<Double>getAs(Columns.RETURNS_TOTAL)).isEqualTo(20.0);
    assertThat(netted.<Double>getAs(Columns.NET_SPEND)).isEqualTo(30.0);

    Map<String, Row> leftOut = features(true, Map.of("input.returns", "exclude"));
    Row c = leftOut.get("C");
    assertThat(c.<Double>getAs(Columns.MONETARY_TOTAL)).isEqualTo(50.0);
    assertThat(c.<Double>getAs(Columns.RETURNS_TOTAL)).isEqualTo(20.0);
    assertThat(c.<Double>getAs(Columns.NET_SPEND)).isEqualTo(30.0);
    Row a = leftOut.get("A");
    assertThat(a.<Double>getAs(Columns.RETURNS_TOTAL)).isEqualTo(0.0);
    assertThat(a.<Double>getAs(Columns.NET_SPEND)).isEqualTo(65.0);

    Map<String, Row> before =
        features(
            true, Map.of("input.returns", "exclude", "snapshot.as-of", "2024-01-15,2024-01-30"), LocalDate.of(2024, 1, 15));
    assertThat(before).containsOnlyKeys("A", "C");
    assertThat(before.get("C").<Double>getAs(Columns.RETURNS_TOTAL)).isEqualTo(0.0);
    assertThat(before.get("C").<Double>getAs(Columns.NET_SPEND)).isEqualTo(50.0);
  }

  @Test
  void withoutOrderIdFrequencyCountsDistinctTimestamps() {
    // A's two Jan 15 lines share a timestamp: still 3 purchases.
    assertThat(features(false).get("A").<Long>getAs(Columns.FREQUENCY)).isEqualTo(3);
  }

  @Test
  void scoresCellsSegmentsAndAbcMatchTheHandComputation() {
    // Recency C 21, A 16, B 1 (descending ranks 0, 1, 2 of n = 3): R = 1, 3, 5.
    // Frequency B 1, C 1 tie at rank 0, A 3 at rank 2: F = 1, 1, 5.
    // Spend C 30, A 65, B 100: M = 1, 3, 5. Revenue 195: B (share before 0) and A (.51) are A,
    // C (.85) is B.
    Map<String, Row> byId = features(true);

    assertThat(byId.get("A").<String>getAs(Columns.RFM_CELL)).isEqualTo("353");
    assertThat(byId.get("B").<String>getAs(Columns.RFM_CELL)).isEqualTo("515");
    assertThat(byId.get("C").<String>getAs(Columns.RFM_CELL)).isEqualTo("111");
    assertThat(byId.get("A").<String>getAs(Columns.RFM_SEGMENT)).isEqualTo("Loyal");
    assertThat(byId.get("B").<String>getAs(Columns.RFM_SEGMENT)).isEqualTo("New");
    assertThat(byId.get("C").<String>getAs(Columns.RFM_SEGMENT)).isEqualTo("Lost");
    assertThat(byId.get("A").<String>getAs(Columns.ABC_CLASS)).isEqualTo("A");
    assertThat(byId.get("B").<String>getAs(Columns.ABC_CLASS)).isEqualTo("A");
    assertThat(byId.get("C").<String>getAs(Columns.ABC_CLASS)).isEqualTo("B");
  }
}
