package dev.lifecycle.spark.test;

import dev.lifecycle.spark.io.JavaLocalFileSystem;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test JVM: started on first use, never stopped between test
 * classes (getOrCreate would ignore new settings anyway).
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .appName("lifecycle-tests")
              .master("local[2]")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.ui.enabled", "false")
              .config("spark.ui.showConsoleProgress", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
              // as the CLI's sessions have it (SparkProvider): a test JVM plans the same queries
              // run after run, and with Spark's 100 it compiled them again each time
              .config("spark.sql.codegen.cache.maxEntries", "1000")
              // as the CLI's local sessions have it (SparkProvider): no chmod process per file written
              .config(JavaLocalFileSystem.SETTING, JavaLocalFileSystem.class.getName())
              .config(delta())
              .getOrCreate();
    }
    return session;
  }

  /**
   * Delta's extension and session catalog, as a run that reads or writes Delta starts with
   * (DeltaWarehouse.sessionSettings), where Delta is on the test classpath.
   */
  private static Map<String, Object> delta() {
    try {
      Class.forName("io.delta.sql.DeltaSparkSessionExtension");
    } catch (ClassNotFoundException e) {
      return Map.of();
    }
    return Map.of(
        "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        // as the CLI's local sessions have it (SparkProvider): Delta's log state in 2 partitions, not 50
        "spark.databricks.delta.snapshotPartitions", "2");
  }
}
