package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real multi-process cluster, started as users start it: {@code
 * scripts/lifecycle run --master 'local-cluster[2,1,1024]'} with no Spark variables in the
 * environment, on the application jar the build made (so this runs after package, as an IT).
 * local-cluster starts a standalone master, two workers and two executor JVMs on loopback. Its
 * customer_scores must equal those of local[2] (the test session), row for row, floating values to
 * 1e-9 relative. A second cluster run loses an executor to kill -9 mid-stage and must still
 * produce the same table. (local[1] against local[2]: SegmentReproducibilityTest.) Every run
 * scores churn with a model {@code propensity} trained and saved on local[2] first, loaded with
 * {@code --propensity-model-in}: on local[2] and on local-cluster it scores exactly as it did where
 * it was trained.
 */
@Tag("e2e")
class ClusterRunIT {
  private static final String CLUSTER = "local-cluster[2,1,1024]";
  private static final double TOLERANCE = 1e-9;

  @TempDir static Path dir;
  private static String[] input;
  private static List<Row> twoCores;
  private static Process cluster;
  private static Process killed;
  private static List<Row> churnWhereTrained;
  private static CompletableFuture<Integer> kill;

  /**
   * The three runs go side by side: both clusters start first (two seconds apart, so their
   * applications get different ids and work folders), an executor of one is killed as soon as
   * its features are written, and local[2] runs in this JVM meanwhile.
   */
  @BeforeAll
  static void startTheClustersAndRunLocally() throws Exception {
    // a short k range keeps the runs quick and still chooses k by silhouette
    input = SampleRun.concat(SampleRun.generated(dir, 1500, 11), "--set", "segment.k=4..6");
    // A churn model trained here (local[2]) and saved; every run below scores with it
    String model = dir.resolve("propensity-model").toString();
    CliRunner.Result trained = CliRunner.run(command("propensity", "trained", "--propensity-model-out", model));
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    churnWhereTrained = churn("trained");
    String[] churnModel = {"--set", "propensity.enabled=true", "--propensity-model-in", model};
    killed = start("killed", run("killed", SampleRun.concat(new String[] {"--master", CLUSTER}, churnModel)));
    kill = CompletableFuture.supplyAsync(ClusterRunIT::killAnExecutorMidRun);
    Thread.sleep(2_000);
    cluster = start("cluster", run("cluster", SampleRun.concat(new String[] {"--master", CLUSTER}, churnModel)));
    CliRunner.Result local = CliRunner.run(run("local2", churnModel));
    assertThat(local.exitCode()).as(local.err()).isZero();
    twoCores = scores("local2");
    assertThat(twoCores).hasSize(1500);
  }

  @AfterAll
  static void stopWhatIsLeft() {
    for (Process process : new Process[] {cluster, killed}) {
      if (process != null) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }

  @Test
  void aLocalClusterScoresExactlyAsTwoCoresDo() throws Exception {
    await(cluster, "cluster");
    assertThat(Files.readString(log("cluster"))).doesNotContain("Lost executor");
    assertSame(scores("cluster"), twoCores, CLUSTER + " against local[2]");
  }

  @Test
  void aSavedPropensityModelScoresOnALocalClusterAsWhereItWasTrained() throws Exception {
    await(cluster, "cluster");
    assertThat(churnWhereTrained).hasSize(1500);
    assertSame(churn("local2"), churnWhereTrained, "the saved churn model on local[2] against where it was trained");
    assertSame(churn("cluster"), churnWhereTrained, "the saved churn model on " + CLUSTER + " against where it was trained");
  }

  @Test
  void aRunSurvivesAnExecutorKilledMidStage() throws Exception {
    assertThat(kill.get(4, TimeUnit.MINUTES)).as("executor JVMs of the driver: %s", Files.readString(log("killed"))).isEqualTo(2);
    await(killed, "killed");
    assertThat(Files.readString(log("killed")))
        .as("the driver saw the executor go")
        .contains("Lost executor");
    assertSame(scores("killed"), twoCores, "the run that lost an executor against local[2]");
  }

  /**
   * Once the run's customer_features is written (ingest and features done, the later stages to
   * come), kills one of its executors with SIGKILL; returns how many executors it had.
   */
  private static int killAnExecutorMidRun() {
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.isDirectory(dir.resolve("killed").resolve("customer_features"))
          && killed.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      List<ProcessHandle> executors = killed.descendants().filter(ClusterRunIT::isExecutor).toList();
      if (executors.size() == 2) {
        ProcessHandle victim = executors.get(0);
        victim.destroyForcibly();
        victim.onExit().get(1, TimeUnit.MINUTES);
      }
      return executors.size();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot kill an executor: " + e, e);
    }
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
    return command("run", name, extra);
  }

  /** A pipeline command on the sample into the named warehouse, then {@code extra}. */
  private static String[] command(String command, String name, String... extra) {
    List<String> args = new ArrayList<>(List.of(command, "--warehouse", dir.resolve(name).toString()));
    args.addAll(List.of(input));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /**
   * Starts {@code scripts/lifecycle} with {@code args} as a user would: the environment has none
   * of the variables local-cluster's executors need, so the launcher must prepare them.
   */
  private static Process start(String name, String[] args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SharedData.project("scripts/lifecycle").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
    for (String variable : List.of("SPARK_HOME", "SPARK_SCALA_VERSION", "SPARK_DIST_CLASSPATH")) {
      builder.environment().remove(variable);
    }
    CliRunner.launcherEnvironment(builder.environment());
    return builder.start();
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

  private static List<Row> churn(String name) {
    return TestSpark.session()
        .read()
        .parquet(dir.resolve(name).resolve("customer_churn").toString())
        .select("customer_id", "churn_probability", "churn_model")
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
