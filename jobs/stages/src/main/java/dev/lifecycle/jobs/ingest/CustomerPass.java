package dev.lifecycle.jobs.ingest;

import dev.lifecycle.core.config.RetentionPeriod;
import dev.lifecycle.core.config.ReturnsPolicy;
import dev.lifecycle.core.config.ZeroAmountPolicy;
import dev.lifecycle.spark.quality.IngestChecks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Ingest's one pass over a partition. Its rows are hash-partitioned by customer and sorted by one
 * long key (so Spark can radix-sort): an integral customer id itself, else a 64-bit hash of the
 * id. Rows carry their file as a 64-bit id, named only when a row is rejected.
 *
 * <p>It emits {@link PassRecord}s. Rows that already carry a reject reason go straight out as
 * rejects. The other rows of one customer are gathered. Of identical rows (all input columns
 * equal) the copy whose source path sorts first is kept and the rest go out as {@code
 * duplicate_row}, unless duplicates are kept. Excluded rows are counted, and the clean rows, in
 * time order, make the customer's summary; returns left out ({@code input.returns = exclude}) make
 * its returns and net spend. Each partition ends with its counts (rows by category,
 * customers by snapshot) and, when asked for, its {@link CohortTally}: customers by acquisition
 * cohort and lifetime, and activity by period since acquisition. With a backtest's holdout, rows
 * after the snapshot up to its end, still excluded as {@code after_snapshot}, also make the
 * customer's holdout purchases (but those the returns and zero-amount policies exclude), and the
 * partition ends with its repeat purchase days by day.
 * With a propensity cut, the clean rows up to it also make the customer's summary at the cut, and
 * the clean rows after it its holdout: the purchase days from the cut to the snapshot.
 *
 * <p>With many snapshots, every one of them gets its own summaries and tallies from the clean rows
 * up to its day, as a run at that snapshot alone would make them; the rows are validated against
 * the last snapshot, and only the last has a backtest's holdout.
 *
 * <p>It reads and makes rows as Spark holds them internally, so no row is turned into a Java
 * object and back: only the rare rows that may be duplicates are, to be compared as Spark's
 * DISTINCT compares them ({@link SameValue}).
 *
 * <p>Input: the {@code inputColumns} original columns, then the {@link #PARSED} columns in order.
 */
final class CustomerPass implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  private static final long serialVersionUID = 1L;

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
  private static final String AFTER_SNAPSHOT = IngestChecks.AFTER_SNAPSHOT.reason();
  private static final String RETURN = IngestChecks.RETURN.reason();

  private final int inputColumns;
  /** The types of the input columns, then of the parsed ones. */
  private final DataType[] types;
  private final Map<Long, String> files;
  private final boolean rejectDuplicates;
  /**
   * Whether {@code input.returns} and {@code input.zero-amounts} exclude their rows: the rows after
   * the snapshot are excluded as {@code after_snapshot} first, so the holdout applies them itself.
   */
  private final boolean excludeReturns;
  private final boolean excludeZeros;
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
  /** The snapshots, oldest first. */
  private final SnapshotInput[] snapshots;
  /** Their days. */
  private final int[] snapshotDays;
  /** The last snapshot's spend windows and holdout. */
  private final ValueInput value;

  /**
   * {@code input}: the pass's input schema, the original columns then the {@link #PARSED} ones;
   * {@code snapshots}: at least one, oldest first.
   */
  CustomerPass(
      StructType input, Map<Long, String> filesById, boolean rejectDuplicates, IngestChecks.Policies policies,
      List<SnapshotInput> snapshots) {
    this.inputColumns = input.fields().length - PARSED.length;
    this.types = Arrays.stream(input.fields()).map(StructField::dataType).toArray(DataType[]::new);
    this.files = new HashMap<>(filesById);
    this.rejectDuplicates = rejectDuplicates;
    this.excludeReturns = policies.returns() == ReturnsPolicy.EXCLUDE;
    this.excludeZeros = policies.zeroAmounts() == ZeroAmountPolicy.EXCLUDE;
    this.snapshots = snapshots.toArray(SnapshotInput[]::new);
    this.snapshotDays = snapshots.stream().mapToInt(SnapshotInput::day).toArray();
    this.value = this.snapshots[this.snapshots.length - 1].value();
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

  /** The output: {@link PassRecord}'s union of its record kinds. */
  static StructType outputSchema(StructType input) {
    return PassRecord.schema(input);
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    return new Pass(rows);
  }

  private String source(InternalRow row) {
    String path = files.get(row.getLong(sourceAt));
    if (path == null) {
      throw new IllegalStateException("Cannot name the source file of id " + row.getLong(sourceAt));
    }
    return path;
  }

  private final class Pass implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final ArrayDeque<InternalRow> out = new ArrayDeque<>();
    /** The rows of one customer key, copied: the input reuses its row objects. */
    private final List<InternalRow> sameKey = new ArrayList<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final CohortTally[] tallies = new CohortTally[snapshots.length];
    /** The customers summarised at each snapshot. */
    private final long[] customers = new long[snapshots.length];
    /** The period of the cohort tallies; null when no snapshot tallies. */
    private final RetentionPeriod periodUnit;
    private final Map<Integer, Long> repeats = new TreeMap<>();
    private long clean;
    private long key;
    private boolean finished;
    /** The last cohort segment read, as stored and as text: segments change seldom from row to row. */
    private UTF8String segmentBytes;
    private String segment;
    /** Turn input columns into Java objects, for the duplicates' comparison; made on first use. */
    private scala.Function1<Object, Object>[] external;

    Pass(Iterator<InternalRow> rows) {
      this.rows = rows;
      RetentionPeriod unit = null;
      for (int i = 0; i < snapshots.length; i++) {
        tallies[i] = snapshots[i].cohorts() == null ? null : new CohortTally(snapshots[i].cohorts());
        if (tallies[i] != null) {
          if (unit != null && unit != tallies[i].input().period()) {
            throw new IllegalStateException("Snapshots tally cohorts by " + unit + " and by " + tallies[i].input().period());
          }
          unit = tallies[i].input().period();
        }
      }
      periodUnit = unit;
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
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return out.poll();
    }

    private void accept(InternalRow row) {
      if (!row.isNullAt(rejectAt)) {
        reject(row, row.getUTF8String(rejectAt).toString());
        return;
      }
      long rowKey = row.getLong(customerKeyAt);
      if (!sameKey.isEmpty() && rowKey != key) {
        flush();
      }
      key = rowKey;
      sameKey.add(row.copy());
    }

    /**
     * The rows of one customer key. An integral id is the key itself; hashed ids that share a key
     * are told apart here.
     */
    private void flush() {
      if (sameKey.get(0).isNullAt(customerAt)) {
        summarize(UTF8String.fromString(Long.toString(key)), sameKey);
      } else {
        Map<UTF8String, List<InternalRow>> byCustomer = new LinkedHashMap<>();
        for (InternalRow row : sameKey) {
          byCustomer.computeIfAbsent(row.getUTF8String(customerAt), id -> new ArrayList<>()).add(row);
        }
        byCustomer.forEach(this::summarize);
      }
      sameKey.clear();
    }

    /**
     * In (time, row hash) order identical rows are neighbours, so one walk both drops duplicates
     * and sums in a fixed order. Rows sharing time and hash are compared value by value.
     */
    private void summarize(UTF8String id, List<InternalRow> rows) {
      rows.sort(
          Comparator.<InternalRow>comparingLong(r -> r.getLong(microsAt))
              .thenComparingLong(r -> r.getLong(rowHashAt)));
      CustomerSummary[] summaries = new CustomerSummary[snapshots.length];
      CustomerSummary[] atCuts = new CustomerSummary[snapshots.length];
      for (int i = 0; i < snapshots.length; i++) {
        SnapshotInput snapshot = snapshots[i];
        summaries[i] = new CustomerSummary(snapshot.value());
        atCuts[i] = snapshot.cut() == null ? null : new CustomerSummary(snapshot.cut());
      }
      CohortTally.SnapshotPeriods periods = periodUnit == null ? null : new CohortTally.SnapshotPeriods(periodUnit, snapshotDays);
      // The customer's orders so far: a purchase in time order starts one at most once, for every
      // summary it reaches, so one set serves all snapshots. Sized for a row each, so it never grows.
      Set<Object> orders = new HashSet<>(rows.size() * 4 / 3 + 1);
      List<InternalRow> tied = new ArrayList<>();
      for (InternalRow row : rows) {
        if (!tied.isEmpty() && !sameTimeAndHash(row, tied.get(0))) {
          tied.forEach(kept -> add(summaries, atCuts, periods, orders, kept));
          tied.clear();
        }
        keepOrReject(row, tied);
      }
      tied.forEach(kept -> add(summaries, atCuts, periods, orders, kept));
      for (int i = 0; i < snapshots.length; i++) {
        int day = snapshots[i].day();
        CustomerSummary atCut = atCuts[i];
        if (atCut != null && atCut.purchases > 0) {
          out.add(new PassRecord.CutSummary(atCut.record(id, day)).row());
        }
        CustomerSummary summary = summaries[i];
        if (summary.purchases > 0) {
          customers[i]++;
          out.add(summary.record(id, day).row());
          if (summary.repeatDays != null) {
            summary.repeatDays.forEach(repeat -> repeats.merge(repeat, 1L, Long::sum));
          }
          if (tallies[i] != null) {
            tallies[i].add(periods.segment(), summary.firstDay, summary.lastDay, periods.at(i));
          }
        }
      }
    }

    private boolean sameTimeAndHash(InternalRow a, InternalRow b) {
      return a.getLong(microsAt) == b.getLong(microsAt) && a.getLong(rowHashAt) == b.getLong(rowHashAt);
    }

    /** Of identical rows the copy whose source path sorts first stays; the others are rejected. */
    private void keepOrReject(InternalRow row, List<InternalRow> kept) {
      for (int i = 0; rejectDuplicates && i < kept.size(); i++) {
        InternalRow earlier = kept.get(i);
        if (sameInput(row, earlier)) {
          boolean keepNew = source(row).compareTo(source(earlier)) < 0;
          if (keepNew) {
            kept.set(i, row);
          }
          reject(keepNew ? earlier : row, IngestChecks.DUPLICATE_ROW.reason());
          return;
        }
      }
      kept.add(row);
    }

    /** Whether two rows have equal input columns, compared as Java objects (rows sharing time and hash only). */
    private boolean sameInput(InternalRow a, InternalRow b) {
      if (external == null) {
        @SuppressWarnings("unchecked")
        scala.Function1<Object, Object>[] converters = new scala.Function1[inputColumns];
        for (int i = 0; i < inputColumns; i++) {
          converters[i] = CatalystTypeConverters.createToScalaConverter(types[i]);
        }
        external = converters;
      }
      for (int i = 0; i < inputColumns; i++) {
        Object x = a.isNullAt(i) ? null : external[i].apply(a.get(i, types[i]));
        Object y = b.isNullAt(i) ? null : external[i].apply(b.get(i, types[i]));
        if (!SameValue.equal(x, y)) {
          return false;
        }
      }
      return true;
    }

    /**
     * A kept row: to the summary of each snapshot it is not after, and when it is clean, to each
     * summary at a cut too (by the cut) or to its holdout (after it, by the snapshot), and to the
     * periods of the cohort tallies.
     */
    private void add(
        CustomerSummary[] summaries, CustomerSummary[] atCuts, CohortTally.SnapshotPeriods periods, Set<Object> orders,
        InternalRow row) {
      int day = row.getInt(dayAt);
      double amount = row.getDouble(amountAt);
      if (!row.isNullAt(excludeAt)) {
        String exclusion = row.getUTF8String(excludeAt).toString();
        counts.merge(exclusion, 1L, Long::sum);
        if (exclusion.equals(AFTER_SNAPSHOT) && value.inHoldout(day)) {
          // A row the policies would exclude before the snapshot is no holdout purchase after it
          if (!(excludeReturns && amount < 0) && !(excludeZeros && amount == 0)) {
            summaries[summaries.length - 1].addHoldout(day, amount);
          }
        } else if (exclusion.equals(RETURN)) {
          for (int i = 0; i < snapshots.length; i++) {
            if (day <= snapshots[i].day()) {
              summaries[i].addExcludedReturn(amount);
              if (atCuts[i] != null && day <= snapshots[i].cut().asOfDay()) {
                atCuts[i].addExcludedReturn(amount);
              }
            }
          }
        }
        return;
      }
      clean++;
      // An internal value (a UTF8String for text, of the copied row): equal as the Java value is
      Object order = row.isNullAt(orderKeyAt) ? null : row.get(orderKeyAt, types[orderKeyAt]);
      long micros = row.getLong(microsAt);
      Object key = order == null ? new UnorderedPurchase(micros) : order;
      boolean newOrder = amount >= 0 && orders.add(key);
      if (periods != null && periods.add(day, amount)) {
        periods.segment(segment(row));
      }
      for (int i = 0; i < snapshots.length; i++) {
        SnapshotInput snapshot = snapshots[i];
        if (day > snapshot.day()) {
          continue;
        }
        summaries[i].add(micros, day, amount, newOrder);
        if (atCuts[i] != null) {
          if (day <= snapshot.cut().asOfDay()) {
            atCuts[i].add(micros, day, amount, newOrder);
          } else {
            atCuts[i].addHoldout(day, amount);
          }
        }
      }
    }

    /** The row's cohort segment, as text. */
    private String segment(InternalRow row) {
      UTF8String bytes = row.getUTF8String(segmentAt);
      if (!bytes.equals(segmentBytes)) {
        segmentBytes = bytes.clone();
        segment = bytes.toString();
      }
      return segment;
    }

    private void reject(InternalRow row, String reason) {
      counts.merge(reason, 1L, Long::sum);
      InternalRow copy = row.copy();
      Object[] values = new Object[inputColumns];
      for (int i = 0; i < inputColumns; i++) {
        values[i] = copy.isNullAt(i) ? null : copy.get(i, types[i]);
      }
      out.add(new PassRecord.Reject(reason, source(row), new GenericInternalRow(values)).row());
    }

    private void finish() {
      if (!sameKey.isEmpty()) {
        flush();
      }
      if (clean > 0) {
        counts.put(CLEAN, clean);
      }
      counts.forEach((category, n) -> out.add(PassRecord.Count.rows(category, n).row()));
      for (int i = 0; i < snapshots.length; i++) {
        if (customers[i] > 0) {
          out.add(PassRecord.Count.customers(snapshots[i].day(), customers[i]).row());
        }
      }
      repeats.forEach((day, n) -> out.add(new PassRecord.Repeats(day, n).row()));
      for (int i = 0; i < snapshots.length; i++) {
        if (tallies[i] != null) {
          emitTally(snapshots[i].day(), tallies[i]);
        }
      }
      finished = true;
    }

    private void emitTally(int snapshotDay, CohortTally tally) {
      tally.forEachLifetime(
          (key, customers) ->
              out.add(
                  new PassRecord.Lifetime(
                          snapshotDay, key.segment(), key.cohort(), key.lastActive(), key.stillActive(), customers)
                      .row()));
      tally.forEachActivity(
          (key, activity) ->
              out.add(
                  new PassRecord.Activity(
                          snapshotDay, key.segment(), key.cohort(), key.offset(), activity.activeCustomers,
                          activity.revenue)
                      .row()));
    }
  }

  /** The order key of a purchase without an order id: its time, never equal to a real id. */
  private record UnorderedPurchase(long micros) {}
}
