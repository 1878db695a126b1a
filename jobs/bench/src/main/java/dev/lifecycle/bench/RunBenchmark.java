package dev.lifecycle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a scheduler pays: one cold {@code lifecycle run} process, timed whole, alternating with a
 * cold Spark group-by process and DuckDB's group-by on the same Parquet ({@code scripts/bench-run}).
 * Each size gets its sample ({@code lifecycle sample --seed 1}) once; each round starts all three
 * processes anew, the run on an empty warehouse. Prints each round, then the medians, the ratios,
 * and the median share of the run's wall time that each part of its manifest's {@code timings_ms}
 * took. With {@code BENCH_RUN_VERSUS}, each round also times a second cold run with those
 * arguments instead (e.g. twelve snapshots against one), and prints its medians and its ratios to
 * the first: whole process and ingest. Arguments: the project root, the work folder, the rounds,
 * the customer counts.
 */
public final class RunBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The manifest's time that stages ran side by side, counted in each of them. */
  private static final String STAGES_OVERLAP = "stages_overlap";

  private final Path root;
  private final Path work;
  /** More arguments for each {@code run}, from {@code BENCH_RUN_ARGS} (split on spaces). */
  private final List<String> extraRunArgs;
  /** The arguments of the second run of each round, from {@code BENCH_RUN_VERSUS}; empty for none. */
  private final List<String> versusArgs;

  private RunBenchmark(Path root, Path work, List<String> extraRunArgs, List<String> versusArgs) {
    this.root = root;
    this.work = work;
    this.extraRunArgs = extraRunArgs;
    this.versusArgs = versusArgs;
  }

  private static List<String> words(String variable) {
    String value = System.getenv().getOrDefault(variable, "").trim();
    return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    RunBenchmark bench =
        new RunBenchmark(Path.of(args[0]), Path.of(args[1]), words("BENCH_RUN_ARGS"), words("BENCH_RUN_VERSUS"));
    int rounds = Integer.parseInt(args[2]);
    for (int i = 3; i < args.length; i++) {
      bench.size(Integer.parseInt(args[i]), rounds);
    }
  }

  private void size(int customers, int rounds) throws IOException, InterruptedException {
    Path sample = work.resolve("sample-" + customers);
    Path input = sample.resolve("transactions");
    if (!Files.isDirectory(input)) {
      process(List.of("sample", "--customers", String.valueOf(customers), "--seed", "1", "--out", sample.toString()), Map.of());
    }
    List<Double> run = new ArrayList<>();
    List<Double> spark = new ArrayList<>();
    List<Double> duckdb = new ArrayList<>();
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    Map<String, List<Double>> shares = new LinkedHashMap<>();
    List<Double> versus = new ArrayList<>();
    Map<String, List<Double>> versusSeconds = new LinkedHashMap<>();
    Map<String, List<Double>> versusShares = new LinkedHashMap<>();
    for (int r = 1; r <= rounds; r++) {
      double wall = timedRun(input, extraRunArgs, run, seconds, shares);
      if (!versusArgs.isEmpty()) {
        double other = timedRun(input, versusArgs, versus, versusSeconds, versusShares);
        System.out.printf(Locale.ROOT, "%,d customers, round %d: versus run (%s) %.1f s%n", customers, r, String.join(" ", versusArgs), other);
      }

      delete(work.resolve("groupby"));
      spark.add(process(List.of(input.toString(), work.resolve("groupby").toString()), bench(GroupByProcess.class)));

      Files.deleteIfExists(work.resolve("duckdb.parquet"));
      duckdb.add(process(List.of(input.toString(), work.resolve("duckdb.parquet").toString(), "2"), bench(DuckDbGroupBy.class)));
      System.out.printf(
          Locale.ROOT, "%,d customers, round %d: run %.1f s, Spark group-by %.1f s, DuckDB group-by %.1f s%n",
          customers, r, wall, spark.get(r - 1), duckdb.get(r - 1));
    }
    double runMedian = Timings.median(run);
    double sparkMedian = Timings.median(spark);
    double duckdbMedian = Timings.median(duckdb);
    System.out.printf(
        Locale.ROOT,
        "%,d customers, median of %d: run %.1f s, Spark group-by %.1f s (run %.1fx), DuckDB group-by %.1f s (run %.1fx)%n",
        customers, rounds, runMedian, sparkMedian, runMedian / sparkMedian, duckdbMedian, runMedian / duckdbMedian);
    printParts("run", seconds, shares);
    if (!versusArgs.isEmpty()) {
      double versusMedian = Timings.median(versus);
      System.out.printf(
          Locale.ROOT,
          "%,d customers, median of %d: versus run (%s) %.1f s = %.2fx the run; its ingest %.1f s = %.2fx the run's%n",
          customers, rounds, String.join(" ", versusArgs), versusMedian, versusMedian / runMedian,
          Timings.median(versusSeconds.get("ingest")),
          Timings.median(versusSeconds.get("ingest")) / Timings.median(seconds.get("ingest")));
      printParts("versus run", versusSeconds, versusShares);
    }
    System.out.flush();
  }

  private static void printParts(String run, Map<String, List<Double>> seconds, Map<String, List<Double>> shares) {
    StringBuilder line = new StringBuilder("  " + run + "'s wall time by part (median seconds and share):");
    shares.forEach(
        (part, s) ->
            line.append(
                String.format(
                    Locale.ROOT, " %s %.1f s %.0f%%", part, Timings.median(seconds.get(part)), 100 * Timings.median(s))));
    System.out.println(line);
  }

  /**
   * One cold run on an empty warehouse with {@code args} added: its wall seconds to {@code walls},
   * and each part of its manifest's timings to {@code seconds} and, as a share of the wall time,
   * to {@code shares}.
   */
  private double timedRun(
      Path input, List<String> args, List<Double> walls, Map<String, List<Double>> seconds, Map<String, List<Double>> shares)
      throws IOException, InterruptedException {
    Path warehouse = work.resolve("warehouse");
    delete(warehouse);
    List<String> runArgs = new ArrayList<>(List.of("run", "--input", input.toString(), "--warehouse", warehouse.toString()));
    runArgs.addAll(args);
    double wall = process(runArgs, Map.of());
    walls.add(wall);
    Map<String, Long> parts = manifestTimings(warehouse);
    // What the manifest cannot time: writing itself, stopping Spark, the JVM's exit. The stages
    // that ran side by side each count the time they overlapped, which the manifest gives too.
    long overlap = parts.getOrDefault(STAGES_OVERLAP, 0L);
    long timed = parts.values().stream().mapToLong(Long::longValue).sum() - 2 * overlap;
    parts.put("after_manifest", Math.round(wall * 1e3) - timed);
    parts.forEach((part, ms) -> seconds.computeIfAbsent(part, p -> new ArrayList<>()).add(ms / 1e3));
    parts.forEach((part, ms) -> shares.computeIfAbsent(part, p -> new ArrayList<>()).add(ms / 1e3 / wall));
    return wall;
  }

  /** Runs one cold process of the launcher and returns its wall seconds; fails if it fails. */
  private double process(List<String> args, Map<String, String> environment) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("scripts/lifecycle").toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(work.resolve("last-process.log").toFile());
    // This benchmark's own launcher variables name its main class, not the child's.
    builder.environment().remove("LIFECYCLE_MODULE");
    builder.environment().remove("LIFECYCLE_MAIN_CLASS");
    builder.environment().put("LIFECYCLE_NO_BUILD", "1");
    builder.environment().putAll(environment);
    long start = System.nanoTime();
    int exit = builder.start().waitFor();
    double seconds = Timings.secondsSince(start);
    if (exit != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + exit + "; its output is in " + work.resolve("last-process.log"));
    }
    return seconds;
  }

  /** The launcher's environment for a main class of this module. */
  private static Map<String, String> bench(Class<?> main) {
    return Map.of("LIFECYCLE_MODULE", "jobs/bench", "LIFECYCLE_MAIN_CLASS", main.getName());
  }

  /** The run's {@code timings_ms}, from the one manifest in the fresh warehouse. */
  private static Map<String, Long> manifestTimings(Path warehouse) throws IOException {
    Map<String, Long> timings = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(warehouse.resolve("_manifests"))) {
      Path manifest = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
      JsonNode node = JSON.readTree(manifest.toFile()).path("timings_ms");
      node.fieldNames().forEachRemaining(name -> timings.put(name, node.path(name).asLong()));
    }
    return timings;
  }

  private static void delete(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
