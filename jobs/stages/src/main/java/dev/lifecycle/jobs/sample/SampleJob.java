package dev.lifecycle.jobs.sample;

import dev.lifecycle.spark.table.Columns;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lifecycle sample}: synthetic transactions with known truth, written as Parquet under
 * OUT/transactions (customer_id, order_id, timestamp, amount) and OUT/truth (one row per customer
 * with its planted segment and true parameters).
 */
public final class SampleJob {
  /** The sample's last day; acquisition spreads over the 30 months before it. */
  public static final LocalDate END = LocalDate.of(2025, 12, 31);

  public static final LocalDate START = END.minusMonths(30).plusDays(1);

  static final StructType TRANSACTIONS =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.LongType, false)
          .add("order_id", DataTypes.LongType, false)
          .add("timestamp", DataTypes.TimestampType, false)
          .add("amount", DataTypes.DoubleType, false);

  static final StructType TRUTH =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.LongType, false)
          .add("segment_id", DataTypes.IntegerType, false)
          .add("segment", DataTypes.StringType, false)
          .add("lambda_per_week", DataTypes.DoubleType, false)
          .add("dropout_p", DataTypes.DoubleType, false)
          .add("spend_nu", DataTypes.DoubleType, false)
          .add("expected_spend", DataTypes.DoubleType, false)
          .add("acquired_at", DataTypes.TimestampType, false)
          .add("dropped_out", DataTypes.BooleanType, false)
          .add("transactions", DataTypes.IntegerType, false);

  /** What was written. */
  public record Result(long customers, long transactions, String transactionsUri, String truthUri) {}

  private SampleJob() {}

  public static Result run(SparkSession spark, long customers, long seed, int partitions, String out) {
    return run(spark, PlantedSegment.DEFAULTS, customers, seed, partitions, out);
  }

  /** As {@link #run(SparkSession, long, long, int, String)}, from the given segments. */
  public static Result run(
      SparkSession spark,
      List<PlantedSegment> segments,
      long customers,
      long seed,
      int partitions,
      String out) {
    SyntheticCustomers generator = new SyntheticCustomers(seed, segments, START, END);
    Dataset<Long> ids = spark.range(0, customers, 1, partitions);
    String transactionsUri = out + "/transactions";
    String truthUri = out + "/truth";
    ids.flatMap(
            (FlatMapFunction<Long, Row>) i -> transactions(generator.customer(i)).iterator(),
            Encoders.row(TRANSACTIONS))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(transactionsUri);
    ids.map((MapFunction<Long, Row>) i -> truth(generator.customer(i)), Encoders.row(TRUTH))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(truthUri);
    long rows = spark.read().parquet(transactionsUri).count();
    return new Result(customers, rows, transactionsUri, truthUri);
  }

  private static List<Row> transactions(SyntheticCustomers.Customer customer) {
    List<Row> rows = new ArrayList<>(customer.purchases().size());
    int seq = 0;
    for (SyntheticCustomers.Purchase purchase : customer.purchases()) {
      rows.add(
          RowFactory.create(
              customer.id(),
              customer.id() * 100_000L + seq++,
              new Timestamp(purchase.epochSecond() * 1000),
              purchase.amount()));
    }
    return rows;
  }

  private static Row truth(SyntheticCustomers.Customer customer) {
    PlantedSegment segment = customer.segment();
    return RowFactory.create(
        customer.id(),
        segment.id(),
        segment.name(),
        customer.lambda(),
        customer.dropout(),
        customer.nu(),
        segment.p() / customer.nu(),
        new Timestamp(customer.acquiredEpochSecond() * 1000),
        customer.droppedOut(),
        customer.purchases().size());
  }
}
