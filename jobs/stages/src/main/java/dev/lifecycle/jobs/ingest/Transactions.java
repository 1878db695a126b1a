package dev.lifecycle.jobs.ingest;

import static org.apache.spark.sql.functions.btrim;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lifecycle.core.Ids;
import dev.lifecycle.core.config.DuplicatePolicy;
import dev.lifecycle.core.config.LifecycleConfig.InputColumns;
import dev.lifecycle.spark.quality.IngestChecks;
import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.table.Columns;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VariantType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Ingest's pure transformations. Ingest and the per-customer summary are one shuffle by customer
 * and one sort on a single long key, then {@link CustomerPass}, whose output holds the customer
 * summaries, the rejected rows and the counts. Parsed columns carry a {@code __} prefix (an input
 * column with one of their names makes the input unusable); the user's own columns travel
 * unchanged for the rejects table.
 */
public final class Transactions {
  static final String SOURCE_ID = "__source_id";
  static final String CUSTOMER = "__customer_id";
  static final String CUSTOMER_KEY = "__customer_key";
  static final String ROW_HASH = "__row_hash";
  static final String TS_MICROS = "__ts_micros";
  static final String DAY = "__day";
  static final String AMOUNT = "__amount";
  static final String ORDER_KEY = "__order_key";
  static final String REJECT = "__reject_reason";
  static final String EXCLUDE = "__exclude_reason";
  static final String COHORT_SEGMENT = "__cohort_segment";
  /** The seed of Spark's {@code xxhash64}, whose hash of one column is its value's hash with it. */
  static final long XXHASH64_SEED = 42L;
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
  /** The cohort segment of everyone when no cohort attribute is configured. */
  static final String ALL_CUSTOMERS = "all";
  /** The cohort segment of a customer whose attribute value is missing. */
  static final String UNKNOWN_SEGMENT = "unknown";

  private Transactions() {}

  /** Whether an input column's name is one ingest uses for its own parsed columns. */
  static boolean isReserved(String column) {
    return Arrays.stream(CustomerPass.PARSED).anyMatch(column::equalsIgnoreCase);
  }

  /**
   * A text timestamp must start with a whole date: Spark's cast also takes a time alone (as today's
   * date: a run's snapshot would move with the day it runs), and a year or a month alone (as its
   * first day).
   */
  static final String DATED_TEXT = "^[+-]?[0-9]{4,}-[0-9]{1,2}-[0-9]{1,2}([T ]|$)";

  /**
   * A text amount must be a decimal number ({@code 12.50}, {@code -3}, {@code 1e3}), or NaN or an
   * infinity (rejected as such): Spark's cast takes what Java's {@code Double.parseDouble} takes,
   * {@code 1d}, {@code 2f} and hexadecimal {@code 0x1p3} among them.
   */
  static final String NUMBER_TEXT =
      "^[+-]?(([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?|(?i:nan|inf|infinity))$";

  /**
   * The parsed timestamp of a raw input column of the given type; null (a rejected row) when it
   * does not parse, is text that does not start with a date ({@link #DATED_TEXT}), or lies outside
   * what a timestamp holds (a DATE in year 1,000,000).
   */
  static Column parsedTimestamp(Column raw, DataType type) {
    if (type != DataTypes.StringType) {
      return raw.try_cast(DataTypes.TimestampType);
    }
    Column text = trim(raw);
    return when(text.rlike(DATED_TEXT), text.try_cast(DataTypes.TimestampType));
  }

  /** The parsed amount of a raw input column of the given type; null (a rejected row) when it is no number. */
  static Column parsedAmount(Column raw, DataType type) {
    if (type != DataTypes.StringType) {
      return raw.try_cast(DataTypes.DoubleType);
    }
    Column text = trim(raw);
    return when(text.rlike(NUMBER_TEXT), text.try_cast(DataTypes.DoubleType));
  }

  /** The input's customer id as text, normalised as {@link Ids} says; blank is missing. */
  static Column normalizedId(Column raw) {
    Column text = btrim(raw.cast(DataTypes.StringType), lit(Ids.BLANK));
    return when(text.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(text);
  }

  /**
   * The single pass of ingest: see {@link CustomerPass} for its output, at each of the {@code
   * snapshots} (oldest first). Snapshots with cohorts also tally acquisition cohorts, split by the
   * values of {@code cohortAttribute} if given.
   */
  public static Dataset<Row> pass(
      Dataset<Row> raw,
      TransactionSource.SourceFiles files,
      InputColumns columns,
      IngestChecks.Policies policies,
      DuplicatePolicy duplicates,
      Optional<String> cohortAttribute,
      List<SnapshotInput> snapshots) {
    List<Column> input = Arrays.stream(raw.columns()).map(Columns::quoted).toList();
    Column rawId = Columns.quoted(columns.customerId());
    boolean integralIds = isIntegral(typeOf(raw, columns.customerId()));
    Column id = normalizedId(rawId);
    // An integral id is missing only when null: no need to spell every id out to check.
    Column missingId = integralIds ? rawId.isNull() : id.isNull();
    // Spark cannot hash maps: they are left out of the hash, and equal hashes are compared in full.
    Column rowHash =
        xxhash64(
            Arrays.stream(raw.schema().fields())
                .filter(field -> hashable(field.dataType()))
                .map(field -> Columns.quoted(field.name()))
                .toArray(Column[]::new));
    // One long per customer: an integral id itself, else a hash of the id. Rows without a
    // customer are spread by their content, not piled into one partition.
    Column customerKey =
        when(missingId, rowHash)
            .otherwise(integralIds ? rawId.cast(DataTypes.LongType) : xxhash64(id));
    Column ts =
        parsedTimestamp(Columns.quoted(columns.timestamp()), typeOf(raw, columns.timestamp()));
    Column orderKey = columns.orderId().map(Columns::quoted).orElse(lit(null));
    Column segment =
        snapshots.stream().allMatch(snapshot -> snapshot.cohorts() == null)
            ? lit(null).cast(DataTypes.StringType)
            : cohortAttribute
                .map(name -> coalesce(normalizedId(Columns.quoted(name)), lit(UNKNOWN_SEGMENT)))
                .orElse(lit(ALL_CUSTOMERS));

    org.apache.spark.sql.classic.SparkSession spark = (org.apache.spark.sql.classic.SparkSession) raw.sparkSession();
    ZoneId zone = DateTimeUtils.getZoneId(spark.sessionState().conf().sessionLocalTimeZone());
    Dataset<Row> parsed =
        raw.withColumn(SOURCE_ID, xxhash64(files.path(raw)))
            .withColumn(CUSTOMER_KEY, customerKey)
            // The session's shuffle partitions, named so that adaptive execution keeps them: which
            // customers share a partition decides the order of sums over the pass's records.
            .repartition(spark.sessionState().conf().numShufflePartitions(), col(CUSTOMER_KEY))
            // An integral id is its own key, so the pass rebuilds its text once per customer.
            .withColumn(CUSTOMER, integralIds ? lit(null).cast(DataTypes.StringType) : id)
            .withColumn(ROW_HASH, rowHash)
            .withColumn(TS_MICROS, unix_micros(ts))
            .withColumn(DAY, epochDay(ts, col(TS_MICROS), zone))
            .withColumn(AMOUNT, parsedAmount(Columns.quoted(columns.amount()), typeOf(raw, columns.amount())))
            .withColumn(ORDER_KEY, orderKey)
            .withColumn(COHORT_SEGMENT, segment);
    IngestChecks.Parsed checked =
        new IngestChecks.Parsed(
            missingId, Columns.quoted(columns.timestamp()), col(TS_MICROS), col(DAY), Columns.quoted(columns.amount()),
            col(AMOUNT));
    parsed =
        parsed
            .withColumn(REJECT, IngestChecks.firstFailing(IngestChecks.Outcome.REJECT, checked, policies))
            .withColumn(EXCLUDE, IngestChecks.firstFailing(IngestChecks.Outcome.EXCLUDE, checked, policies));

    List<Column> passColumns = new ArrayList<>(input);
    Arrays.stream(CustomerPass.PARSED).map(name -> col(name)).forEach(passColumns::add);
    Dataset<Row> sorted = parsed.select(passColumns.toArray(Column[]::new)).sortWithinPartitions(col(CUSTOMER_KEY));
    CustomerPass customerPass =
        new CustomerPass(
            sorted.schema(),
            filesById(files.paths()),
            duplicates == DuplicatePolicy.REJECT,
            policies,
            snapshots);
    // On Spark's internal rows: the pass reads and makes them without turning each into a Java
    // row and back. Planning the query runs its shuffle here, as Dataset.rdd does.
    RDD<InternalRow> passed = sorted.queryExecution().toRdd().toJavaRDD().mapPartitions(customerPass).rdd();
    return spark.internalCreateDataFrame(passed, CustomerPass.outputSchema(raw.schema()), false);
  }

  /**
   * The epoch day of timestamp {@code ts} (of microseconds {@code micros}) in {@code zone}, what
   * {@code unix_date(CAST(ts AS DATE))} gives. In a zone of one fixed offset, UTC (the CLI's) among
   * them, that is plain arithmetic on the microseconds, floor((micros + offset) / day), where the
   * cast makes a calendar date-time of every row.
   */
  static Column epochDay(Column ts, Column micros, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    if (!rules.isFixedOffset()) {
      return unix_date(ts.cast(DataTypes.DateType));
    }
    Column local = micros.plus(rules.getOffset(Instant.EPOCH).getTotalSeconds() * MICROS_PER_SECOND);
    Column day = lit(MICROS_PER_DAY);
    // A whole number of days, less its non-negative remainder, divided exactly as a long
    return call_function("div", local.minus(pmod(local, day)), day).cast(DataTypes.IntegerType);
  }

  /**
   * A listed file's URI as {@code _metadata.file_path} has it: an empty authority is dropped
   * ({@code file:///x} is {@code file:/x}), the path stays encoded.
   */
  static String asMetadataPath(String listed) {
    URI uri = URI.create(listed);
    String authority = uri.getRawAuthority();
    return uri.getScheme() + ":" + (authority == null ? "" : "//" + authority) + uri.getRawPath();
  }

  private static boolean hashable(DataType type) {
    if (type instanceof MapType || type instanceof VariantType) {
      return false;
    }
    if (type instanceof StructType struct) {
      return Arrays.stream(struct.fields()).allMatch(field -> hashable(field.dataType()));
    }
    return !(type instanceof ArrayType array) || hashable(array.elementType());
  }

  private static boolean isIntegral(DataType type) {
    return type == DataTypes.LongType
        || type == DataTypes.IntegerType
        || type == DataTypes.ShortType
        || type == DataTypes.ByteType;
  }

  /**
   * The input's files by the id the pass carries instead of the path: the same xxhash64 of the
   * path as the source's file column spells it ({@link #XXHASH64_SEED}, as Spark's {@code
   * xxhash64} of one column), taken from the file listing on the driver: a Spark query for a few
   * strings cost half a second of every cold run.
   */
  static Map<Long, String> filesById(List<String> paths) {
    Map<Long, String> files = new HashMap<>();
    for (String path : paths) {
      String clash = files.put(XXH64.hashUTF8String(UTF8String.fromString(path), XXHASH64_SEED), path);
      if (clash != null) {
        throw new IllegalStateException("Cannot tell input files apart: " + clash + " and " + path + " share a hash");
      }
    }
    return files;
  }

  /**
   * Customer summaries of the pass for the snapshot of an epoch day, as {@link
   * IngestOutput#customerSummaries} describes them: at the snapshot ({@link PassRecord#SUMMARY})
   * or at its propensity cut ({@link PassRecord#CUT_SUMMARY}).
   */
  static Dataset<Row> summaries(Dataset<Row> pass, String kind, int snapshotDay) {
    return PassRecord.of(pass, kind, snapshotDay)
        .select(
            col("customer_id").as(Columns.CUSTOMER_ID),
            timestamp_micros(col("first_micros")).as(Columns.FIRST_PURCHASE),
            timestamp_micros(col("last_micros")).as(Columns.LAST_PURCHASE),
            col("orders").as(Columns.FREQUENCY),
            col("amount").as(Columns.MONETARY_TOTAL),
            col("returns").as(Columns.RETURNS_TOTAL),
            col("net_spend").as(Columns.NET_SPEND),
            col("purchase_days").as(IngestOutput.PURCHASE_DAYS),
            col("first_day_amount").as(IngestOutput.FIRST_DAY_AMOUNT),
            col("current_amount").as(IngestOutput.CURRENT_AMOUNT),
            col("window_amounts").as(IngestOutput.WINDOW_AMOUNTS),
            col("window_purchase_days").as(Columns.WINDOW_PURCHASE_DAYS),
            col("holdout_purchase_days").as(IngestOutput.HOLDOUT_PURCHASE_DAYS),
            col("holdout_spend").as(IngestOutput.HOLDOUT_SPEND),
            col("split_purchase_days").as(IngestOutput.SPLIT_PURCHASE_DAYS),
            col("split_last_day").as(IngestOutput.SPLIT_LAST_DAY),
            col("after_split_purchase_days").as(IngestOutput.AFTER_SPLIT_PURCHASE_DAYS));
  }

  /** The repeat purchase days of each day (columns day, an epoch day, and purchase_days), summed over partitions. */
  static Dataset<Row> repeatPurchases(Dataset<Row> pass) {
    return PassRecord.of(pass, PassRecord.REPEATS).groupBy("day").agg(sum("purchase_days").as("purchase_days"));
  }

  /**
   * The rows of the rejects table: every input column as text, the reason, the file. An input
   * column named like one of the table's own columns is written as {@code input_<name>}.
   */
  static Dataset<Row> rejected(Dataset<Row> pass, String[] inputColumns) {
    List<String> own = List.of(Columns.REJECT_REASON, Columns.SOURCE_FILE, Columns.SNAPSHOT_DATE);
    List<Column> out = new ArrayList<>();
    for (String name : inputColumns) {
      String as = own.stream().anyMatch(name::equalsIgnoreCase) ? "input_" + name : name;
      out.add(col("original").getField(name).cast(DataTypes.StringType).as(as));
    }
    out.add(col("reason").as(Columns.REJECT_REASON));
    out.add(col("source_file").as(Columns.SOURCE_FILE));
    return PassRecord.of(pass, PassRecord.REJECT).select(out.toArray(Column[]::new));
  }

  /**
   * Customers by cohort segment, cohort (period number), last active period since acquisition and
   * whether still active at the snapshot of an epoch day: the lifetimes the retention fits need.
   */
  public static Dataset<Row> cohortLifetimes(Dataset<Row> pass, int snapshotDay) {
    return PassRecord.of(pass, PassRecord.LIFETIME, snapshotDay)
        .groupBy(col("cohort_segment"), col("cohort"), col("offset"), col("still_active"))
        .agg(sum(col("customers")).as("customers"));
  }

  /** Active customers and revenue by cohort segment, cohort and period since acquisition, at the snapshot of an epoch day. */
  public static Dataset<Row> cohortActivity(Dataset<Row> pass, int snapshotDay) {
    return PassRecord.of(pass, PassRecord.ACTIVITY, snapshotDay)
        .groupBy(col("cohort_segment"), col("cohort"), col("offset"))
        .agg(sum(col("customers")).as("customers"), sum(col("revenue")).as("revenue"));
  }

  /**
   * In one query over the pass: row counts by category (clean, a reject reason or an exclusion
   * reason), with a null snapshot day; and customers by snapshot (an epoch day), with a null
   * category.
   */
  static Dataset<Row> counts(Dataset<Row> pass) {
    return PassRecord.of(pass, PassRecord.COUNT)
        .groupBy(col("category"), col(PassRecord.SNAPSHOT_DAY))
        .agg(sum(col("rows")).as("rows"));
  }

  private static DataType typeOf(Dataset<Row> raw, String column) {
    return Arrays.stream(raw.schema().fields())
        .filter(f -> f.name().equals(column))
        .findFirst()
        .orElseThrow()
        .dataType();
  }
}
