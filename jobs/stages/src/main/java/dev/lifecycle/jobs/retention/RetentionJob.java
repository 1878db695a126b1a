package dev.lifecycle.jobs.retention;

import dev.lifecycle.spark.table.Tables;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.core.retention.Cohort;
import dev.lifecycle.core.retention.CohortFits;
import dev.lifecycle.core.retention.Lifetimes;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.run.RunContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Writes {@code cohort_activity}, {@code retention_curves} and {@code retention_models} for the
 * snapshot. Spark only adds up ingest's cohort tallies; the fits run on the driver on those counts.
 */
public final class RetentionJob {
  public static final String STAGE = "retention";

  private RetentionJob() {}

  /** The fits, one per group of cohorts, in segment and period order. */
  public static List<CohortFits.GroupFit> run(RunContext context, IngestResult ingest) {
    return context.stage(STAGE, "cohort fits", () -> retention(context, ingest), List::size);
  }

  private static List<CohortFits.GroupFit> retention(RunContext context, IngestResult ingest) {
    LifecycleConfig.Retention config = context.config().retention();
    LocalDate asOf = ingest.asOf();
    int current = config.period().index(asOf);
    List<Cohort> cohorts = cohorts(ingest.cohortLifetimes().collectAsList(), current);
    List<CohortFits.GroupFit> fits =
        CohortFits.fitAll(CohortFits.groups(cohorts, config.minCohortSize()), config.holdout());

    RetentionTables tables = new RetentionTables(config.period(), config.horizon());
    context.writeTable(Tables.COHORT_ACTIVITY, RetentionTables.ACTIVITY,
        tables.activity(ingest.cohortActivity().collectAsList(), cohorts), asOf);
    context.writeTable(Tables.RETENTION_MODELS, RetentionTables.MODELS, tables.models(fits), asOf);
    context.writeTable(Tables.RETENTION_CURVES, RetentionTables.CURVES, tables.curves(fits), asOf);
    context.count("cohorts", cohorts.size());
    context.count("cohort_groups_pooled", fits.stream().filter(f -> f.group().pooled()).count());
    return fits;
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
