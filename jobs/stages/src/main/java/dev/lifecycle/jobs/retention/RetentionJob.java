package dev.lifecycle.jobs.retention;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.retention.Cohort;
import dev.lifecycle.core.retention.CohortFits;
import dev.lifecycle.core.retention.Lifetimes;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.CohortActivityTable;
import dev.lifecycle.spark.table.RetentionCurvesTable;
import dev.lifecycle.spark.table.RetentionModelsTable;
import dev.lifecycle.spark.table.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes {@code cohort_activity}, {@code retention_curves} and {@code retention_models} for the
 * snapshot. Spark only adds up ingest's cohort tallies; the fits run on the driver on those counts.
 */
public final class RetentionJob {
  /**
   * The cohorts, the fits (one per group of cohorts, in segment and period order, some groups
   * pooled) and the tables written.
   */
  public record Result(long cohorts, List<CohortFits.GroupFit> fits, List<Table.Written> tables)
      implements StageResult {
    public long pooledGroups() {
      return fits.stream().filter(f -> f.group().pooled()).count();
    }

    @Override
    public long rows() {
      return fits.size();
    }

    @Override
    public String unit() {
      return "cohort fits";
    }
  }

  private RetentionJob() {}

  public static Result run(StageContext context, IngestOutput ingest) {
    LifecycleConfig.Retention config = context.config().retention();
    LocalDate asOf = ingest.asOf();
    int current = config.period().index(asOf);
    List<Cohort> cohorts = cohorts(ingest.cohortLifetimes().collectAsList(), current);
    List<CohortFits.GroupFit> fits =
        CohortFits.fitAll(CohortFits.groups(cohorts, config.minCohortSize()), config.holdout());

    RetentionTables tables = new RetentionTables(config.period(), config.horizon());
    Warehouse warehouse = context.warehouse();
    List<Table.Written> written =
        List.of(
            CohortActivityTable.SPEC.replace(
                warehouse, tables.activity(ingest.cohortActivity().collectAsList(), cohorts), asOf),
            RetentionModelsTable.SPEC.replace(warehouse, tables.models(fits), asOf),
            RetentionCurvesTable.SPEC.replace(warehouse, tables.curves(fits), asOf));
    return new Result(cohorts.size(), fits, written);
  }

  /** The cohorts' lifetimes from the tally, each observed up to the snapshot's period. */
  static List<Cohort> cohorts(List<Row> tally, int currentPeriod) {
    Map<String, Map<Integer, Lifetimes>> bySegment = new TreeMap<>();
    for (Row row : tally) {
      int cohort = row.getInt(1);
      bySegment
          .computeIfAbsent(row.getString(0), s -> new TreeMap<>())
          .computeIfAbsent(cohort, c -> Lifetimes.observedThrough(currentPeriod - c))
          .add(row.getInt(2), row.getBoolean(3), row.getLong(4));
    }
    List<Cohort> cohorts = new ArrayList<>();
    bySegment.forEach(
        (segment, byPeriod) ->
            byPeriod.forEach((period, data) -> cohorts.add(new Cohort(segment, period, data))));
    return cohorts;
  }

}
