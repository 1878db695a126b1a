package dev.lifecycle.jobs.features;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.spark.stage.CustomerFeatures;
import dev.lifecycle.spark.stage.IngestOutput;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.stage.StageResult;
import dev.lifecycle.spark.table.CustomerFeaturesTable;
import dev.lifecycle.spark.table.Table;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Writes {@code customer_features} for the snapshot from ingest's clean rows. */
public final class FeaturesJob {
  /** The customers with features, and the table written. */
  public record Result(long customers, Table.Written table) implements StageResult.OfCustomers {
    @Override
    public List<Table.Written> tables() {
      return List.of(table);
    }
  }

  private FeaturesJob() {}

  public static Result run(StageContext context, IngestOutput ingest) {
    LifecycleConfig config = context.config();
    // Cheap to derive again from ingest's cached pass, so not cached itself.
    Dataset<Row> features =
        CustomerFeatures.derive(
            ingest.customerSummaries(), ingest.asOf(), config.timeUnit(), config.clv().autoSplit(ingest.asOf()));
    RfmScoring.Scored scored = RfmScoring.score(features, config.rfmSegments());
    Table.Written written =
        CustomerFeaturesTable.SPEC.replace(context.warehouse(), scored.rows(), ingest.asOf(), scored::customers);
    return new Result(written.rows(), written);
  }
}
