package dev.lifecycle.jobs.ingest;

import dev.lifecycle.core.config.RetentionPeriod;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Ingest's one pass over a partition. Its rows are hash-partitioned by customer and sorted by one
 * long key (so Spark can radix-sort): an integral customer id itself, else a 64-bit hash of the
 * id. Rows carry their file as a 64-bit id, named only when a row is rejected.
 *
 * <p>Rows that already carry a reject reason go straight out as rejects. The other rows of one
 * customer are gathered. Of identical rows (all input columns equal) the copy whose source path
 * sorts first is kept and the rest go out as {@code duplicate_row}, unless duplicates are kept. Excluded rows are counted, and
 * the clean rows, in time order, make the customer's summary. Each partition ends with its counts
 * and, when asked for, its {@link CohortTally}: customers by acquisition cohort and lifetime, and
 * activity by period since acquisition.
 *
 * <p>Input: the {@code inputColumns} original columns, then the {@link #PARSED} columns in order.
 */
final class CustomerPass implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final int SUMMARY = 0;
  static final int REJECT = 1;
  static final int COUNT = 2;
  static final int LIFETIMES = 3;
  static final int ACTIVITY = 4;

  /** The parsed columns that follow the input columns, in this order. */
  static final String[] PARSED = {
    Transactions.SOURCE_ID,
    Transactions.CUSTOMER,
    Transactions.CUSTOMER_KEY,
    Transactions.ROW_HASH,
    Transactions.TS_MICROS,
    Transactions.DAY,
    Transactions.AMOUNT,
    Transactions.ORDER_KEY,
    Transactions.REJECT,
    Transactions.EXCLUDE,
    Transactions.COHORT_SEGMENT
  };

  static final String CLEAN = "clean";

  private final int inputColumns;
  private final Map<Long, String> files;
  private final boolean rejectDuplicates;
  private final int sourceAt;
  private final int customerAt;
  private final int customerKeyAt;
  private final int rowHashAt;
  private final int microsAt;
  private final int dayAt;
  private final int amountAt;
  private final int orderKeyAt;
  private final int rejectAt;
  private final int excludeAt;
  private final int segmentAt;
  private final CohortInput cohorts;
  private final ValueInput value;

  /** {@code cohorts} is null when no cohort tally is wanted. */
  CustomerPass(
      int inputColumns,
      Map<Long, String> filesById,
      boolean rejectDuplicates,
      CohortInput cohorts,
      ValueInput value) {
    this.inputColumns = inputColumns;
    this.files = new HashMap<>(filesById);
    this.rejectDuplicates = rejectDuplicates;
    this.cohorts = cohorts;
    this.value = value;
    List<String> parsed = List.of(PARSED);
    sourceAt = inputColumns + parsed.indexOf(Transactions.SOURCE_ID);
    customerAt = inputColumns + parsed.indexOf(Transactions.CUSTOMER);
    customerKeyAt = inputColumns + parsed.indexOf(Transactions.CUSTOMER_KEY);
    rowHashAt = inputColumns + parsed.indexOf(Transactions.ROW_HASH);
    microsAt = inputColumns + parsed.indexOf(Transactions.TS_MICROS);
    dayAt = inputColumns + parsed.indexOf(Transactions.DAY);
    amountAt = inputColumns + parsed.indexOf(Transactions.AMOUNT);
    orderKeyAt = inputColumns + parsed.indexOf(Transactions.ORDER_KEY);
    rejectAt = inputColumns + parsed.indexOf(Transactions.REJECT);
    excludeAt = inputColumns + parsed.indexOf(Transactions.EXCLUDE);
    segmentAt = inputColumns + parsed.indexOf(Transactions.COHORT_SEGMENT);
  }

  // Positions of the output fields, in outputSchema's order.
  private static final int KIND = 0;
  private static final int CUSTOMER_ID = 1;
  private static final int FIRST_MICROS = 2;
  private static final int LAST_MICROS = 3;
  private static final int ORDERS = 4;
  private static final int AMOUNT = 5;
  private static final int PURCHASE_DAYS = 6;
  private static final int REASON = 7;
  private static final int SOURCE_FILE = 8;
  private static final int ORIGINAL = 9;
  private static final int CATEGORY = 10;
  private static final int ROWS = 11;
  private static final int SEGMENT = 12;
  private static final int COHORT = 13;
  private static final int OFFSET = 14;
  private static final int STILL_ACTIVE = 15;
  private static final int CUSTOMERS = 16;
  private static final int REVENUE = 17;
  private static final int FIRST_DAY_AMOUNT = 18;
  private static final int CURRENT_AMOUNT = 19;
  private static final int WINDOW_AMOUNTS = 20;
  private static final int WINDOW_PURCHASE_DAYS = 21;
  private static final int WIDTH = 22;

  /** The output: one schema for the five kinds of record, unused fields null. */
  static StructType outputSchema(StructType input) {
    return new StructType()
        .add("kind", DataTypes.IntegerType, false)
        .add("customer_id", DataTypes.StringType)
        .add("first_micros", DataTypes.LongType)
        .add("last_micros", DataTypes.LongType)
        .add("orders", DataTypes.LongType)
        .add("amount", DataTypes.DoubleType)
        .add("purchase_days", DataTypes.LongType)
        .add("reason", DataTypes.StringType)
        .add("source_file", DataTypes.StringType)
        .add("original", input)
        .add("category", DataTypes.StringType)
        .add("rows", DataTypes.LongType)
        .add("cohort_segment", DataTypes.StringType)
        .add("cohort", DataTypes.IntegerType)
        .add("offset", DataTypes.IntegerType)
        .add("still_active", DataTypes.BooleanType)
        .add("customers", DataTypes.LongType)
        .add("revenue", DataTypes.DoubleType)
        .add("first_day_amount", DataTypes.DoubleType)
        .add("current_amount", DataTypes.DoubleType)
        .add("window_amounts", DataTypes.createArrayType(DataTypes.DoubleType, false))
        .add("window_purchase_days", DataTypes.createArrayType(DataTypes.IntegerType, false));
  }

  private static Object[] record(int kind) {
    Object[] values = new Object[WIDTH];
    values[KIND] = kind;
    return values;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Pass(rows);
  }

  private String source(Row row) {
    String path = files.get(row.getLong(sourceAt));
    if (path == null) {
      throw new IllegalStateException("Cannot name the source file of id " + row.getLong(sourceAt));
    }
    return path;
  }

  private final class Pass implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final ArrayDeque<Row> out = new ArrayDeque<>();
    private final List<Row> sameKey = new ArrayList<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final CohortTally tally = cohorts == null ? null : new CohortTally(cohorts);
    private long clean;
    private long key;
    private boolean finished;

    Pass(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      while (out.isEmpty() && !finished) {
        if (rows.hasNext()) {
          accept(rows.next());
        } else {
          finish();
        }
      }
      return !out.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return out.poll();
    }

    private void accept(Row row) {
      String reason = row.getString(rejectAt);
      if (reason != null) {
        reject(row, reason);
        return;
      }
      long rowKey = row.getLong(customerKeyAt);
      if (!sameKey.isEmpty() && rowKey != key) {
        flush();
      }
      key = rowKey;
      sameKey.add(row);
    }

    /**
     * The rows of one customer key. An integral id is the key itself; hashed ids that share a key
     * are told apart here.
     */
    private void flush() {
      if (sameKey.get(0).isNullAt(customerAt)) {
        summarize(Long.toString(key), sameKey);
      } else {
        Map<String, List<Row>> byCustomer = new LinkedHashMap<>();
        for (Row row : sameKey) {
          byCustomer.computeIfAbsent(row.getString(customerAt), id -> new ArrayList<>()).add(row);
        }
        byCustomer.forEach(this::summarize);
      }
      sameKey.clear();
    }

    /**
     * In (time, row hash) order identical rows are neighbours, so one walk both drops duplicates
     * and sums in a fixed order. Rows sharing time and hash are compared value by value.
     */
    private void summarize(String id, List<Row> rows) {
      rows.sort(
          Comparator.<Row>comparingLong(r -> r.getLong(microsAt))
              .thenComparingLong(r -> r.getLong(rowHashAt)));
      Customer summary = new Customer(id, tally != null, value);
      List<Row> tied = new ArrayList<>();
      for (Row row : rows) {
        if (!tied.isEmpty() && !sameTimeAndHash(row, tied.get(0))) {
          tied.forEach(kept -> add(summary, kept));
          tied.clear();
        }
        keepOrReject(row, tied);
      }
      tied.forEach(kept -> add(summary, kept));
      if (summary.purchases > 0) {
        Object[] values = record(SUMMARY);
        values[CUSTOMER_ID] = id;
        values[FIRST_MICROS] = summary.firstMicros;
        values[LAST_MICROS] = summary.lastMicros;
        values[ORDERS] = (long) summary.orders.size();
        values[AMOUNT] = summary.amount;
        values[PURCHASE_DAYS] = summary.days;
        values[FIRST_DAY_AMOUNT] = summary.firstDayAmount;
        values[CURRENT_AMOUNT] = summary.currentAmount;
        values[WINDOW_AMOUNTS] = summary.windowAmounts;
        values[WINDOW_PURCHASE_DAYS] = summary.windowPurchaseDays;
        out.add(RowFactory.create(values));
        if (tally != null) {
          tally.add(summary.segment, summary.firstDay, summary.lastDay, summary.periods);
        }
      }
    }

    private boolean sameTimeAndHash(Row a, Row b) {
      return a.getLong(microsAt) == b.getLong(microsAt) && a.getLong(rowHashAt) == b.getLong(rowHashAt);
    }

    /** Of identical rows the copy whose source path sorts first stays; the others are rejected. */
    private void keepOrReject(Row row, List<Row> kept) {
      for (int i = 0; rejectDuplicates && i < kept.size(); i++) {
        Row earlier = kept.get(i);
        if (sameInput(row, earlier)) {
          boolean keepNew = source(row).compareTo(source(earlier)) < 0;
          if (keepNew) {
            kept.set(i, row);
          }
          reject(keepNew ? earlier : row, RejectReason.DUPLICATE_ROW.code());
          return;
        }
      }
      kept.add(row);
    }

    private boolean sameInput(Row a, Row b) {
      for (int i = 0; i < inputColumns; i++) {
        if (!SameValue.equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }

    private void add(Customer summary, Row row) {
      String exclusion = row.getString(excludeAt);
      if (exclusion != null) {
        counts.merge(exclusion, 1L, Long::sum);
        return;
      }
      clean++;
      Object order = row.get(orderKeyAt);
      long micros = row.getLong(microsAt);
      Object key = order == null ? new UnorderedPurchase(micros) : order;
      summary.add(micros, row.getInt(dayAt), row.getDouble(amountAt), key);
      if (tally != null) {
        summary.tally(
            tally.input().period(), row.getInt(dayAt), row.getDouble(amountAt),
            row.getString(segmentAt));
      }
    }

    private void reject(Row row, String reason) {
      counts.merge(reason, 1L, Long::sum);
      Object[] values = new Object[inputColumns];
      for (int i = 0; i < inputColumns; i++) {
        values[i] = row.get(i);
      }
      Object[] record = record(REJECT);
      record[REASON] = reason;
      record[SOURCE_FILE] = source(row);
      record[ORIGINAL] = RowFactory.create(values);
      out.add(RowFactory.create(record));
    }

    private void finish() {
      if (!sameKey.isEmpty()) {
        flush();
      }
      if (clean > 0) {
        counts.put(CLEAN, clean);
      }
      counts.forEach(
          (category, n) -> {
            Object[] values = record(COUNT);
            values[CATEGORY] = category;
            values[ROWS] = n;
            out.add(RowFactory.create(values));
          });
      if (tally != null) {
        emitTally();
      }
      finished = true;
    }

    private void emitTally() {
      tally.forEachLifetime(
          (key, customers) -> {
            Object[] values = record(LIFETIMES);
            values[SEGMENT] = key.segment();
            values[COHORT] = key.cohort();
            values[OFFSET] = key.lastActive();
            values[STILL_ACTIVE] = key.stillActive();
            values[CUSTOMERS] = customers;
            out.add(RowFactory.create(values));
          });
      tally.forEachActivity(
          (key, activity) -> {
            Object[] values = record(ACTIVITY);
            values[SEGMENT] = key.segment();
            values[COHORT] = key.cohort();
            values[OFFSET] = key.offset();
            values[CUSTOMERS] = activity.activeCustomers;
            values[REVENUE] = activity.revenue;
            out.add(RowFactory.create(values));
          });
    }
  }

  /** The order key of a purchase without an order id: its time, never equal to a real id. */
  private record UnorderedPurchase(long micros) {}

  /**
   * One customer's summary, fed in time order. A purchase is a clean row with a non-negative
   * amount; a negative amount (a netted return) only lowers the spend.
   */
  private static final class Customer {
    final String id;
    final CohortTally.Periods periods;
    final ValueInput value;
    final double[] windowAmounts;
    final int[] windowPurchaseDays;
    double firstDayAmount;
    double currentAmount;
    final Set<Object> orders = new HashSet<>();
    long firstMicros = Long.MAX_VALUE;
    long lastMicros = Long.MIN_VALUE;
    double amount;
    long purchases;
    long days;
    int lastDay = Integer.MIN_VALUE;
    int firstDay = Integer.MAX_VALUE;
    String segment;
    private int periodDay = Integer.MIN_VALUE;
    private int period;

    Customer(String id, boolean tracksPeriods, ValueInput value) {
      this.id = id;
      this.periods = tracksPeriods ? new CohortTally.Periods() : null;
      this.value = value;
      this.windowAmounts = new double[value.windows()];
      this.windowPurchaseDays = new int[value.windows()];
    }

    /** Adds a clean row to the periods; the segment is the one of the first purchase. */
    void tally(RetentionPeriod unit, int day, double value, String rowSegment) {
      if (day != periodDay) {
        period = unit.index(day);
        periodDay = day;
      }
      periods.add(period, value);
      if (segment == null && value >= 0) {
        segment = rowSegment;
      }
    }

    /** Rows come in time order, so the first purchase day is known when its rows arrive. */
    void add(long micros, int day, double amount, Object orderKey) {
      this.amount += amount;
      int window = value.window(day);
      if (window >= 0) {
        windowAmounts[window] += amount;
      }
      if (value.current(day)) {
        currentAmount += amount;
      }
      if (day == firstDay) {
        firstDayAmount += amount;
      }
      if (amount < 0) {
        return;
      }
      purchases++;
      if (firstDay == Integer.MAX_VALUE) {
        firstDay = day;
        firstDayAmount = amount;
      }
      firstMicros = Math.min(firstMicros, micros);
      lastMicros = Math.max(lastMicros, micros);
      orders.add(orderKey);
      if (day != lastDay) {
        days++;
        lastDay = day;
        if (window >= 0) {
          windowPurchaseDays[window]++;
        }
      }
    }
  }
}
