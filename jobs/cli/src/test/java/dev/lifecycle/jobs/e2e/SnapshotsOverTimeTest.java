package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online Retail's eleven month ends of 2011 in one {@code run}: every snapshot as a run at that
 * date alone makes it, and how customers moved between them, checked against DuckDB reading the
 * original CSV.
 */
@Tag("e2e")
class SnapshotsOverTimeTest {
  private static final String RANGE = "2011-01-31..2011-11-30";

  @TempDir static Path dir;

  private static String parquet;
  private static String warehouse;
  private static CliRunner.Result run;

  @BeforeAll
  static void runElevenMonthEnds() {
    parquet = OnlineRetailTest.parquet();
    warehouse = dir.resolve("warehouse").toString();
    run = CliRunner.run(args("run", warehouse, "--as-of", RANGE, "--every", "month"));
  }

  /** Online Retail's columns, returns and zero amounts excluded, plus {@code more}. */
  private static String[] args(String command, String warehouse, String... more) {
    List<String> args = new ArrayList<>(List.of(command, "--input", parquet, "--warehouse", warehouse));
    args.addAll(List.of(OnlineRetailTest.COLUMNS));
    args.addAll(List.of("--set", "input.returns=exclude", "--set", "input.zero-amounts=exclude"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static Dataset<Row> table(String warehouse, String name, LocalDate snapshot) {
    return TestSpark.session()
        .read()
        .parquet(warehouse + "/" + name)
        .where(col("snapshot_date").equalTo(lit(Date.valueOf(snapshot))))
        .drop("snapshot_date");
  }

  @Test
  void oneRunMakesElevenSnapshotsAndTheManifestListsThem() {
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("lifecycle run: 11 snapshots 2011-01-31..2011-11-30 done");
    SparkSession spark = TestSpark.session();
    for (String table : List.of("customer_features", "customer_scores", "retention_curves", "clv_models", "customer_segments")) {
      assertThat(spark.read().parquet(warehouse + "/" + table).select("snapshot_date").distinct().count())
          .as(table)
          .isEqualTo(11);
    }
    // The first snapshot has nothing before it to compare with.
    assertThat(spark.read().parquet(warehouse + "/customer_migration").select("snapshot_date").distinct().count())
        .isEqualTo(10);
    Row manifest = spark.read().parquet(warehouse + "/run_manifest").first();
    assertThat(manifest.<Date>getAs("snapshot_date").toLocalDate()).isEqualTo(LocalDate.of(2011, 11, 30));
    assertThat(manifest.<String>getAs("manifest_json"))
        .contains("\"earlier_snapshots\"", "\"snapshot_date\" : \"2011-01-31\"", "\"snapshot_date\" : \"2011-10-31\"");
  }

  /**
   * Three of the eleven snapshots (the first, one between, the last) against runs at those dates
   * alone; all eleven with {@code -Dsnapshots.all=true}, which costs eight more runs.
   */
  @Test
  void everySnapshotsFeaturesEqualARunAtThatDateAlone() {
    String alone = dir.resolve("alone").toString();
    List<LocalDate> dates =
        Boolean.getBoolean("snapshots.all")
            ? Stream.iterate(LocalDate.of(2011, 1, 31), day -> day.plusMonths(1).with(java.time.temporal.TemporalAdjusters.lastDayOfMonth()))
                .limit(11)
                .toList()
            : List.of(LocalDate.of(2011, 1, 31), LocalDate.of(2011, 6, 30), LocalDate.of(2011, 11, 30));
    for (LocalDate snapshot : dates) {
      CliRunner.Result single = CliRunner.run(args("features", alone, "--as-of", snapshot.toString()));
      assertThat(single.exitCode()).as(single.err()).isZero();
      Dataset<Row> many = table(warehouse, "customer_features", snapshot);
      Dataset<Row> one = table(alone, "customer_features", snapshot);
      assertThat(many.count()).as("customers at %s", snapshot).isPositive().isEqualTo(one.count());
      assertThat(many.except(one).count()).as("rows only the run of many made at %s", snapshot).isZero();
      assertThat(one.except(many).count()).as("rows only the run alone made at %s", snapshot).isZero();
      System.out.printf("customer_features at %s: %,d customers, the same rows as a run at that date alone%n", snapshot, one.count());
    }
  }

  @Test
  void statusCountsAndRevenueMatchAnIndependentDuckDbComputation() throws SQLException {
    for (LocalDate[] pair :
        List.of(
            new LocalDate[] {LocalDate.of(2011, 2, 28), LocalDate.of(2011, 3, 31), LocalDate.of(2011, 4, 30)},
            new LocalDate[] {LocalDate.of(2011, 9, 30), LocalDate.of(2011, 10, 31), LocalDate.of(2011, 11, 30)})) {
      Map<String, Long> ours = new TreeMap<>();
      table(warehouse, "customer_migration", pair[2])
          .groupBy("status")
          .count()
          .collectAsList()
          .forEach(row -> ours.put(row.getString(0), row.getLong(1)));
      Map<String, Long> duck = duckDbStatuses(pair[0], pair[1], pair[2]);
      assertThat(ours).as("statuses from %s to %s", pair[1], pair[2]).isEqualTo(duck);
      System.out.printf("statuses from %s to %s: %s, as DuckDB counts them from the CSV%n", pair[1], pair[2], ours);
      assertThat(duck.keySet()).contains("new", "repeating", "reactivated", "lapsed", "lost");

      // Each customer's revenue in the period: every amount of it, purchases less returns
      Map<Long, Double> revenue = new TreeMap<>();
      table(warehouse, "customer_migration", pair[2])
          .select("customer_id", "revenue_to")
          .collectAsList()
          .forEach(row -> revenue.put((long) Double.parseDouble(row.getString(0)), row.getDouble(1)));
      Map<Long, Double> duckRevenue = duckDbRevenue(pair[1], pair[2]);
      assertThat(revenue.keySet()).isEqualTo(duckRevenue.keySet());
      duckRevenue.forEach(
          (id, spent) -> assertThat(revenue.get(id)).as("revenue of %d to %s", id, pair[2]).isCloseTo(spent, within(1e-6)));
      long withReturns = duckRevenue.keySet().stream().filter(id -> revenue.get(id) < 0).count();
      assertThat(withReturns).as("customers who returned more than they bought in the period").isPositive();
    }
  }

  /**
   * The net spend in ({@code from}, {@code to}] of each customer with a purchase by {@code to}:
   * every amount of the distinct rows, returns included, to {@code to}, less the same to {@code
   * from} if the customer had bought by then. (A return dated before a customer's first purchase
   * counts in their first period.)
   */
  private static Map<Long, Double> duckDbRevenue(LocalDate from, LocalDate to) throws SQLException {
    String query =
        "WITH kept AS (SELECT DISTINCT * FROM " + OnlineRetailTest.readCsv() + " WHERE CustomerID IS NOT NULL),"
            + " rows AS (SELECT CAST(CustomerID AS BIGINT) AS id, InvoiceDate::DATE AS day, Quantity * UnitPrice AS amount"
            + "   FROM kept WHERE InvoiceDate::DATE <= DATE '" + to + "')"
            + " SELECT id, sum(amount) - CASE WHEN bool_or(amount > 0 AND day <= DATE '" + from + "')"
            + "   THEN sum(CASE WHEN day <= DATE '" + from + "' THEN amount ELSE 0 END) ELSE 0 END"
            + " FROM rows GROUP BY id HAVING bool_or(amount > 0)";
    Map<Long, Double> revenue = new TreeMap<>();
    duckDb(query, rs -> revenue.put(rs.getLong(1), rs.getDouble(2)));
    return revenue;
  }

  /** A row of a DuckDB result. */
  private interface ResultRow {
    void read(ResultSet rs) throws SQLException;
  }

  /** Runs a query in an in-memory DuckDB, handing each row of its result to {@code row}. */
  private static void duckDb(String query, ResultRow row) throws SQLException {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement();
        ResultSet rs = sql.executeQuery(query)) {
      while (rs.next()) {
        row.read(rs);
      }
    }
  }

  /**
   * The statuses of the customers at {@code to}, from purchase days alone: active at a snapshot is
   * a purchase since the one before it.
   */
  private static Map<String, Long> duckDbStatuses(LocalDate before, LocalDate from, LocalDate to) throws SQLException {
    String query =
        "WITH kept AS (SELECT DISTINCT * FROM " + OnlineRetailTest.readCsv() + " WHERE CustomerID IS NOT NULL),"
            + " days AS (SELECT CustomerID AS id, InvoiceDate::DATE AS day FROM kept WHERE Quantity * UnitPrice > 0),"
            + " people AS (SELECT id, min(day) AS first_day,"
            + "   bool_or(day > DATE '" + before + "' AND day <= DATE '" + from + "') AS active_from,"
            + "   bool_or(day > DATE '" + from + "' AND day <= DATE '" + to + "') AS active_to"
            + "   FROM days WHERE day <= DATE '" + to + "' GROUP BY id)"
            + " SELECT CASE WHEN first_day > DATE '" + from + "' THEN 'new'"
            + "   WHEN active_to AND active_from THEN 'repeating' WHEN active_to THEN 'reactivated'"
            + "   WHEN active_from THEN 'lapsed' ELSE 'lost' END AS status, count(*)"
            + " FROM people GROUP BY status";
    Map<String, Long> counts = new TreeMap<>();
    duckDb(query, rs -> counts.put(rs.getString(1), rs.getLong(2)));
    return counts;
  }

  @Test
  void theMatrixCountsEveryCustomerOnceInEachDimension() {
    LocalDate last = LocalDate.of(2011, 11, 30);
    long customers = table(warehouse, "customer_scores", last).count();
    Dataset<Row> matrix = table(warehouse, "migration_matrix", last);
    for (String dimension : List.of("lifecycle_stage", "value_quadrant", "rfm_segment", "kmeans_segment", "som_segment", "status")) {
      Row total = matrix.where(col("dimension").equalTo(dimension)).agg(org.apache.spark.sql.functions.sum("customers")).first();
      assertThat(total.getLong(0)).as(dimension).isEqualTo(customers);
    }
    long fresh = table(warehouse, "customer_migration", last).where(col("status").equalTo("new")).count();
    assertThat(
            matrix.where(col("dimension").equalTo("value_quadrant").and(col("from_value").equalTo("(new)")))
                .agg(org.apache.spark.sql.functions.sum("customers"))
                .first()
                .getLong(0))
        .isEqualTo(fresh);
  }

  @Test
  void everyCustomerGetsAnActionAndTheLostAndDecliningARankedWinBackList() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> scores = spark.read().parquet(warehouse + "/customer_scores");
    assertThat(scores.where(col("action").isNull().or(col("action_reason").isNull())).count()).isZero();
    assertThat(scores.select("action").distinct().count()).isGreaterThanOrEqualTo(4);
    assertThat(scores.where(col("action").equalTo("win_back")).first().<String>getAs("action_reason"))
        .startsWith("win back: a reactivation offer (rule ")
        .contains("stage=", " value=", " alive=", " status=");

    LocalDate last = LocalDate.of(2011, 11, 30);
    Dataset<Row> scored = table(warehouse, "customer_scores", last);
    Dataset<Row> migration = table(warehouse, "customer_migration", last);
    assertThat(
            scored.join(migration, "customer_id")
                .where(col("migration_status").notEqual(col("status")).or(col("migration_status").isNull()))
                .count())
        .as("scores whose migration_status is not the migration's status")
        .isZero();
    // The first snapshot has no status to tell.
    assertThat(table(warehouse, "customer_scores", LocalDate.of(2011, 1, 31)).where(col("migration_status").isNotNull()).count())
        .isZero();

    List<Row> winBack = table(warehouse, "win_back", last).orderBy("rank").collectAsList();
    Dataset<Row> lostOrDeclining = scored.where(col("lifecycle_stage").isin("lost", "decline"));
    // Under the default input.returns = exclude, those who cancelled everything they bought have
    // spend but no net spend (12346 bought 77,183.60 and cancelled it the same day): not listed.
    List<String> returnedAll =
        lostOrDeclining.where(col("net_spend").leq(0)).select("customer_id").as(Encoders.STRING()).collectAsList();
    assertThat(returnedAll).contains("12346.0");
    assertThat(winBack).hasSize((int) (lostOrDeclining.count() - returnedAll.size()));
    assertThat(winBack).extracting(r -> r.<String>getAs("customer_id")).doesNotContainAnyElementsOf(returnedAll);
    for (int i = 0; i < winBack.size(); i++) {
      Row row = winBack.get(i);
      assertThat(row.<Long>getAs("rank")).isEqualTo(i + 1L);
      assertThat(row.<Double>getAs("win_back_score"))
          .isEqualTo(row.<Double>getAs("net_spend") * row.<Double>getAs("p_alive"));
      if (i > 0) {
        Row before = winBack.get(i - 1);
        assertThat(row.<Double>getAs("win_back_score")).isLessThanOrEqualTo(before.<Double>getAs("win_back_score"));
        if (row.<Double>getAs("win_back_score").equals(before.<Double>getAs("win_back_score"))) {
          assertThat(row.<String>getAs("customer_id")).as("ties by id").isGreaterThan(before.<String>getAs("customer_id"));
        }
      }
    }
  }

  @Test
  void theReportShowsTheLastMovesTheTrendAndTheActions() throws java.io.IOException {
    String report =
        java.nio.file.Files.readString(
            java.nio.file.Files.list(Path.of(warehouse, "reports", "2011-11-30"))
                .filter(file -> file.toString().endsWith(".html"))
                .findFirst()
                .orElseThrow());
    assertThat(report)
        .contains("<h2>Movement</h2>")
        .contains(
            "data-chart=\"movement-lifecycle_stage\"", "data-chart=\"movement-value_quadrant\"",
            "data-chart=\"movement-rfm_segment\"", "data-chart=\"movement-kmeans_segment\"",
            "data-chart=\"movement-trend\"", "data-chart=\"movement-actions\"")
        .contains("2011-10-31 → this snapshot");
    String trend = report.substring(report.indexOf("<table data-table=\"movement-trend\">"));
    trend = trend.substring(0, trend.indexOf("</table>"));
    // A row per pair of stored snapshots: February to November.
    assertThat(trend.split("<tr>")).hasSize(1 + 1 + 10);
    assertThat(trend).contains("<td>2011-02-28</td>", "<td>2011-11-30</td>");
  }

  @Test
  void badSnapshotRangesSayWhatIsWrongInOneLine() {
    String bad = dir.resolve("bad").toString();
    Stream.of(
            new Object[] {new String[] {"--every", "month"}, 2, "steps a range of snapshots: set snapshot.as-of (--as-of) to A..B"},
            new Object[] {new String[] {"--as-of", "2011-06-30..2011-01-31", "--every", "month"}, 2, "the range is empty"},
            new Object[] {
              new String[] {"--as-of", "2011-10-31..2012-01-31", "--every", "month"}, 2,
              "Cannot make snapshot 2011-12-31 of snapshot.as-of (4 snapshots to 2012-01-31): input " + parquet
                  + " ends on 2011-12-09; end the snapshots by then"
            },
            new Object[] {
              new String[] {"--as-of", "2010-06-30..2011-01-31", "--every", "month"}, 4,
              "no customer in input " + parquet + " has purchased by 2010-06-30, the first of snapshot.as-of's 8"
                  + " snapshots; start them later"
            },
            new Object[] {new String[] {"--as-of", "2000-01-31..2011-01-31", "--every", "month"}, 2, "more than 120 snapshots"})
        .forEach(
            c -> {
              CliRunner.Result result = CliRunner.run(args("features", bad, (String[]) c[0]));
              assertThat(result.exitCode()).as(result.err()).isEqualTo(c[1]);
              assertThat(result.err()).contains((String) c[2]);
              assertThat(result.err().strip().lines()).as(result.err()).hasSize(1);
            });
  }
}
