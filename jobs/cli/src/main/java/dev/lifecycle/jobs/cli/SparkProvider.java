package dev.lifecycle.jobs.cli;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Opens and closes the Spark session of one command; tests supply their shared session. */
public interface SparkProvider {
  SparkSession open(String master, Map<String, String> conf, String appName);

  void close(SparkSession spark);

  /**
   * A new session. The master is the flag's, else the config's {@code spark.master}, else the one
   * spark-submit set, else {@code local[*]}. Local sessions bind to loopback and get local
   * defaults. Every default gives way to the same key set by spark-submit ({@code --conf}) or in
   * the config ({@code spark.*}), the config winning.
   */
  static SparkProvider standard() {
    return new SparkProvider() {
      @Override
      public SparkSession open(String master, Map<String, String> conf, String appName) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        String chosen =
            master != null
                ? master
                : conf.getOrDefault(
                    "spark.master", System.getProperty("spark.master") == null ? "local[*]" : null);
        Map<String, String> defaults = new java.util.LinkedHashMap<>();
        defaults.put("spark.sql.session.timeZone", "UTC");
        defaults.put("spark.ui.showConsoleProgress", "false");
        // The Parquet standard's timestamps, not the legacy INT96: faster, and every reader has them.
        defaults.put("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        if (chosen != null && chosen.startsWith("local")) {
          defaults.put("spark.driver.host", "127.0.0.1");
          defaults.put("spark.driver.bindAddress", "127.0.0.1");
          defaults.put("spark.sql.shuffle.partitions", "16");
          // Smaller splits than the 128 MB default keep every local core busy on a scan.
          defaults.put("spark.sql.files.maxPartitionBytes", String.valueOf(32 << 20));
        }
        // spark-submit hands its --conf settings over as system properties.
        defaults.forEach(
            (key, value) -> {
              if (System.getProperty(key) == null) {
                builder.config(key, value);
              }
            });
        conf.forEach(builder::config);
        if (chosen != null) {
          builder.master(chosen);
        }
        return builder.getOrCreate();
      }

      @Override
      public void close(SparkSession spark) {
        spark.stop();
      }
    };
  }
}
