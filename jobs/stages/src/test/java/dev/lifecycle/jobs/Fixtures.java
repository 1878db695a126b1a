package dev.lifecycle.jobs;

import dev.lifecycle.core.config.LifecycleConfig;
import dev.lifecycle.jobs.ingest.IngestJob;
import dev.lifecycle.jobs.ingest.IngestResult;
import dev.lifecycle.spark.io.Warehouse;
import dev.lifecycle.spark.stage.StageContext;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Tiny named Parquet fixtures written into a test's temp dir, and stages run on them. */
public final class Fixtures {
  private Fixtures() {}

  /** What a run gives a stage: the shared session, {@code config} and its warehouse. */
  public static StageContext context(LifecycleConfig config, String command) {
    SparkSession spark = TestSpark.session();
    return new StageContext(
        spark, config, Warehouse.of(spark, config.output(), config.requireWarehouse()), UUID.randomUUID().toString(), command);
  }

  /** Ingest as the run does it, the quality gate left out; the caller closes the result. */
  public static IngestResult ingest(StageContext context, boolean cohorts) {
    return IngestJob.run(context, IngestJob.open(context, cohorts), cohorts);
  }

  /** Writes rows as one Parquet file under dir/name and returns the folder's path. */
  public static String parquet(Path dir, String name, StructType schema, Object[]... rows) {
    List<Row> list = Arrays.stream(rows).map(RowFactory::create).toList();
    String path = dir.resolve(name).toString();
    TestSpark.session()
        .createDataFrame(list, schema)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(path);
    return path;
  }
}
