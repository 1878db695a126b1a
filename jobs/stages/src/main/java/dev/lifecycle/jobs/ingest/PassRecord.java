package dev.lifecycle.jobs.ingest;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeArrayWriter;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * What ingest's one pass emits, one record kind per thing it finds: a customer's summary, a
 * rejected row, a partition's count of rows by category, the cohort tallies (lifetimes and
 * activity), the repeat purchases by day that a backtest tracks, and a customer's summary at
 * the propensity cut. They travel as one Dataset of {@link #schema rows}: the kind, then one
 * struct column per kind, the one of the row's kind set and the others null. Each kind is a record that builds
 * its row, as Spark holds it internally (the pass makes them without going through external
 * rows), and names its columns; {@link #of} reads one kind back.
 */
sealed interface PassRecord {
  String KIND = "kind";

  /** The kind's name, which is also its struct column. */
  String kind();

  /** The kind's own columns. */
  InternalRow fields();

  /** The row of the union: the kind's number (its place in {@link #KINDS}), then its struct. */
  default InternalRow row() {
    Object[] values = new Object[1 + KINDS.length];
    int kind = index(kind());
    values[0] = kind;
    values[1 + kind] = fields();
    return new GenericInternalRow(values);
  }

  /** A row of internal values: strings as {@link UTF8String}, the other values as they are. */
  private static InternalRow internal(Object... values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof String text) {
        values[i] = UTF8String.fromString(text);
      }
    }
    return new GenericInternalRow(values);
  }

  String SUMMARY = "summary";
  String REJECT = "reject";
  String COUNT = "count";
  String LIFETIME = "lifetime";
  String ACTIVITY = "activity";
  String REPEATS = "repeats";
  String CUT_SUMMARY = "cut_summary";
  String[] KINDS = {SUMMARY, REJECT, COUNT, LIFETIME, ACTIVITY, REPEATS, CUT_SUMMARY};

  /** The union's schema; {@code input} is the input's schema, which rejected rows keep. */
  static StructType schema(StructType input) {
    return new StructType()
        .add(KIND, DataTypes.IntegerType, false)
        .add(SUMMARY, Summary.TYPE)
        .add(REJECT, Reject.type(input))
        .add(COUNT, Count.TYPE)
        .add(LIFETIME, Lifetime.TYPE)
        .add(ACTIVITY, Activity.TYPE)
        .add(REPEATS, Repeats.TYPE)
        .add(CUT_SUMMARY, Summary.TYPE);
  }

  /** A kind's number, the value of {@link #KIND} in its records. */
  static int index(String kind) {
    for (int i = 0; i < KINDS.length; i++) {
      if (KINDS[i].equals(kind)) {
        return i;
      }
    }
    return -1;
  }

  /** The records of one kind, with that kind's columns. */
  static Dataset<Row> of(Dataset<Row> pass, String kind) {
    return pass.where(col(KIND).equalTo(index(kind))).select(col(kind + ".*"));
  }

  /** The records of one kind made for one snapshot (an epoch day), with that kind's columns but the day. */
  static Dataset<Row> of(Dataset<Row> pass, String kind, int snapshotDay) {
    return pass.where(col(KIND).equalTo(index(kind)).and(col(kind + "." + SNAPSHOT_DAY).equalTo(snapshotDay)))
        .select(col(kind + ".*"))
        .drop(SNAPSHOT_DAY);
  }

  /** The field of the kinds made per snapshot: the snapshot's epoch day. */
  String SNAPSHOT_DAY = "snapshot_day";

  /**
   * A customer with a purchase by the snapshot of {@code snapshotDay}: first and last purchase
   * (epoch microseconds), orders, spend, the value of the returns (positive) and the spend net of
   * every return, purchase days, the spend on the first purchase day, in the current-value days
   * and per window, the purchase days and spend in the backtest's holdout (0 without one), and at the split of
   * {@code clv.purchase-model = auto}: the purchase days to it, the last of them (an epoch day,
   * {@link ValueInput#NO_SPLIT} without one) and the purchase days after it (0 without a split).
   */
  record Summary(
      int snapshotDay,
      UTF8String customerId,
      long firstMicros,
      long lastMicros,
      long orders,
      double amount,
      double returns,
      double netSpend,
      long purchaseDays,
      double firstDayAmount,
      double currentAmount,
      double[] windowAmounts,
      int[] windowPurchaseDays,
      long holdoutPurchaseDays,
      double holdoutSpend,
      long splitPurchaseDays,
      int splitLastDay,
      long afterSplitPurchaseDays)
      implements PassRecord {
    static final StructType TYPE =
        new StructType()
            .add(SNAPSHOT_DAY, DataTypes.IntegerType)
            .add("customer_id", DataTypes.StringType)
            .add("first_micros", DataTypes.LongType)
            .add("last_micros", DataTypes.LongType)
            .add("orders", DataTypes.LongType)
            .add("amount", DataTypes.DoubleType)
            .add("returns", DataTypes.DoubleType)
            .add("net_spend", DataTypes.DoubleType)
            .add("purchase_days", DataTypes.LongType)
            .add("first_day_amount", DataTypes.DoubleType)
            .add("current_amount", DataTypes.DoubleType)
            .add("window_amounts", DataTypes.createArrayType(DataTypes.DoubleType, false))
            .add("window_purchase_days", DataTypes.createArrayType(DataTypes.IntegerType, false))
            .add("holdout_purchase_days", DataTypes.LongType)
            .add("holdout_spend", DataTypes.DoubleType)
            .add("split_purchase_days", DataTypes.LongType)
            .add("split_last_day", DataTypes.IntegerType)
            .add("after_split_purchase_days", DataTypes.LongType);

    @Override
    public String kind() {
      return SUMMARY;
    }

    @Override
    public InternalRow fields() {
      return internal(
          snapshotDay, customerId, firstMicros, lastMicros, orders, amount, returns, netSpend, purchaseDays, firstDayAmount,
          currentAmount,
          UnsafeArrayData.fromPrimitiveArray(windowAmounts), UnsafeArrayData.fromPrimitiveArray(windowPurchaseDays),
          holdoutPurchaseDays, holdoutSpend, splitPurchaseDays, splitLastDay, afterSplitPurchaseDays);
    }

    @Override
    public InternalRow row() {
      return binaryRow(SUMMARY);
    }

    /**
     * The union's row of this summary as the given kind, in Spark's binary form, the bytes {@link
     * #fields} would become: written straight from the fields, with no boxed value and no
     * intermediate row, for there is one summary per customer and snapshot (about 10M for twelve
     * snapshots of the 1M-customer sample).
     */
    InternalRow binaryRow(String kind) {
      int windows = windowAmounts.length;
      UnsafeRowWriter union = new UnsafeRowWriter(1 + KINDS.length, 176 + customerId.numBytes() + 16 * windows);
      UnsafeRowWriter fields = new UnsafeRowWriter(union, TYPE.size());
      union.reset();
      union.zeroOutNullBytes();
      int index = index(kind);
      union.write(0, index);
      for (int i = 0; i < KINDS.length; i++) {
        if (i != index) {
          union.setNullAt(1 + i);
        }
      }
      int struct = union.cursor();
      fields.resetRowWriter();
      fields.write(0, snapshotDay);
      fields.write(1, customerId);
      fields.write(2, firstMicros);
      fields.write(3, lastMicros);
      fields.write(4, orders);
      fields.write(5, amount);
      fields.write(6, returns);
      fields.write(7, netSpend);
      fields.write(8, purchaseDays);
      fields.write(9, firstDayAmount);
      fields.write(10, currentAmount);
      int array = fields.cursor();
      UnsafeArrayWriter amounts = new UnsafeArrayWriter(fields, Double.BYTES);
      amounts.initialize(windows);
      for (int i = 0; i < windows; i++) {
        amounts.write(i, windowAmounts[i]);
      }
      fields.setOffsetAndSizeFromPreviousCursor(11, array);
      array = fields.cursor();
      UnsafeArrayWriter days = new UnsafeArrayWriter(fields, Integer.BYTES);
      days.initialize(windowPurchaseDays.length);
      for (int i = 0; i < windowPurchaseDays.length; i++) {
        days.write(i, windowPurchaseDays[i]);
      }
      fields.setOffsetAndSizeFromPreviousCursor(12, array);
      fields.write(13, holdoutPurchaseDays);
      fields.write(14, holdoutSpend);
      fields.write(15, splitPurchaseDays);
      fields.write(16, splitLastDay);
      fields.write(17, afterSplitPurchaseDays);
      union.setOffsetAndSizeFromPreviousCursor(1 + index, struct);
      return union.getRow();
    }
  }

  /**
   * A customer with a purchase by the propensity cut of a snapshot, summarised as of the cut (its
   * snapshot day is the snapshot's, not the cut's): the same columns
   * as a {@link Summary} at the snapshot, with its windows ending at the cut, its holdout the
   * purchase days from the cut to the snapshot, and no split.
   */
  record CutSummary(Summary summary) implements PassRecord {
    @Override
    public String kind() {
      return CUT_SUMMARY;
    }

    @Override
    public InternalRow fields() {
      return summary.fields();
    }

    @Override
    public InternalRow row() {
      return summary.binaryRow(CUT_SUMMARY);
    }
  }

  /** A rejected row: why, the file it came from, and its input columns as they were (internal values). */
  record Reject(String reason, String sourceFile, InternalRow original) implements PassRecord {
    static StructType type(StructType input) {
      return new StructType()
          .add("reason", DataTypes.StringType)
          .add("source_file", DataTypes.StringType)
          .add("original", input);
    }

    @Override
    public String kind() {
      return REJECT;
    }

    @Override
    public InternalRow fields() {
      return internal(reason, sourceFile, original);
    }
  }

  /**
   * A partition's rows of one category (clean, or a check's reason; no snapshot day), or its
   * customers at one snapshot (no category): counted as the pass goes, so that counting them never
   * reads the summaries back.
   */
  record Count(String category, Integer snapshotDay, long rows) implements PassRecord {
    static final StructType TYPE =
        new StructType()
            .add("category", DataTypes.StringType)
            .add(SNAPSHOT_DAY, DataTypes.IntegerType)
            .add("rows", DataTypes.LongType);

    static Count rows(String category, long rows) {
      return new Count(category, null, rows);
    }

    static Count customers(int snapshotDay, long customers) {
      return new Count(null, snapshotDay, customers);
    }

    @Override
    public String kind() {
      return COUNT;
    }

    @Override
    public InternalRow fields() {
      return internal(category, snapshotDay, rows);
    }
  }

  /** A partition's customers of one cohort with one lifetime (last active period, still active) at a snapshot. */
  record Lifetime(int snapshotDay, String segment, int cohort, int offset, boolean stillActive, long customers) implements PassRecord {
    static final StructType TYPE =
        new StructType()
            .add(SNAPSHOT_DAY, DataTypes.IntegerType)
            .add("cohort_segment", DataTypes.StringType)
            .add("cohort", DataTypes.IntegerType)
            .add("offset", DataTypes.IntegerType)
            .add("still_active", DataTypes.BooleanType)
            .add("customers", DataTypes.LongType);

    @Override
    public String kind() {
      return LIFETIME;
    }

    @Override
    public InternalRow fields() {
      return internal(snapshotDay, segment, cohort, offset, stillActive, customers);
    }
  }

  /** A partition's active customers and revenue of one cohort in one period since acquisition, at a snapshot. */
  record Activity(int snapshotDay, String segment, int cohort, int offset, long customers, double revenue) implements PassRecord {
    static final StructType TYPE =
        new StructType()
            .add(SNAPSHOT_DAY, DataTypes.IntegerType)
            .add("cohort_segment", DataTypes.StringType)
            .add("cohort", DataTypes.IntegerType)
            .add("offset", DataTypes.IntegerType)
            .add("customers", DataTypes.LongType)
            .add("revenue", DataTypes.DoubleType);

    @Override
    public String kind() {
      return ACTIVITY;
    }

    @Override
    public InternalRow fields() {
      return internal(snapshotDay, segment, cohort, offset, customers, revenue);
    }
  }

  /** A partition's repeat purchase days on one day (epoch day), when ingest tracks a holdout. */
  record Repeats(int day, long purchaseDays) implements PassRecord {
    static final StructType TYPE =
        new StructType().add("day", DataTypes.IntegerType).add("purchase_days", DataTypes.LongType);

    @Override
    public String kind() {
      return REPEATS;
    }

    @Override
    public InternalRow fields() {
      return internal(day, purchaseDays);
    }
  }
}
