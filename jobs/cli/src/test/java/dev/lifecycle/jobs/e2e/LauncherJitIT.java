package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lifecycle} sizes the JIT to the data: the quick compiler alone below 64 MiB of
 * local input, found through {@code --input}, {@code --set input.path=} or the config file, or for
 * a command without input below 16 MiB of the customer_features snapshot it reads; both compilers
 * above, or when there is nothing local to measure, and then also compiling the huge methods
 * Spark generates, with the throughput collector and the optimising compiler's thresholds ten
 * times Java's; LIFECYCLE_JAVA_OPTIONS wins. Each case asks
 * the JVM the launcher starts for its flags ({@code -XX:+PrintFlagsFinal -version}), so no Spark
 * starts.
 */
class LauncherJitIT {
  private static final Pattern LEVEL = Pattern.compile("TieredStopAtLevel\\s*=\\s*(\\d)");
  private static final Pattern HUGE = Pattern.compile("DontCompileHugeMethods\\s*=\\s*(true|false)");
  private static final Pattern PARALLEL_GC = Pattern.compile("\\bUseParallelGC\\s*=\\s*(true|false)");
  private static final Pattern TIER4_INVOCATIONS = Pattern.compile("\\bTier4InvocationThreshold\\s*=\\s*(\\d+)");
  private static final Pattern CODE_CACHE = Pattern.compile("\\bReservedCodeCacheSize\\s*=\\s*(\\d+)");
  /** The node cap of the fits' optimiser in the optimising compiler (a compile command). */
  private static final Pattern OPTIMISER_NODES =
      Pattern.compile("\\bCompileCommand\\s*\\+=\\s*MaxNodeLimit,[\\w.]+\\.BOBYQAOptimizer::\\*,(\\d+)");

  @TempDir Path dir;

  @Test
  void theQuickCompilerAloneBelow64MiBOfLocalInputBothAbove() throws Exception {
    Path small = Files.createDirectories(dir.resolve("small"));
    Files.writeString(small.resolve("part-0.parquet"), "x".repeat(1000));
    Path large = Files.createDirectories(dir.resolve("large"));
    try (RandomAccessFile file = new RandomAccessFile(large.resolve("part-0.parquet").toFile(), "rw")) {
      file.setLength((64L << 20) + 1); // sparse: its size without the disk
    }
    Path config = dir.resolve("small.properties");
    Files.writeString(config, "warehouse = w\ninput.path = " + small + "  \n");

    assertThat(level("", "run", "--input", small.toString())).isEqualTo(1);
    assertThat(level("", "features", "--input=" + small)).isEqualTo(1);
    assertThat(level("", "run", "--set", "input.path=file:" + small)).isEqualTo(1);
    assertThat(level("", "run", "--config", config.toString())).as("input.path of the config file").isEqualTo(1);
    assertThat(level("", "run", "--input", large.toString())).isEqualTo(4);
    assertThat(level("", "run", "--config", config.toString(), "--input", large.toString()))
        .as("--input over the config's").isEqualTo(4);
    assertThat(level("", "run", "--input", "hdfs://namenode/transactions")).as("no local input").isEqualTo(4);
    assertThat(level("", "run", "--input", dir.resolve("missing").toString())).isEqualTo(4);
    assertThat(level("", "score", "--warehouse", "w")).as("no input, no warehouse to measure").isEqualTo(4);
    assertThat(level("-XX:TieredStopAtLevel=4", "run", "--input", small.toString()))
        .as("LIFECYCLE_JAVA_OPTIONS wins").isEqualTo(4);
    assertThat(compilesHugeMethods("", "run", "--input", small.toString())).isFalse();
    assertThat(compilesHugeMethods("", "run", "--input", large.toString())).isTrue();
    assertThat(compilesHugeMethods("-XX:+DontCompileHugeMethods", "run", "--input", large.toString()))
        .as("LIFECYCLE_JAVA_OPTIONS wins").isFalse();
    assertThat(flag(PARALLEL_GC, "", "run", "--input", small.toString())).isEqualTo("false");
    assertThat(flag(PARALLEL_GC, "", "run", "--input", large.toString())).isEqualTo("true");
    assertThat(flag(PARALLEL_GC, "-XX:-UseParallelGC", "run", "--input", large.toString()))
        .as("LIFECYCLE_JAVA_OPTIONS wins").isEqualTo("false");
    assertThat(flag(CODE_CACHE, "", "run", "--input", small.toString()))
        .as("both compilers' code cache")
        .isEqualTo("251658240");
    assertThat(flag(CODE_CACHE, "", "run", "--input", large.toString())).isEqualTo("251658240");
    assertThat(flag(TIER4_INVOCATIONS, "", "run", "--input", small.toString())).isEqualTo("5000");
    assertThat(flag(TIER4_INVOCATIONS, "", "run", "--input", large.toString()))
        .as("ten times Java's").isEqualTo("50000");
    assertThat(flag(OPTIMISER_NODES, "", "run", "--input", large.toString()))
        .as("the fits' optimiser left to the quick compiler").isEqualTo("2000");
    assertThat(flagOrNone(OPTIMISER_NODES, "", "run", "--input", small.toString())).isNull();
  }

  /**
   * A command without input is sized by its snapshot of customer_features (--as-of's, else the
   * newest), in the warehouse named by the flag, --set or the config file.
   */
  @Test
  void withoutInputTheQuickCompilerAloneBelow16MiBOfTheSnapshotsFeatures() throws Exception {
    Path warehouse = dir.resolve("warehouse");
    Path features = warehouse.resolve("customer_features");
    Path november = Files.createDirectories(features.resolve("snapshot_date=2025-11-30"));
    try (RandomAccessFile file = new RandomAccessFile(november.resolve("part-0.parquet").toFile(), "rw")) {
      file.setLength((16L << 20) + 1);
    }
    Path december = Files.createDirectories(features.resolve("snapshot_date=2025-12-31"));
    Files.writeString(december.resolve("part-0.parquet"), "x".repeat(1000));
    Path config = dir.resolve("warehouse.properties");
    Files.writeString(config, "output.format = parquet\n# warehouse = /elsewhere\nwarehouse = " + warehouse + "\n");

    assertThat(level("", "clv", "--warehouse", warehouse.toString())).as("the newest snapshot").isEqualTo(1);
    assertThat(level("", "score", "--warehouse=" + warehouse, "--as-of", "2025-12-31")).isEqualTo(1);
    assertThat(level("", "score", "--warehouse", warehouse.toString(), "--as-of", "2025-11-30")).isEqualTo(4);
    assertThat(level("", "segment", "--set", "warehouse=file:" + warehouse)).isEqualTo(1);
    assertThat(level("", "report", "--config", config.toString())).as("warehouse of the config file").isEqualTo(1);
    assertThat(level("", "score", "--warehouse", warehouse.toString(), "--as-of", "2025-10-31"))
        .as("a snapshot the table does not hold").isEqualTo(4);
    assertThat(level("", "run", "--warehouse", warehouse.toString(), "--input", dir.resolve("missing").toString()))
        .as("a named input decides, even one that is missing").isEqualTo(4);
    assertThat(level("-XX:TieredStopAtLevel=4", "clv", "--warehouse", warehouse.toString()))
        .as("LIFECYCLE_JAVA_OPTIONS wins").isEqualTo(4);
  }

  /** The TieredStopAtLevel of the JVM {@code scripts/lifecycle args} starts. */
  private int level(String javaOptions, String... args) throws IOException, InterruptedException {
    return Integer.parseInt(flag(LEVEL, javaOptions, args));
  }

  /** Whether the JVM {@code scripts/lifecycle args} starts compiles methods of over 8,000 bytes of bytecode. */
  private boolean compilesHugeMethods(String javaOptions, String... args) throws IOException, InterruptedException {
    return !Boolean.parseBoolean(flag(HUGE, javaOptions, args));
  }

  /** The value of one JVM flag, as {@code -XX:+PrintFlagsFinal} prints it, in the JVM {@code scripts/lifecycle args} starts. */
  private String flag(Pattern flag, String javaOptions, String... args) throws IOException, InterruptedException {
    String value = flagOrNone(flag, javaOptions, args);
    assertThat(value).as("%s in the flags of %s", flag, List.of(args)).isNotNull();
    return value;
  }

  /** The same, or null if the JVM does not print the flag. */
  private String flagOrNone(Pattern flag, String javaOptions, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SharedData.project("scripts/lifecycle").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.put("LIFECYCLE_NO_BUILD", "1");
    environment.put("LIFECYCLE_JAVA_OPTIONS", (javaOptions + " -XX:+PrintFlagsFinal -version").trim());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).as("compile commands said quietly").doesNotContain("CompileCommand: ");
    Matcher value = flag.matcher(out);
    return value.find() ? value.group(1) : null;
  }
}
