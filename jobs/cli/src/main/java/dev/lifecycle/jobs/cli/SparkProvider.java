package dev.lifecycle.jobs.cli;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.Settings;
import dev.lifecycle.spark.io.FileSystemProblems;
import dev.lifecycle.spark.io.JavaLocalFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;

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
        // A run of several snapshots plans the same queries for each, and Spark keeps only 100
        // compiled query classes by default: a run of 1,500 customers compiles about 275, so
        // every later snapshot compiled them all again (twelve snapshots: 1,900 compiles, 23 s of
        // Janino, against 488 and 10.9 s with room for them all).
        defaults.put("spark.sql.codegen.cache.maxEntries", "1000");
        if (chosen != null && chosen.startsWith("local")) {
          defaults.put("spark.driver.host", "127.0.0.1");
          defaults.put("spark.driver.bindAddress", "127.0.0.1");
          defaults.put("spark.sql.shuffle.partitions", "16");
          // Smaller splits than the 128 MB default keep every local core busy on a scan.
          defaults.put("spark.sql.files.maxPartitionBytes", String.valueOf(32 << 20));
          // Delta rebuilds a table's state from its log in 50 partitions by default: on one machine,
          // for the few files a table here has, that is most of a read's time (a demo run on Delta
          // tables: 71.6 s with 50, 55.0 s with 2).
          defaults.put("spark.databricks.delta.snapshotPartitions", "2");
          if (!chosen.startsWith("local-cluster")) {
            // Permissions set through Java, not a chmod process per folder and file written (308 in
            // a 1M-customer run); local-cluster's executors start from Spark's jars, without it.
            defaults.put(JavaLocalFileSystem.SETTING, JavaLocalFileSystem.class.getName());
          }
        }
        if (chosen != null && chosen.startsWith("local-cluster")) {
          requireLocalClusterEnvironment(chosen, System::getenv);
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
        try {
          return builder.getOrCreate();
        } catch (Exception e) { // SparkException is checked, thrown unchecked through Scala
          if (chosen != null && String.valueOf(e.getMessage()).startsWith("Could not parse Master URL")) {
            if (chosen.equals("yarn") || chosen.startsWith("k8s://")) {
              throw LifecycleException.config(
                  "Cannot use Spark master '" + chosen + "' (--master or spark.master): its cluster manager is not"
                      + " on this classpath; submit with scripts/submit (docs/operations.md)", e);
            }
            throw LifecycleException.config(
                "Invalid Spark master '" + chosen + "' (--master or spark.master): expected local[N], local-cluster[N,C,M],"
                    + " spark://HOST:PORT, yarn or k8s://URL", e);
          }
          Throwable cause = FileSystemProblems.rootCause(e);
          List<String> set = conf.keySet().stream().filter(key -> key.startsWith("spark.")).sorted().toList();
          if (!set.isEmpty()
              && (cause instanceof IllegalArgumentException || cause instanceof ClassNotFoundException)) {
            // A value Spark refuses as it starts (a size, a class): the config's, not the run's fault.
            throw LifecycleException.config(
                "Cannot start Spark with the config's " + String.join(", ", set) + ": "
                    + (cause instanceof ClassNotFoundException ? "no class " : "") + FileSystemProblems.firstLine(cause),
                e);
          }
          throw e;
        }
      }

      @Override
      public void close(SparkSession spark) {
        spark.stop();
      }
    };
  }

  /**
   * Checks the config's {@code spark.sql.*} values as Spark itself would when one is first used
   * (a time zone that exists, a positive partition count, ...), so a bad one is exit 2 naming its
   * key before the session starts, not a failure later that blames the input.
   */
  static void checkSqlSettings(Settings settings) {
    SQLConf check = new SQLConf();
    settings.sparkConf().forEach(
        (key, value) -> {
          if (key.startsWith("spark.sql.")) {
            try {
              check.setConfString(key, value);
            } catch (RuntimeException e) {
              String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
              throw LifecycleException.config(
                  "Invalid value '" + value + "' for config key '" + key + "' (from " + settings.sourceOf(key) + "): "
                      + reason,
                  e);
            }
          }
        });
  }

  /**
   * A local-cluster master starts executor JVMs from the Maven jars alone, which needs three
   * variables in the environment (BUILD_NOTES, docs/cluster.md): without them no executor starts
   * and Spark stops the application, so a missing one is named before the session starts.
   */
  static void requireLocalClusterEnvironment(String master, Function<String, String> environment) {
    List<String> missing = new ArrayList<>();
    String home = environment.apply("SPARK_HOME");
    if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
      missing.add("SPARK_HOME (a folder with a jars folder)");
    }
    for (String variable : List.of("SPARK_SCALA_VERSION", "SPARK_DIST_CLASSPATH")) {
      if (environment.apply(variable) == null) {
        missing.add(variable);
      }
    }
    if (!missing.isEmpty()) {
      throw LifecycleException.config(
          "Cannot start " + master + ": its executors need " + String.join(", ", missing)
              + " in the environment; scripts/lifecycle sets them (see docs/cluster.md)");
    }
  }
}
