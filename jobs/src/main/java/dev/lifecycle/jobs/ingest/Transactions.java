package dev.lifecycle.jobs.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.config.LifecycleConfig.InputColumns;
import dev.lifecycle.common.config.ReturnsPolicy;
import dev.lifecycle.common.config.ZeroAmountPolicy;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Ingest's pure transformations. The whole of ingest and the per-customer summary is one shuffle
 * (by customer) and one sort, then {@link CustomerPass}; its output holds the customer summaries,
 * the rejected rows and the counts. Parsed columns carry a {@code __} prefix so that they never
 * collide with the user's own columns, which travel unchanged for the rejects table.
 */
public final class Transactions {
  static final String SOURCE = "__source_file";
  static final String CUSTOMER = "__customer_id";
  static final String CUSTOMER_KEY = "__customer_key";
  static final String TS_MICROS = "__ts_micros";
  static final String DAY = "__day";
  static final String AMOUNT = "__amount";
  static final String ORDER_KEY = "__order_key";
  static final String REJECT = "__reject_reason";
  static final String EXCLUDE = "__exclude_reason";

  private Transactions() {}

  /** The parsed timestamp of a raw input column of the given type. */
  static Column parsedTimestamp(Column raw, DataType type) {
    return type == DataTypes.StringType
        ? trim(raw).try_cast(DataTypes.TimestampType)
        : raw.cast(DataTypes.TimestampType);
  }

  /** The input's customer id as trimmed text; blank is missing. */
  static Column normalizedId(Column raw) {
    Column text = trim(raw.cast(DataTypes.StringType));
    return when(text.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(text);
  }

  /** The single pass of ingest: see {@link CustomerPass} for its output. */
  public static Dataset<Row> pass(
      Dataset<Row> raw,
      InputColumns columns,
      LocalDate asOf,
      ReturnsPolicy returns,
      ZeroAmountPolicy zeroAmounts) {
    List<Column> input = Arrays.stream(raw.columns()).map(Columns::quoted).toList();
    Column id = normalizedId(Columns.quoted(columns.customerId()));
    // Rows without a customer are spread by their content, not piled into one partition.
    Column rowHash = xxhash64(input.toArray(Column[]::new));
    Column partitionKey = coalesce(id, rowHash.cast(DataTypes.StringType));
    Column ts =
        parsedTimestamp(Columns.quoted(columns.timestamp()), typeOf(raw, columns.timestamp()));
    Column orderKey = columns.orderId().map(Columns::quoted).orElse(lit(null));

    Dataset<Row> parsed =
        raw.withColumn(SOURCE, col("_metadata.file_path"))
            .repartition(partitionKey)
            .withColumn(CUSTOMER, id)
            .withColumn(CUSTOMER_KEY, customerKey(raw, columns.customerId(), id, rowHash))
            .withColumn(TS_MICROS, unix_micros(ts))
            .withColumn(DAY, unix_date(ts.cast(DataTypes.DateType)))
            .withColumn(AMOUNT, Columns.quoted(columns.amount()).try_cast(DataTypes.DoubleType))
            .withColumn(ORDER_KEY, orderKey);
    parsed =
        parsed
            .withColumn(REJECT, rejectReason(columns, asOf))
            .withColumn(EXCLUDE, exclusionReason(returns, zeroAmounts));

    List<Column> passColumns = new ArrayList<>(input);
    Arrays.stream(CustomerPass.PARSED).map(name -> col(name)).forEach(passColumns::add);
    return parsed
        .select(passColumns.toArray(Column[]::new))
        .sortWithinPartitions(col(CUSTOMER_KEY))
        .mapPartitions(
            new CustomerPass(input.size()),
            Encoders.row(CustomerPass.outputSchema(raw.schema())));
  }

  /**
   * The one sort key that gathers a customer's rows: an integral id itself, else a hash of the id;
   * rows without a customer are spread by their row hash.
   */
  private static Column customerKey(Dataset<Row> raw, String column, Column id, Column rowHash) {
    DataType type = typeOf(raw, column);
    boolean integral =
        type == DataTypes.LongType
            || type == DataTypes.IntegerType
            || type == DataTypes.ShortType
            || type == DataTypes.ByteType;
    Column key = integral ? Columns.quoted(column).cast(DataTypes.LongType) : xxhash64(id);
    return when(id.isNull(), rowHash).otherwise(key);
  }

  private static Column rejectReason(InputColumns columns, LocalDate asOf) {
    Timestamp snapshotEnd = Timestamp.valueOf(asOf.plusDays(1).atStartOfDay());
    Column amount = col(AMOUNT);
    return when(col(CUSTOMER).isNull(), code(RejectReason.MISSING_CUSTOMER_ID))
        .when(Columns.quoted(columns.timestamp()).isNull(), code(RejectReason.MISSING_TIMESTAMP))
        .when(col(TS_MICROS).isNull(), code(RejectReason.UNPARSEABLE_TIMESTAMP))
        .when(Columns.quoted(columns.amount()).isNull(), code(RejectReason.MISSING_AMOUNT))
        .when(amount.isNull(), code(RejectReason.NON_NUMERIC_AMOUNT))
        .when(
            isnan(amount).or(amount.isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
            code(RejectReason.NAN_OR_INFINITE_AMOUNT))
        .when(
            col(TS_MICROS).geq(unix_micros(lit(snapshotEnd))),
            code(RejectReason.AFTER_SNAPSHOT));
  }

  private static Column exclusionReason(ReturnsPolicy returns, ZeroAmountPolicy zeroAmounts) {
    Column amount = col(AMOUNT);
    return when(
            amount.lt(0).and(lit(returns == ReturnsPolicy.EXCLUDE)), code(ExclusionReason.RETURN))
        .when(
            amount.equalTo(0).and(lit(zeroAmounts == ZeroAmountPolicy.EXCLUDE)),
            code(ExclusionReason.ZERO_AMOUNT));
  }

  /** Customer summaries of the pass, as first/last purchase, orders, spend and purchase days. */
  static Dataset<Row> summaries(Dataset<Row> pass) {
    return pass.where(col("kind").equalTo(CustomerPass.SUMMARY))
        .select(
            col("customer_id").as(Columns.CUSTOMER_ID),
            timestamp_micros(col("first_micros")).as(Columns.FIRST_PURCHASE),
            timestamp_micros(col("last_micros")).as(Columns.LAST_PURCHASE),
            col("orders").as(Columns.FREQUENCY),
            col("amount").as(Columns.MONETARY_TOTAL),
            col("purchase_days"));
  }

  /** The rows of the rejects table: every input column as text, the reason, the file. */
  static Dataset<Row> rejected(Dataset<Row> pass, String[] inputColumns) {
    List<Column> out = new ArrayList<>();
    for (String name : inputColumns) {
      out.add(col("original").getField(name).cast(DataTypes.StringType).as(name));
    }
    out.add(col("reason").as(Columns.REJECT_REASON));
    out.add(col("source_file").as(Columns.SOURCE_FILE));
    return pass.where(col("kind").equalTo(CustomerPass.REJECT)).select(out.toArray(Column[]::new));
  }

  /** Row counts by category (clean, a reject reason or an exclusion reason). */
  static Dataset<Row> counts(Dataset<Row> pass) {
    return pass.where(col("kind").equalTo(CustomerPass.COUNT))
        .groupBy(col("category"))
        .agg(org.apache.spark.sql.functions.sum(col("rows")).as("rows"));
  }

  private static DataType typeOf(Dataset<Row> raw, String column) {
    return Arrays.stream(raw.schema().fields())
        .filter(f -> f.name().equals(column))
        .findFirst()
        .orElseThrow()
        .dataType();
  }

  private static Column code(Reason reason) {
    return lit(reason.code());
  }
}
