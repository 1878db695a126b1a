package dev.lifecycle.jobs.ingest;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_date;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.spark.quality.IngestChecks;
import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.RunManifestTable.IngestCounts;
import dev.lifecycle.spark.table.Table;
import dev.lifecycle.spark.table.TransactionsRejectedTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the transactions, quarantines bad rows in {@code transactions_rejected} with a reason,
 * counts policy exclusions, reconciles the counts and applies the data-quality gate.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger("lifecycle");

  /** A single snapshot this many days past the input's last transaction is logged as a warning. */
  static final int QUIET_DAYS = 7;

  private IngestJob() {}

  /**
   * The input, opened (and pseudonymized), the snapshots to summarise customers at (oldest first;
   * the rows are validated against the last), the run's start: rows dated after it are rejected as
   * {@code future_timestamp}, and, for a Parquet input of few files, what their footers say.
   */
  public record Input(
      TransactionSource.Opened opened, List<LocalDate> snapshots, Instant now, Optional<ParquetFooters> footers) {
    /** The snapshot the rows are validated against: the last. */
    public LocalDate asOf() {
      return snapshots.get(snapshots.size() - 1);
    }

    /** The input's rows. */
    public Dataset<Row> raw() {
      return opened.raw();
    }

    /** The input path or table, as messages name it. */
    public String uri() {
      return opened.read().source();
    }
  }

  /**
   * Opens the configured input and settles the snapshots: {@code snapshot.as-of}'s, else the last
   * transaction date. Many snapshots may not reach past the last transaction date. With {@code
   * cohorts}, the cohort attribute column must exist.
   */
  public static Input open(StageContext context, boolean cohorts) {
    LifecycleConfig config = context.config();
    Optional<byte[]> pseudonymKey =
        config.output().pseudonymKeyVariable().map(variable -> Pseudonyms.key(variable, System::getenv));
    TransactionSource.Opened source = TransactionSource.open(context.spark(), config.requireInput(), config.columns());
    String uri = source.read().source();
    Dataset<Row> raw =
        pseudonymKey.map(key -> Pseudonyms.apply(source.raw(), config.columns().customerId(), key)).orElse(source.raw());
    if (cohorts) {
      config.retention().cohortAttribute().ifPresent(name -> TransactionSource.requireAttribute(raw, name, uri));
    }
    Instant now = Instant.now();
    Optional<ParquetFooters> footers = readingInput(uri, () -> footers(context, source, config));
    List<LocalDate> snapshots = config.snapshots();
    Optional<LocalDate> holdoutUntil = config.holdoutUntil();
    if (snapshots.size() != 1 || holdoutUntil.isPresent()) {
      LocalDate last = readingInput(uri, () -> lastTransactionDate(raw, footers, context, uri, now));
      if (snapshots.isEmpty()) {
        snapshots = List.of(last);
      }
      LocalDate end = snapshots.get(snapshots.size() - 1);
      if (end.isAfter(last) && snapshots.size() > 1) {
        LocalDate past = snapshots.stream().filter(day -> day.isAfter(last)).findFirst().orElseThrow();
        throw LifecycleException.config(
            "Cannot make snapshot " + past + " of snapshot.as-of (" + snapshots.size() + " snapshots to " + end
                + "): input " + uri + " ends on " + last + "; end the snapshots by then");
      }
      // A holdout past the data would count forecasts for days nobody could buy in as misses.
      if (holdoutUntil.isPresent() && holdoutUntil.get().isAfter(last)) {
        throw LifecycleException.config(
            "Cannot hold out to validation.holdout-until " + holdoutUntil.get() + ": input " + uri + " ends on "
                + last + "; end the holdout by then");
      }
    }
    // One snapshot past the data is allowed (a quiet day), but long past it every customer ages by
    // days the input does not cover: most likely a late or partial export. Said when the footers
    // tell the last date without a scan.
    if (snapshots.size() == 1 && holdoutUntil.isEmpty()) {
      LocalDate snapshot = snapshots.get(0);
      newestFromFooters(raw, footers, context, now)
          .filter(last -> last.plusDays(QUIET_DAYS).isBefore(snapshot))
          .ifPresent(
              last ->
                  LOG.warn(
                      "ingest: snapshot {} is {} days after input {}'s last transaction ({}): every customer's recency"
                          + " counts them; is the input complete?",
                      snapshot, snapshot.toEpochDay() - last.toEpochDay(), uri, last));
    }
    // A snapshot in the future would age every customer by days that have not happened yet. A day
    // of slack: a scheduler east of the session's zone may already be on tomorrow's date.
    LocalDate today =
        LocalDate.ofInstant(now, DateTimeUtils.getZoneId(context.spark().conf().get("spark.sql.session.timeZone")));
    LocalDate latest = snapshots.get(snapshots.size() - 1);
    if (latest.isAfter(today.plusDays(1))) {
      throw LifecycleException.config(
          "Cannot make snapshot " + latest + " of snapshot.as-of: it is in the future (today is " + today
              + " in the session time zone); a snapshot's history ends on its day");
    }
    return new Input(source.withRows(raw), snapshots, now, footers);
  }

  /**
   * The footers of a Parquet input (a folder, or a catalog table stored as Parquet) of few files,
   * with the newest value of the timestamp column if it is a timestamp; empty for other inputs.
   */
  private static Optional<ParquetFooters> footers(
      StageContext context, TransactionSource.Opened source, LifecycleConfig config) {
    if (!source.read().format().equals("parquet")
        || source.files().kind() != TransactionSource.SourceFiles.Kind.FILE_METADATA) {
      return Optional.empty();
    }
    return ParquetFooters.read(
        source.files().paths(), config.columns().timestamp(), context.spark().sparkContext().hadoopConfiguration());
  }

  /**
   * Validates the input in one pass: bad rows to transactions_rejected, policy exclusions counted,
   * and the counts reconciled. With {@code cohorts}, the pass also tallies acquisition cohorts for
   * the retention stage. The result holds the pass, cached, until closed.
   */
  public static IngestResult run(StageContext context, Input input, boolean cohorts) {
    return run(context, input, cohorts, false);
  }

  /**
   * As {@link #run(StageContext, Input, boolean)}; with {@code cuts}, the pass also summarises each
   * customer as of each snapshot's propensity cut ({@code propensity.horizon-days} before it), for
   * churn propensity.
   */
  public static IngestResult run(StageContext context, Input input, boolean cohorts, boolean cuts) {
    LifecycleConfig config = context.config();
    LocalDate asOf = input.asOf();
    List<SnapshotInput> snapshots = new ArrayList<>();
    List<Optional<LocalDate>> cutDates = new ArrayList<>();
    for (LocalDate snapshot : input.snapshots()) {
      Optional<LocalDate> cut = cuts ? config.propensity().cut(snapshot) : Optional.empty();
      cutDates.add(cut);
      snapshots.add(snapshotInput(config, snapshot, cohorts, cut, snapshot.equals(asOf)));
    }
    // Planning the pass reads the input (its shuffle runs then), so it too names an unreadable file
    Dataset<Row> pass =
        readingInput(
            input.uri(),
            () ->
                Transactions.pass(
                        input.raw(),
                        input.opened().files(),
                        config.columns(),
                        new IngestChecks.Policies(
                            asOf, input.now(), config.earliestDate(), config.returns(), config.zeroAmounts()),
                        config.duplicates(),
                        config.retention().cohortAttribute(),
                        snapshots)
                    .persist(StorageLevel.MEMORY_AND_DISK()));
    List<IngestOutput> outputs = new ArrayList<>();
    for (int i = 0; i < snapshots.size(); i++) {
      outputs.add(new SnapshotOutput(input.snapshots().get(i), cutDates.get(i), pass));
    }
    try {
      return readingInput(
          input.uri(), () -> quarantine(context, input.opened(), input.footers(), pass, List.copyOf(outputs)));
    } catch (RuntimeException e) {
      pass.unpersist();
      throw e;
    }
  }

  /**
   * What the pass needs for one snapshot: its spend windows (with the backtest's holdout and the
   * split of {@code clv.purchase-model = auto} when it is the {@code last}), its cohort tally, and
   * its propensity cut's windows, whose holdout, the churn label, runs from the cut to the snapshot.
   */
  private static SnapshotInput snapshotInput(
      LifecycleConfig config, LocalDate snapshot, boolean cohorts, Optional<LocalDate> cut, boolean last) {
    int day = (int) snapshot.toEpochDay();
    LifecycleConfig.Lifecycle lifecycle = config.lifecycle();
    return new SnapshotInput(
        new ValueInput(
            day,
            lifecycle.windowDays(),
            lifecycle.historyWindows(),
            config.value().currentDays(),
            last ? (int) config.holdoutUntil().orElse(snapshot).toEpochDay() : day,
            config.clv().autoSplit(snapshot).map(split -> (int) split.toEpochDay()).orElse(ValueInput.NO_SPLIT)),
        cohorts ? new CohortInput(config.retention().period(), day, config.retention().churnAfterDays()) : null,
        cut.map(
                at ->
                    new ValueInput(
                        (int) at.toEpochDay(), lifecycle.windowDays(), lifecycle.historyWindows(),
                        config.value().currentDays(), day, ValueInput.NO_SPLIT))
            .orElse(null));
  }

  private static IngestResult quarantine(
      StageContext context,
      TransactionSource.Opened input,
      Optional<ParquetFooters> footers,
      Dataset<Row> pass,
      List<IngestOutput> snapshots) {
    LocalDate asOf = snapshots.get(snapshots.size() - 1).asOf();
    Dataset<Row> raw = input.raw();
    // Counted apart from the pass, so that the reconciliation below checks it
    long rowsIn = footers.map(ParquetFooters::rows).orElseGet(raw::count);
    SortedMap<String, Long> rejected = new TreeMap<>();
    SortedMap<String, Long> excluded = new TreeMap<>();
    long clean = 0;
    SortedMap<LocalDate, Long> customers = new TreeMap<>();
    for (Row row : Transactions.counts(pass).collectAsList()) {
      long n = row.getLong(2);
      if (row.isNullAt(0)) {
        customers.put(LocalDate.ofEpochDay(row.getInt(1)), n);
        continue;
      }
      String category = row.getString(0);
      if (category.equals(CustomerPass.CLEAN)) {
        clean += n;
      } else if (outcome(category) == IngestChecks.Outcome.EXCLUDE) {
        excluded.put(category, n);
      } else {
        rejected.put(category, n);
      }
    }
    IngestCounts counts = new IngestCounts(input.read(), input.files().count(), rowsIn, clean, rejected, excluded);
    if (rowsIn != clean + counts.rejected() + counts.excluded()) {
      throw new IllegalStateException(
          "Cannot reconcile ingest counts: rows in " + rowsIn + " != clean " + clean
              + " + rejected " + counts.rejected() + " + excluded " + counts.excluded());
    }
    Table.Written rejects =
        TransactionsRejectedTable.SPEC.replace(
            context.warehouse(), Transactions.rejected(pass, raw.columns()), asOf, counts::rejected);
    return new IngestResult(snapshots, counts, customers, rejects, pass);
  }

  private static IngestChecks.Outcome outcome(String reason) {
    return IngestChecks.of(reason)
        .orElseThrow(() -> new IllegalStateException("Cannot count ingest's rows: no check records reason " + reason))
        .outcome();
  }

  /**
   * The day of the newest parseable timestamp that is not in the future (those are rejects), in
   * the session's time zone: from the footers when they give the newest timestamp and it is not in
   * the future, else from a scan.
   */
  private static LocalDate lastTransactionDate(
      Dataset<Row> raw, Optional<ParquetFooters> footers, StageContext context, String uri, Instant now) {
    String column = context.config().columns().timestamp();
    DataType type = raw.schema().apply(column).dataType();
    Optional<LocalDate> newest = newestFromFooters(raw, footers, context, now);
    if (newest.isPresent()) {
      return newest.get();
    }
    Column ts = Transactions.parsedTimestamp(Columns.quoted(column), type);
    Row last = raw.where(ts.leq(lit(Timestamp.from(now)))).agg(max(unix_date(to_date(ts)))).first();
    if (last.isNullAt(0)) {
      throw LifecycleException.qualityGate(
          "Cannot choose the snapshot date: no row of input " + uri
              + " has a parseable timestamp that is not in the future; set snapshot.as-of");
    }
    return LocalDate.ofEpochDay(last.getInt(0));
  }

  /**
   * The last transaction date as the footers give it, without a scan: for a timestamp column whose
   * newest value is not in the future, its day in the session's time zone.
   */
  private static Optional<LocalDate> newestFromFooters(
      Dataset<Row> raw, Optional<ParquetFooters> footers, StageContext context, Instant now) {
    DataType type = raw.schema().apply(context.config().columns().timestamp()).dataType();
    Optional<Instant> newest = footers.flatMap(ParquetFooters::newest);
    if (!type.equals(DataTypes.TimestampType) || newest.isEmpty() || newest.get().isAfter(now)) {
      return Optional.empty();
    }
    // The zone as Spark's to_date reads it (which takes more spellings than ZoneId.of)
    ZoneId zone = DateTimeUtils.getZoneId(context.spark().conf().get("spark.sql.session.timeZone"));
    return Optional.of(LocalDate.ofInstant(newest.get(), zone));
  }

  /** Reasons and their rows, most rows first: {@code return 9032, after_snapshot 5}. */
  private static String reasons(Map<String, Long> rows) {
    return rows.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(entry -> entry.getKey() + " " + entry.getValue())
        .collect(Collectors.joining(", "));
  }

  /**
   * The data-quality gate, once the counts are recorded: no clean row, or a rejected share above
   * {@code quality.max-rejected-share}, fails the run with exit 4.
   */
  public static void checkGate(IngestCounts result, double maxRejectedShare, String uri) {
    if (result.clean() == 0) {
      throw LifecycleException.qualityGate(
          "Data-quality gate failed: no clean rows in input " + uri + " (" + result.rejected() + " rejected, see "
              + TransactionsRejectedTable.SPEC.name() + "; " + result.excluded() + " excluded"
              + (result.excluded() == 0 ? "" : ": " + reasons(result.excludedByReason())
                  + ", as tables.md's exclusion reasons say")
              + ")");
    }
    double share = result.rowsIn() == 0 ? 0 : (double) result.rejected() / result.rowsIn();
    if (share > maxRejectedShare) {
      throw LifecycleException.qualityGate(
          String.format(
              "Data-quality gate failed: %.1f%% of the rows of input %s were rejected, more than"
                  + " quality.max-rejected-share %.1f%% (see %s)",
              100 * share, uri, 100 * maxRejectedShare, TransactionsRejectedTable.SPEC.name()));
    }
  }

  /**
   * The gate's second half, before anything is built from the pass: clean rows that make no
   * customer (every one a return netted by {@code input.returns = net}, so no purchase) fail the
   * run with exit 4, and the snapshot's tables are left as they were.
   */
  public static void checkCustomers(IngestResult ingest, String uri) {
    // A customer of one snapshot is one of every later snapshot: the first decides.
    LocalDate first = ingest.dates().get(0);
    if (ingest.dates().size() > 1 && ingest.customersAt(first) == 0) {
      throw LifecycleException.qualityGate(
          "Data-quality gate failed: no customer in input " + uri + " has purchased by " + first
              + ", the first of snapshot.as-of's " + ingest.dates().size() + " snapshots; start them later");
    }
    if (ingest.customersAt(ingest.asOf()) == 0) {
      throw LifecycleException.qualityGate(
          "Data-quality gate failed: no customers in input " + uri + ": its " + ingest.counts().clean()
              + " clean rows hold no purchase (a return kept by input.returns = net is not one)");
    }
  }

  /** Runs work that reads the input; a file that turns out unreadable becomes exit 3. */
  static <T> T readingInput(String uri, Supplier<T> work) {
    try {
      return work.get();
    } catch (Exception e) { // Spark's own exceptions are checked ones in Java's eyes
      if (TransactionSource.failedRead(e).isPresent()) {
        throw LifecycleException.input("Cannot read input " + uri + ": " + TransactionSource.failure(e), e);
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }
}
