package dev.lifecycle.jobs.features;

import dev.lifecycle.spark.table.Tables;
import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.jobs.run.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Writes {@code customer_features} for the snapshot from ingest's clean rows. */
public final class FeaturesJob {
  public static final String STAGE = "features";

  private FeaturesJob() {}

  public static long run(RunContext context, IngestResult ingest) {
    return context.stage(STAGE, "customers", () -> features(context, ingest));
  }

  private static long features(RunContext context, IngestResult ingest) {
    LifecycleConfig config = context.config();
    // Cheap to derive again from ingest's cached pass, so not cached itself.
    Dataset<Row> features =
        CustomerFeatures.derive(ingest.customerSummaries(), ingest.asOf(), config.timeUnit());
    Dataset<Row> scored = RfmScoring.score(features, config.rfmSegments());
    context.warehouse().replacePartition(Tables.CUSTOMER_FEATURES, scored, ingest.asOf());
    long customers = features.count();
    context.table(
        Tables.CUSTOMER_FEATURES, context.warehouse().tablePath(Tables.CUSTOMER_FEATURES), customers);
    context.count("customers", customers);
    return customers;
  }
}
