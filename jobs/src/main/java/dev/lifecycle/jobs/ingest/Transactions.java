package dev.lifecycle.jobs.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.lifecycle.common.Columns;
import dev.lifecycle.common.config.LifecycleConfig;
import dev.lifecycle.common.config.ReturnsPolicy;
import dev.lifecycle.common.config.ZeroAmountPolicy;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Ingest's pure transformations: the raw input gets parsed columns and, per row, either a reject
 * reason, an exclusion reason or neither (clean). Parsed columns carry a {@code __} prefix so they
 * never collide with the user's own columns, which are kept unchanged for the rejects table.
 */
public final class Transactions {
  public static final String CUSTOMER = "__customer_id";
  public static final String TS = "__ts";
  public static final String AMOUNT = "__amount";
  public static final String ORDER_KEY = "__order_key";
  public static final String SOURCE = "__source_file";
  public static final String REJECT = "__reject_reason";
  public static final String EXCLUDE = "__exclude_reason";

  private Transactions() {}

  /** The raw input plus its source file and the parsed customer id, timestamp and amount. */
  public static Dataset<Row> parse(Dataset<Row> raw, LifecycleConfig.InputColumns columns) {
    Column customer = Columns.quoted(columns.customerId());
    Column rawTs = Columns.quoted(columns.timestamp());
    Column rawAmount = Columns.quoted(columns.amount());
    Column orderKey =
        columns
            .orderId()
            .map(name -> Columns.quoted(name).cast(DataTypes.StringType))
            .orElse(lit(null).cast(DataTypes.StringType));
    Column ts = parseTimestamp(rawTs, typeOf(raw, columns.timestamp()));
    return raw.withColumn(SOURCE, col("_metadata.file_path"))
        .withColumn(CUSTOMER, normalizedId(customer))
        .withColumn(TS, ts)
        .withColumn(AMOUNT, rawAmount.try_cast(DataTypes.DoubleType))
        .withColumn(ORDER_KEY, coalesce(orderKey, ts.cast(DataTypes.StringType)));
  }

  /**
   * Adds the reject reason of the row-level checks, in {@link RejectReason} order, then marks all
   * but one copy of each exact duplicate row (all input columns equal). Rows are hash-partitioned
   * by customer first so that the features' group-by needs no second shuffle.
   */
  public static Dataset<Row> flag(
      Dataset<Row> parsed,
      LifecycleConfig.InputColumns columns,
      LocalDate asOf,
      ReturnsPolicy returns,
      ZeroAmountPolicy zeroAmounts) {
    Timestamp snapshotEnd = Timestamp.valueOf(asOf.plusDays(1).atStartOfDay());
    Column rawTs = Columns.quoted(columns.timestamp());
    Column rawAmount = Columns.quoted(columns.amount());
    Column amount = col(AMOUNT);
    Column reason =
        when(col(CUSTOMER).isNull(), code(RejectReason.MISSING_CUSTOMER_ID))
            .when(rawTs.isNull(), code(RejectReason.MISSING_TIMESTAMP))
            .when(col(TS).isNull(), code(RejectReason.UNPARSEABLE_TIMESTAMP))
            .when(rawAmount.isNull(), code(RejectReason.MISSING_AMOUNT))
            .when(amount.isNull(), code(RejectReason.NON_NUMERIC_AMOUNT))
            .when(
                isnan(amount).or(amount.isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
                code(RejectReason.NAN_OR_INFINITE_AMOUNT))
            .when(col(TS).geq(lit(snapshotEnd)), code(RejectReason.AFTER_SNAPSHOT));

    List<Column> wholeRow = new ArrayList<>();
    wholeRow.add(col(CUSTOMER));
    Arrays.stream(parsed.columns())
        .filter(name -> !name.startsWith("__"))
        .map(Columns::quoted)
        .forEach(wholeRow::add);
    Column copy =
        row_number().over(Window.partitionBy(wholeRow.toArray(Column[]::new)).orderBy(col(SOURCE)));

    Column exclusion =
        when(amount.lt(0).and(lit(returns == ReturnsPolicy.EXCLUDE)), code(ExclusionReason.RETURN))
            .when(
                amount.equalTo(0).and(lit(zeroAmounts == ZeroAmountPolicy.EXCLUDE)),
                code(ExclusionReason.ZERO_AMOUNT));

    return parsed
        .withColumn(REJECT, reason)
        .repartition(col(CUSTOMER))
        .withColumn(
            REJECT,
            when(col(REJECT).isNull().and(copy.gt(1)), code(RejectReason.DUPLICATE_ROW))
                .otherwise(col(REJECT)))
        .withColumn(EXCLUDE, when(col(REJECT).isNull(), exclusion));
  }

  /** The rows of the rejects table: every input column as a string, the reason, the file. */
  public static Dataset<Row> rejected(Dataset<Row> flagged) {
    List<Column> out = new ArrayList<>();
    Arrays.stream(flagged.columns())
        .filter(name -> !name.startsWith("__"))
        .forEach(name -> out.add(Columns.quoted(name).cast(DataTypes.StringType).as(name)));
    out.add(col(REJECT).as(Columns.REJECT_REASON));
    out.add(col(SOURCE).as(Columns.SOURCE_FILE));
    return flagged.where(col(REJECT).isNotNull()).select(out.toArray(Column[]::new));
  }

  /** The clean rows: neither rejected nor excluded; only the parsed columns. */
  public static Dataset<Row> clean(Dataset<Row> flagged) {
    return flagged
        .where(col(REJECT).isNull().and(col(EXCLUDE).isNull()))
        .select(col(CUSTOMER), col(TS), col(AMOUNT), col(ORDER_KEY));
  }

  private static Column normalizedId(Column raw) {
    Column text = trim(raw.cast(DataTypes.StringType));
    return when(text.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(text);
  }

  private static Column parseTimestamp(Column raw, DataType type) {
    if (type == DataTypes.StringType) {
      return trim(raw).try_cast(DataTypes.TimestampType);
    }
    return raw.cast(DataTypes.TimestampType);
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
