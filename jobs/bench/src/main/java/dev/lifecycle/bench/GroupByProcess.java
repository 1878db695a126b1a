package dev.lifecycle.bench;

import dev.lifecycle.jobs.cli.SparkProvider;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The cold baseline of {@code scripts/bench-run}: one process that starts Spark as {@code lifecycle}
 * does (same local defaults), runs the bare group-by of {@link FeaturesBenchmark#bareGroupBy} once
 * and stops. Arguments: the input Parquet, the output folder.
 */
public final class GroupByProcess {
  private GroupByProcess() {}

  public static void main(String[] args) {
    SparkProvider provider = SparkProvider.standard();
    SparkSession spark = provider.open(null, Map.of(), "bench group-by");
    try {
      FeaturesBenchmark.bareGroupBy(spark, args[0], args[1]);
    } finally {
      provider.close(spark);
    }
  }
}
