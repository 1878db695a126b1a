package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real multi-process cluster: {@code local-cluster[2,1,1024]} starts a
 * standalone master, two workers and two executor JVMs on loopback. Its customer_scores must equal
 * those of local[1] (a JVM of its own) and local[2] (the test session), row for row, floating
 * values to 1e-9 relative. A second cluster run loses an executor to kill -9 mid-stage and must
 * still produce the same table.
 */
@Tag("e2e")
class ClusterRunTest {
  private static final String CLUSTER = "local-cluster[2,1,1024]";
  private static final double TOLERANCE = 1e-9;

  @TempDir static Path dir;
  private static String[] input;
  private static List<Row> oneCore;

  @BeforeAll
  static void sampleAndOneCoreRun() throws Exception {
    // a short k range keeps the runs quick and still chooses k by silhouette
    input = SampleRun.concat(SampleRun.generated(dir, 1500, 11), "--set", "segment.k=4..6");
    Process process = start("local1", "--master", "local[1]");
    await(process, "local1");
    oneCore = scores("local1");
    assertThat(oneCore).hasSize(1500);
  }

  @Test
  void aLocalClusterScoresExactlyAsOneAndTwoCoresDo() throws Exception {
    CliRunner.Result twoCores = CliRunner.run(run("local2"));
    assertThat(twoCores.exitCode()).as(twoCores.err()).isZero();
    assertSame(scores("local2"), oneCore, "local[2] against local[1]");

    Process cluster = start("cluster", "--master", CLUSTER);
    await(cluster, "cluster");
    assertThat(Files.readString(log("cluster"))).doesNotContain("Lost executor");
    assertSame(scores("cluster"), oneCore, CLUSTER + " against local[1]");
  }

  @Test
  void aRunSurvivesAnExecutorKilledMidStage() throws Exception {
    Process cluster = start("killed", "--master", CLUSTER);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    // customer_features is written: ingest and features are done, the later stages are to come
    while (!Files.isDirectory(dir.resolve("killed").resolve("customer_features"))
        && cluster.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<ProcessHandle> executors =
        cluster.descendants().filter(ClusterRunTest::isExecutor).toList();
    assertThat(executors).as("executor JVMs of the driver: %s", Files.readString(log("killed"))).hasSize(2);
    ProcessHandle victim = executors.get(0);
    assertThat(victim.destroyForcibly()).isTrue(); // SIGKILL
    victim.onExit().get(1, TimeUnit.MINUTES);

    await(cluster, "killed");
    assertThat(Files.readString(log("killed")))
        .as("the driver saw the executor go")
        .contains("Lost executor");
    assertSame(scores("killed"), oneCore, "the run that lost an executor against local[1]");
  }

  /** An executor JVM, by its command line as Linux shows it (the JDK's view of it is cut short). */
  private static boolean isExecutor(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
          .contains("CoarseGrainedExecutorBackend");
    } catch (IOException e) {
      return false; // already gone
    }
  }

  /** {@code lifecycle run} on the sample into the named warehouse, then {@code extra}. */
  private static String[] run(String name, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--warehouse", dir.resolve(name).toString()));
    args.addAll(List.of(input));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /**
   * Starts {@code lifecycle run} in a JVM of its own, with what executor JVMs need to start from
   * the test classpath (BUILD_NOTES): a SPARK_HOME with an empty jars folder, the Scala version,
   * and the classpath itself.
   */
  private static Process start(String name, String... extra) throws IOException {
    Path sparkHome = dir.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    Map<String, String> environment =
        Map.of(
            "SPARK_HOME", sparkHome.toString(),
            "SPARK_SCALA_VERSION", "2.13",
            "SPARK_DIST_CLASSPATH", System.getProperty("java.class.path"));
    return CliRunner.start(log(name), environment, run(name, extra));
  }

  private static void await(Process process, String name) throws Exception {
    assertThat(process.waitFor(6, TimeUnit.MINUTES)).as("%s finished", name).isTrue();
    assertThat(process.exitValue()).as(Files.readString(log(name))).isZero();
  }

  private static Path log(String name) {
    return dir.resolve(name + ".log");
  }

  private static List<Row> scores(String name) {
    return TestSpark.session()
        .read()
        .parquet(dir.resolve(name).resolve("customer_scores").toString())
        .orderBy("customer_id")
        .collectAsList();
  }

  /** Row for row, field for field; doubles equal to {@value #TOLERANCE} relative. */
  static void assertSame(List<Row> actual, List<Row> expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Row want = expected.get(i);
      Row got = actual.get(i);
      assertThat(got.schema()).as(what).isEqualTo(want.schema());
      for (int f = 0; f < want.length(); f++) {
        Object a = got.get(f);
        Object b = want.get(f);
        String where = what + ": " + want.schema().fields()[f].name() + " of customer " + want.getAs("customer_id");
        if (a instanceof Double x && b instanceof Double y) {
          assertThat(Math.abs(x - y)).as(where + " (" + x + " vs " + y + ")").isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.abs(y)));
        } else {
          assertThat(a).as(where).isEqualTo(b);
        }
      }
    }
  }
}
