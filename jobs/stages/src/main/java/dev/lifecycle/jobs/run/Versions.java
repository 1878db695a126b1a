package dev.lifecycle.jobs.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The versions a run records: the product's own (from the build), Spark's, Scala's, Java's. */
public final class Versions {
  private Versions() {}

  public static String product() {
    Properties properties = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("/lifecycle-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }

  public static Map<String, String> all() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("lifecycle", product());
    versions.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    versions.put("scala", scala.util.Properties.versionNumberString());
    versions.put("java", System.getProperty("java.version"));
    return versions;
  }
}
