package dev.lifecycle.jobs.report;

import static org.apache.spark.sql.functions.lit;

import dev.lifecycle.core.Futures;
import dev.lifecycle.core.Redaction;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.ClvModelsTable;
import dev.lifecycle.spark.table.Columns;
import dev.lifecycle.spark.table.CustomerMigrationTable;
import dev.lifecycle.spark.table.LoyaltyWeightsTable;
import dev.lifecycle.spark.table.MigrationMatrixTable;
import dev.lifecycle.spark.table.PropensityModelsTable;
import dev.lifecycle.spark.table.ClvValidationTable;
import dev.lifecycle.spark.table.CohortActivityTable;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.CustomerScoresTable;
import dev.lifecycle.spark.table.RetentionCurvesTable;
import dev.lifecycle.spark.table.RetentionModelsTable;
import dev.lifecycle.spark.table.RowOrder;
import dev.lifecycle.spark.table.RunManifestTable.Manifest;
import dev.lifecycle.spark.table.SegmentProfilesTable;
import dev.lifecycle.spark.table.SomCodebookTable;
import dev.lifecycle.spark.table.Table;
import dev.lifecycle.spark.table.TuningRunsTable;
import dev.lifecycle.spark.table.ValueClassAgreementTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code report}: one self-contained HTML file per run, under {@code <warehouse>/reports/<snapshot>/
 * <run_id>.html}, drawn from the snapshot's tables and run manifests, one {@link ReportSection}
 * after another: data quality, RFM, the segments of both methods (and the snapshot's tuning runs),
 * the SOM's maps, cohort activity and retention, customer value, loyalty and value classes,
 * churn propensity, and how customers moved since the previous snapshot with their actions. Charts are inline SVG; a
 * section whose stage has not run for the snapshot says so instead.
 */
public final class ReportJob {
  /** The page written and the charts on it. */
  public record Result(String uri, long charts) implements StageResult {
    @Override
    public long rows() {
      return charts;
    }

    @Override
    public String unit() {
      return "charts";
    }

    @Override
    public List<Table.Written> tables() {
      return List.of();
    }
  }

  /** What the sections count of customer_features. */
  private static final Tallies.Spec FEATURES = RfmSection.FEATURES.and(HeadlineSection.FEATURES).and(ValueSection.FEATURES);

  /** What the sections count of customer_scores. */
  private static final Tallies.Spec SCORES =
      HeadlineSection.SCORES.and(ValueSection.SCORES).and(LoyaltySection.SCORES).and(MovementSection.SCORES);

  /** Sections drawn at once: enough to keep a few cores busy with small queries. */
  private static final int DRAWING_THREADS = 4;

  private ReportJob() {}

  /**
   * The report of the snapshot ({@code thisRun} is what the run recorded so far), drawn {@value
   * #DRAWING_THREADS} sections at a time, each on a part of its own, appended in the sections'
   * order. Each section's queries are small: while Spark plans and compiles one, another's tasks
   * run, which a section after another leaves idle. The sections that read only tables written
   * before segment ends are started at once; those that read the tables of propensity and score
   * (propensity_models, customer_scores, loyalty_weights, value_class_agreement) once {@code
   * scoresWritten} returns, and the one that reads migration's (migration_matrix,
   * customer_migration) once {@code migrated} does, so that within {@code run} the others are
   * drawn beside those stages. The page is written once {@code scored} returns too: within {@code
   * run}, once score has ranked win_back, so that a run whose score fails leaves no page. The
   * threads are started here, so their jobs are in the stage's job group. The first section (in
   * order) that fails fails the report. What the sections count of customer_features and of
   * customer_scores is counted once per table, by whichever asks first ({@link Tallies}).
   */
  public static Result run(
      StageContext context,
      LocalDate snapshot,
      Manifest thisRun,
      Runnable scoresWritten,
      Runnable migrated,
      Runnable scored) {
    Warehouse warehouse = context.warehouse();
    RunHistory history = RunHistory.of(warehouse, snapshot, thisRun);
    Optional<Tallies> features =
        CustomerFeaturesTable.SPEC.readIfPresent(warehouse, snapshot).map(rows -> Tallies.of(rows, FEATURES));
    Optional<ClvModelsTable.Model> purchase = ClvModelsTable.purchaseModel(warehouse, snapshot);
    Optional<ClvModelsTable.Model> spend =
        purchase.flatMap(p -> Optional.ofNullable(ClvModelsTable.read(warehouse, snapshot).get(ClvModelsTable.GAMMA_GAMMA)));
    Optional<String> purchaseModel = purchase.map(ClvModelsTable.Model::model);
    Optional<Dataset<Row>> validation = ClvValidationTable.SPEC.readIfPresent(warehouse, snapshot);
    ReportPage page =
        new ReportPage(
            "Customer lifecycle report, snapshot " + snapshot,
            "Run " + context.runId() + " of " + context.command() + ", warehouse " + Redaction.text(warehouse.uri()));
    ExecutorService pool = Futures.daemons("report", DRAWING_THREADS);
    try {
      CompletableFuture<Optional<Tallies>> scores = new CompletableFuture<>();
      CompletableFuture<Optional<Tallies>> scoresAndMigrations = new CompletableFuture<>();
      List<Future<ReportPage>> parts = new ArrayList<>();
      parts.add(
          drawn(
              scores,
              s -> new HeadlineSection(features, s, purchase, spend, validation, context.config().value().currentDays()), pool));
      parts.add(drawn(() -> new DataQualitySection(history.ingest()), pool));
      parts.add(drawn(() -> new RfmSection(features), pool));
      parts.add(
          drawn(
              () ->
                  new SegmentsSection(
                      SegmentProfilesTable.SPEC.readIfPresent(warehouse, snapshot).map(SegmentProfilesTable::profiles),
                      history.segment()),
              pool));
      tuningRuns(warehouse, snapshot).ifPresent(runs -> parts.add(drawn(() -> new TuningSection(runs), pool)));
      parts.add(
          drawn(
              () ->
                  new SomSection(
                      SomCodebookTable.SPEC.readIfPresent(warehouse, snapshot).map(SomCodebookTable::nodes),
                      context.config().segment()),
              pool));
      parts.add(drawn(() -> new CohortsSection(CohortActivityTable.SPEC.readIfPresent(warehouse, snapshot)), pool));
      parts.add(
          drawn(
              () ->
                  new RetentionSection(
                      RetentionCurvesTable.SPEC.readIfPresent(warehouse, snapshot),
                      RetentionModelsTable.SPEC.has(warehouse, snapshot)),
              pool));
      parts.add(drawn(() -> new ForecastSection(validation), pool));
      parts.add(drawn(scores, s -> new ValueSection(s, features, purchaseModel), pool));
      parts.add(
          drawn(
              scores,
              s ->
                  new LoyaltySection(
                      LoyaltyWeightsTable.SPEC.readIfPresent(warehouse, snapshot).map(Dataset::collectAsList), s,
                      ValueClassAgreementTable.SPEC.readIfPresent(warehouse, snapshot).map(Dataset::collectAsList)),
              pool));
      parts.add(
          drawn(
              scores,
              any ->
                  new PropensitySection(
                      PropensityModelsTable.SPEC.readIfPresent(warehouse, snapshot).map(Dataset::collectAsList)),
              pool));
      parts.add(
          drawn(
              scoresAndMigrations,
              s ->
                  new MovementSection(
                      MigrationMatrixTable.SPEC.readIfPresent(warehouse, snapshot).map(Dataset::collectAsList),
                      migrations(warehouse, snapshot), s),
              pool));
      try {
        scoresWritten.run();
        Optional<Tallies> read =
            CustomerScoresTable.SPEC.readIfPresent(warehouse, snapshot).map(rows -> Tallies.of(rows, SCORES));
        scores.complete(read);
        migrated.run();
        scoresAndMigrations.complete(read);
      } catch (Throwable e) {
        scores.completeExceptionally(e);
        scoresAndMigrations.completeExceptionally(e);
        throw e;
      }
      for (Future<ReportPage> part : parts) {
        page.append(Futures.join(part, "drawing the report"));
      }
      scored.run();
    } finally {
      pool.shutdownNow();
    }
    return new Result(warehouse.writeText("reports/" + snapshot + "/" + context.runId() + ".html", page.html()), page.charts());
  }

  /** The section {@code section} makes, drawn on a part of its own, on {@code pool}. */
  private static Future<ReportPage> drawn(Supplier<ReportSection> section, ExecutorService pool) {
    return pool.submit(() -> drawn(section.get()));
  }

  /**
   * The section {@code section} makes of the snapshot's scores, drawn once they are read: after
   * the stages whose tables it reads have written them.
   */
  private static Future<ReportPage> drawn(
      CompletableFuture<Optional<Tallies>> scores,
      Function<Optional<Tallies>, ReportSection> section,
      ExecutorService pool) {
    return scores.thenApplyAsync(s -> drawn(section.apply(s)), pool);
  }

  private static ReportPage drawn(ReportSection section) {
    ReportPage part = new ReportPage();
    section.draw(part);
    return part;
  }

  /**
   * The comparison page of the snapshot's tuning sweep, {@code reports/<snapshot>/tuning-<run_id>
   * .html}: its runs (tuning_runs) side by side.
   */
  public static Result tuningPage(StageContext context, LocalDate snapshot) {
    Warehouse warehouse = context.warehouse();
    ReportPage page =
        new ReportPage("Tuning runs, snapshot " + snapshot, "Run " + context.runId() + " of tune, warehouse " + warehouse.uri());
    new TuningSection(tuningRuns(warehouse, snapshot).orElse(List.of())).draw(page);
    return new Result(
        warehouse.writeText("reports/" + snapshot + "/tuning-" + context.runId() + ".html", page.html()), page.charts());
  }

  /**
   * customer_migration at the snapshot and the stored snapshots before it, at most {@value
   * MovementSection#TREND_SNAPSHOTS}, with their snapshot_date; empty when it has none.
   */
  private static Optional<Dataset<Row>> migrations(Warehouse warehouse, LocalDate snapshot) {
    List<LocalDate> stored =
        CustomerMigrationTable.SPEC.snapshots(warehouse).stream().filter(day -> !day.isAfter(snapshot)).toList();
    Dataset<Row> union = null;
    for (LocalDate day : stored.subList(Math.max(0, stored.size() - MovementSection.TREND_SNAPSHOTS), stored.size())) {
      Dataset<Row> rows =
          CustomerMigrationTable.SPEC.read(warehouse, day).withColumn(Columns.SNAPSHOT_DATE, lit(Date.valueOf(day)));
      union = union == null ? rows : union.unionByName(rows);
    }
    return Optional.ofNullable(union);
  }

  private static Optional<List<Row>> tuningRuns(Warehouse warehouse, LocalDate snapshot) {
    return TuningRunsTable.SPEC.readIfPresent(warehouse, snapshot).map(runs -> RowOrder.sorted(runs, "run"));
  }
}
