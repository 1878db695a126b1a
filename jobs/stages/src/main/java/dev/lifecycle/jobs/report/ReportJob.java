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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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

  /** Sections drawn at once: enough to keep a few cores busy with small queries. */
  private static final int DRAWING_THREADS = 4;

  private ReportJob() {}

  /** The report of the snapshot; {@code thisRun} is what the run recorded so far. */
  public static Result run(StageContext context, LocalDate snapshot, Manifest thisRun) {
    Warehouse warehouse = context.warehouse();
    RunHistory history = RunHistory.of(warehouse, snapshot, thisRun);
    Optional<Dataset<Row>> features = CustomerFeaturesTable.SPEC.readIfPresent(warehouse, snapshot);
    Optional<Dataset<Row>> scores = CustomerScoresTable.SPEC.readIfPresent(warehouse, snapshot);
    Optional<ClvModelsTable.Model> purchase = ClvModelsTable.purchaseModel(warehouse, snapshot);
    Optional<String> purchaseModel = purchase.map(ClvModelsTable.Model::model);
    Optional<Dataset<Row>> validation = ClvValidationTable.SPEC.readIfPresent(warehouse, snapshot);
    List<ReportSection> sections = new ArrayList<>();
    sections.add(
        new HeadlineSection(features, scores, purchase, validation, context.config().value().currentDays()));
    sections.add(new DataQualitySection(history.ingest()));
    sections.add(new RfmSection(features));
    sections.add(
        new SegmentsSection(
            SegmentProfilesTable.SPEC.readIfPresent(warehouse, snapshot).map(SegmentProfilesTable::profiles),
            history.segment()));
    tuningRuns(warehouse, snapshot).ifPresent(runs -> sections.add(new TuningSection(runs)));
    sections.add(
        new SomSection(
            SomCodebookTable.SPEC.readIfPresent(warehouse, snapshot).map(SomCodebookTable::nodes),
            context.config().segment()));
    sections.add(new CohortsSection(CohortActivityTable.SPEC.readIfPresent(warehouse, snapshot)));
    sections.add(
        new RetentionSection(
            RetentionCurvesTable.SPEC.readIfPresent(warehouse, snapshot), RetentionModelsTable.SPEC.has(warehouse, snapshot)));
    sections.add(new ForecastSection(validation));
    sections.add(new ValueSection(scores, features, purchaseModel));
    sections.add(
        new LoyaltySection(
            LoyaltyWeightsTable.SPEC.readIfPresent(warehouse, snapshot).map(Dataset::collectAsList), scores,
            ValueClassAgreementTable.SPEC.readIfPresent(warehouse, snapshot).map(Dataset::collectAsList)));
    sections.add(
        new PropensitySection(PropensityModelsTable.SPEC.readIfPresent(warehouse, snapshot).map(Dataset::collectAsList)));
    sections.add(
        new MovementSection(
            MigrationMatrixTable.SPEC.readIfPresent(warehouse, snapshot).map(Dataset::collectAsList),
            migrations(warehouse, snapshot), scores));
    ReportPage page =
        new ReportPage(
            "Customer lifecycle report, snapshot " + snapshot,
            "Run " + context.runId() + " of " + context.command() + ", warehouse " + Redaction.text(warehouse.uri()));
    draw(sections, page);
    return new Result(warehouse.writeText("reports/" + snapshot + "/" + context.runId() + ".html", page.html()), page.charts());
  }

  /**
   * Draws the sections at once, {@value #DRAWING_THREADS} at a time, each on a part of its own,
   * and appends the parts in the sections' order. Each section's queries are small: while Spark
   * plans and compiles one, another's tasks run, which a section after another leaves idle. The
   * threads are started here, so their jobs are in the stage's job group. The first section (in
   * order) that fails fails the report.
   */
  private static void draw(List<ReportSection> sections, ReportPage page) {
    ExecutorService pool = Futures.daemons("report", DRAWING_THREADS);
    try {
      List<Future<ReportPage>> parts = new ArrayList<>();
      for (ReportSection section : sections) {
        parts.add(
            pool.submit(
                () -> {
                  ReportPage part = new ReportPage();
                  section.draw(part);
                  return part;
                }));
      }
      for (Future<ReportPage> part : parts) {
        page.append(Futures.join(part, "drawing the report"));
      }
    } finally {
      pool.shutdownNow();
    }
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
    return TuningRunsTable.SPEC.readIfPresent(warehouse, snapshot).map(runs -> runs.orderBy("run").collectAsList());
  }
}
