package dev.lifecycle.spark.test;

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
              .getOrCreate();
    }
    return session;
  }
}
