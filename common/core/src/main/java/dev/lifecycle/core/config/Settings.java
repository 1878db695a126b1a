package dev.lifecycle.core.config;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.Redaction;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Configuration values in layers: built-in default, then the config file, then {@code --set}, then
 * flags. Each value remembers where it came from so that an error can say where to fix it.
 */
public final class Settings {
  private final Map<String, Value> values = new LinkedHashMap<>();

  private record Value(String value, String source) {}

  private Settings() {}

  /** Settings holding only the built-in defaults. */
  public static Settings defaults() {
    Settings settings = new Settings();
    for (ConfigKey key : ConfigKey.values()) {
      key.defaultValue().ifPresent(v -> settings.values.put(key.key(), new Value(v, "default")));
    }
    return settings;
  }

  /**
   * Reads a config file of {@code key = value} lines ({@code #} starts a comment): UTF-8, a byte
   * order mark skipped, an invalid byte named by line and column, a key given twice an error
   * naming both lines.
   */
  public Settings withFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw LifecycleException.config(
          "Cannot read config file " + file + ": " + (Files.isDirectory(file) ? "it is a folder" : "no such file"));
    }
    Properties properties = new Properties();
    Map<String, Integer> lines;
    try {
      String text = ConfigFileText.read(file);
      lines = ConfigFileText.keyLines(text, file);
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw LifecycleException.config("Cannot read config file " + file + ": " + e.getMessage());
    }
    // Each value remembers its line, so that an unknown key or a bad value names where to fix it
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      Integer line = lines.get(key);
      with(Map.of(key, properties.getProperty(key)), "config file " + file + (line == null ? "" : ", line " + line));
    }
    return this;
  }

  /**
   * Overlays values from one source; an unknown key fails, naming the key and the source. An empty
   * value unsets the key: it is back to its built-in default, or to none if it has no default.
   */
  public Settings with(Map<String, String> overrides, String source) {
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      String key = entry.getKey().trim();
      if (!ConfigKey.isKnown(key)) {
        throw LifecycleException.config("Unknown config key '" + key + "' in " + source);
      }
      String value = entry.getValue() == null ? "" : entry.getValue().trim();
      if (value.isEmpty()) {
        Optional<String> builtIn = ConfigKey.of(key).flatMap(ConfigKey::defaultValue);
        builtIn.ifPresentOrElse(v -> values.put(key, new Value(v, "default")), () -> values.remove(key));
      } else {
        values.put(key, new Value(value, source));
      }
    }
    return this;
  }

  /** Overlays one flag's value, if given. */
  public Settings withFlag(ConfigKey key, String value, String flag) {
    if (value != null) {
      values.put(key.key(), new Value(value.trim(), flag));
    }
    return this;
  }

  public Optional<String> optional(ConfigKey key) {
    Value value = values.get(key.key());
    return value == null || value.value().isEmpty() ? Optional.empty() : Optional.of(value.value());
  }

  public String required(ConfigKey key) {
    return optional(key).orElseThrow(() -> missing(key));
  }

  /** A required key that has no value, with how to give it one. */
  public static LifecycleException missing(ConfigKey key) {
    return LifecycleException.config(
        "Missing config key '" + key.key() + "': set it in the config file, with --set "
            + key.key() + "=... or with its flag");
  }

  public <E extends Enum<E>> E choice(ConfigKey key, Class<E> type) {
    String value = required(key);
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : " | ");
        allowed.append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      throw invalid(key, "expected " + allowed);
    }
  }

  /** {@code true} or {@code false}, in any case as every choice is. */
  public boolean bool(ConfigKey key) {
    String value = required(key);
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw invalid(key, "expected true | false");
  }

  public Optional<LocalDate> date(ConfigKey key) {
    return optional(key)
        .map(
            value -> {
              try {
                return LocalDate.parse(value);
              } catch (DateTimeParseException e) {
                throw invalid(key, "expected a date as YYYY-MM-DD");
              }
            });
  }

  public double fraction(ConfigKey key) {
    String value = required(key);
    try {
      double parsed = Double.parseDouble(value);
      if (parsed >= 0 && parsed <= 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the key and its source
    }
    throw invalid(key, "expected a number from 0 to 1");
  }

  /** A finite number of at least zero. */
  public double nonNegative(ConfigKey key) {
    String value = required(key);
    try {
      double parsed = Double.parseDouble(value.trim());
      if (parsed >= 0 && Double.isFinite(parsed)) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the key and its source
    }
    throw invalid(key, "expected a number of at least 0");
  }

  /** A whole number of at least {@code min}. */
  public int integer(ConfigKey key, int min) {
    return integer(key, min, Integer.MAX_VALUE);
  }

  /** A whole number in [min, max]. */
  public int integer(ConfigKey key, int min, int max) {
    String value = required(key);
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the key and its source
    }
    throw invalid(
        key,
        max == Integer.MAX_VALUE
            ? "expected a whole number of at least " + min
            : "expected a whole number from " + min + " to " + max);
  }

  /** A whole number (64 bits) of at least min. */
  public long whole(ConfigKey key, long min) {
    String value = required(key);
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= min) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the key and its source
    }
    throw invalid(key, min == Long.MIN_VALUE ? "expected a whole number" : "expected a whole number of at least " + min);
  }

  /** A bad value for a key, naming the key, the value and where it came from. */
  public LifecycleException invalid(ConfigKey key, String reason) {
    Value value = values.get(key.key());
    String where = value == null ? "" : " (from " + value.source() + ")";
    String shown = value == null ? "" : " '" + value.value() + "'";
    return LifecycleException.config(
        "Invalid value" + shown + " for config key '" + key.key() + "'" + where + ": " + reason);
  }

  /** Where a key's effective value came from ("default", "--set", a config file and its line, a flag). */
  public String sourceOf(String key) {
    Value value = values.get(key);
    return value == null ? "default" : value.source();
  }

  /** The {@code spark.*} keys, to pass to the Spark session. */
  public Map<String, String> sparkConf() {
    Map<String, String> spark = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(ConfigKey.SPARK_PREFIX)) {
            spark.put(k, v.value());
          }
        });
    return spark;
  }

  /** Every effective value, secrets redacted ({@link Redaction}): what the run manifest records. */
  public Map<String, String> redacted() {
    Map<String, String> shown = new TreeMap<>();
    values.forEach((k, v) -> shown.put(k, Redaction.value(k, v.value())));
    return Collections.unmodifiableMap(shown);
  }
}
