package dev.lifecycle.jobs.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lifecycle.core.config.RfmSegmentMap;
import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UCI Online Retail, real and dirty, through the whole CLI; every customer's frequency, spend and
 * recency checked against DuckDB reading the original CSV on its own.
 */
@Tag("e2e")
class OnlineRetailTest {
  private static final String CSV = SharedData.file("online_retail/online_retail.csv.gz").toString();

  /** The options that map Online Retail's columns (amount is Quantity × UnitPrice, see {@link #parquet}). */
  static final String[] COLUMNS = {
    "--set", "input.columns.customer-id=CustomerID",
    "--set", "input.columns.timestamp=InvoiceDate",
    "--set", "input.columns.amount=amount",
    "--set", "input.columns.order-id=InvoiceNo"
  };

  @TempDir static Path dir;

  private static CliRunner.Result run;
  private static Map<String, Row> features;
  private static Row manifest;

  @BeforeAll
  static void convertAndRun() {
    SparkSession spark = TestSpark.session();
    String parquet = parquet();

    String warehouse = dir.resolve("warehouse").toString();
    run =
        CliRunner.run(
            "run", "--input", parquet, "--warehouse", warehouse, "--as-of", "2011-12-09",
            "--set", "input.columns.customer-id=CustomerID",
            "--set", "input.columns.timestamp=InvoiceDate",
            "--set", "input.columns.amount=amount",
            "--set", "input.columns.order-id=InvoiceNo",
            "--set", "input.returns=exclude",
            "--set", "input.zero-amounts=exclude");
    features = new HashMap<>();
    spark.read().parquet(warehouse + "/customer_features").collectAsList()
        .forEach(r -> features.put(r.getAs("customer_id"), r));
    manifest = spark.read().parquet(warehouse + "/run_manifest").first();
  }

  /** The Parquet copy, once made: every test class of this JVM reads the same one. */
  private static String converted;

  /**
   * The CSV as Parquet, typed, with amount = Quantity × UnitPrice: converted once per test JVM
   * into a folder of its own, removed when the JVM exits. The tests only read it.
   */
  static synchronized String parquet() {
    if (converted != null) {
      return converted;
    }
    StructType text = new StructType();
    for (String name :
        List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
            "CustomerID", "Country")) {
      text = text.add(name, DataTypes.StringType);
    }
    Path folder;
    try {
      folder = java.nio.file.Files.createTempDirectory("online-retail");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> org.apache.commons.io.FileUtils.deleteQuietly(folder.toFile())));
    String parquet = folder.resolve("online_retail").toString();
    TestSpark.session().read().option("header", "true").schema(text).csv(CSV)
        .select(
            col("InvoiceNo"), col("StockCode"), col("Description"),
            col("Quantity").cast("int").as("Quantity"),
            to_timestamp(col("InvoiceDate")).as("InvoiceDate"),
            col("UnitPrice").cast("double").as("UnitPrice"),
            col("CustomerID"), col("Country"))
        .withColumn("amount", col("Quantity").multiply(col("UnitPrice")))
        .write().parquet(parquet);
    converted = parquet;
    return parquet;
  }

  @Test
  void runSucceedsAndNamesItsTables() {
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("customer_features", "customer_scores", "run manifest");
  }

  @Test
  void segmentsCoverEveryCustomerAndAreNumberedByValue() {
    SparkSession spark = TestSpark.session();
    String warehouse = dir.resolve("warehouse").toString();
    Dataset<Row> profiles = spark.read().parquet(warehouse + "/segment_profiles").orderBy("method", "segment");
    profiles.drop("snapshot_date").show(30, false);
    for (String method : List.of("kmeans", "som")) {
      List<Row> rows = profiles.where(col("method").equalTo(method)).collectAsList();
      assertThat(rows.size()).as(method).isBetween(4, 10);
      assertThat(rows.stream().mapToLong(r -> r.<Long>getAs("customers")).sum()).isEqualTo(4338);
      assertThat(rows.stream().mapToDouble(r -> r.<Double>getAs("revenue_share")).sum())
          .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
      for (int i = 1; i < rows.size(); i++) {
        assertThat(rows.get(i).<Double>getAs("mean_monetary"))
            .as("%s segment %d is worth less per customer than segment %d", method, i + 1, i)
            .isLessThanOrEqualTo(rows.get(i - 1).<Double>getAs("mean_monetary"));
      }
    }
    Dataset<Row> scores = spark.read().parquet(warehouse + "/customer_scores");
    assertThat(scores.where(col("kmeans_segment").isNull().or(col("som_segment").isNull())).count()).isZero();
    assertThat(spark.read().parquet(warehouse + "/som_codebook").count())
        .isEqualTo(spark.read().parquet(warehouse + "/som_codebook").select("node").distinct().count());
  }

  @Test
  void thereAre4338Customers() {
    assertThat(features).hasSize(4338);
  }

  @Test
  void countsReconcileToEveryInputRow() {
    long in = manifest.getAs("rows_in");
    long clean = manifest.getAs("rows_clean");
    long rejected = manifest.getAs("rows_rejected");
    long excluded = manifest.getAs("rows_excluded");

    assertThat(in).isEqualTo(541_909);
    assertThat(clean + rejected + excluded).isEqualTo(541_909);
  }

  @Test
  void rejectAndExclusionCountsMatchDuckDb() throws SQLException {
    String json = manifest.getAs("manifest_json");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      sql.execute("CREATE TABLE raw AS SELECT * FROM " + readCsv());
      long missing = single(sql, "SELECT count(*) FROM raw WHERE CustomerID IS NULL");
      long duplicates =
          single(sql, "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM raw"
              + " WHERE CustomerID IS NOT NULL)) FROM raw WHERE CustomerID IS NOT NULL");
      long returns = single(sql, "SELECT count(*) FROM (SELECT DISTINCT * FROM raw"
          + " WHERE CustomerID IS NOT NULL) WHERE Quantity * UnitPrice < 0");
      long zeros = single(sql, "SELECT count(*) FROM (SELECT DISTINCT * FROM raw"
          + " WHERE CustomerID IS NOT NULL) WHERE Quantity * UnitPrice = 0");

      assertThat(missing).isEqualTo(135_080);
      assertThat(json)
          .contains("\"rejected_missing_customer_id\" : " + missing)
          .contains("\"rejected_duplicate_row\" : " + duplicates)
          .contains("\"excluded_return\" : " + returns)
          .contains("\"excluded_zero_amount\" : " + zeros);
    }
  }

  @Test
  void everyCustomerMatchesAnIndependentDuckDbComputation() throws SQLException {
    Map<String, Object[]> expected = new HashMap<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement();
        ResultSet rs =
            sql.executeQuery(
                "WITH kept AS (SELECT DISTINCT * FROM " + readCsv() + " WHERE CustomerID IS NOT NULL)"
                    + " SELECT CustomerID, count(DISTINCT InvoiceNo), sum(Quantity * UnitPrice),"
                    + " date_diff('day', max(InvoiceDate)::DATE, DATE '2011-12-09')"
                    + " FROM kept WHERE Quantity * UnitPrice > 0 GROUP BY CustomerID")) {
      while (rs.next()) {
        expected.put(rs.getString(1), new Object[] {rs.getLong(2), rs.getDouble(3), rs.getLong(4)});
      }
    }

    assertThat(features.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (id, values) -> {
          Row row = features.get(id);
          assertThat(row.<Long>getAs("frequency")).as("frequency of %s", id).isEqualTo(values[0]);
          assertThat(row.<Double>getAs("monetary_total"))
              .as("monetary_total of %s", id)
              .isCloseTo((Double) values[1], within(1e-6 * Math.max(1, Math.abs((Double) values[1]))));
          assertThat(row.<Integer>getAs("recency_days").longValue())
              .as("recency_days of %s", id)
              .isEqualTo(values[2]);
        });
  }

  @Test
  void cellsSegmentsAndScoresAreConsistentForEveryCustomer() {
    RfmSegmentMap map = RfmSegmentMap.parse(RfmSegmentMap.DEFAULT_RULES, IllegalArgumentException::new);
    for (Row row : features.values()) {
      String cell = "" + row.getAs("r_score") + row.getAs("f_score") + row.getAs("m_score");
      assertThat(row.<String>getAs("rfm_cell")).isEqualTo(cell);
      assertThat(row.<String>getAs("rfm_segment")).isEqualTo(map.segmentOf(cell));
    }
    assertMonotone("frequency", "f_score", false);
    assertMonotone("monetary_total", "m_score", false);
    assertMonotone("recency_days", "r_score", true);
  }

  /** A larger value never scores lower (higher, when reversed); equal values score the same. */
  private static void assertMonotone(String value, String score, boolean reversed) {
    List<Row> sorted =
        features.values().stream()
            .sorted(java.util.Comparator.comparingDouble(r -> ((Number) r.getAs(value)).doubleValue()))
            .toList();
    for (int i = 1; i < sorted.size(); i++) {
      double before = ((Number) sorted.get(i - 1).getAs(value)).doubleValue();
      double now = ((Number) sorted.get(i).getAs(value)).doubleValue();
      int s0 = sorted.get(i - 1).getAs(score);
      int s1 = sorted.get(i).getAs(score);
      if (now == before) {
        assertThat(s1).as("%s ties at %s", score, now).isEqualTo(s0);
      } else if (reversed) {
        assertThat(s1).as("%s at %s", score, now).isLessThanOrEqualTo(s0);
      } else {
        assertThat(s1).as("%s at %s", score, now).isGreaterThanOrEqualTo(s0);
      }
    }
    assertThat(sorted.stream().map(r -> (Integer) r.getAs(score)).distinct().count())
        .as("%s uses all five scores", score)
        .isEqualTo(5);
  }

  static String readCsv() {
    return "read_csv('" + CSV + "', header = true, columns = {'InvoiceNo': 'VARCHAR',"
        + " 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'BIGINT',"
        + " 'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DOUBLE', 'CustomerID': 'VARCHAR',"
        + " 'Country': 'VARCHAR'})";
  }

  private static long single(Statement sql, String query) throws SQLException {
    try (ResultSet rs = sql.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
