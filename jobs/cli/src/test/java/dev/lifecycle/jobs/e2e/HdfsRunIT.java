package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.io.ParquetWarehouse;
import dev.lifecycle.spark.test.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a real HDFS: Hadoop's MiniDFSCluster (a NameNode and a DataNode on loopback, in
 * this JVM), with the input and the warehouse at {@code hdfs://} URIs, where renames, listings and
 * leases go through the NameNode as in production. Its customer_scores equal the local file
 * system's, in Parquet and in Delta tables, and a run killed while it writes leaves the previous
 * snapshot readable.
 */
@Tag("e2e")
class HdfsRunIT {
  private static final String SNAPSHOT = "snapshot_date=2025-12-31";

  @TempDir static Path dir;
  private static MiniDFSCluster hdfs;
  private static FileSystem fs;
  private static String root;
  private static String[] run;
  private static Dataset<Row> localScores;

  @BeforeAll
  static void startHdfsAndRunLocally() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    fs = hdfs.getFileSystem();
    root = fs.getUri().toString();

    String[] local = SampleRun.generated(dir, 1000, 13);
    String localWarehouse = dir.resolve("local").toString();
    CliRunner.Result reference = CliRunner.run(SampleRun.concat(new String[] {"run", "--warehouse", localWarehouse}, local));
    assertThat(reference.exitCode()).as(reference.err()).isZero();
    localScores = TestSpark.session().read().parquet(localWarehouse + "/customer_scores");

    FileUtil.copy(
        dir.resolve("sample").resolve("transactions").toFile(), fs, new org.apache.hadoop.fs.Path("/lake/transactions"),
        false, conf);
    run = run(root + "/lake/warehouse");
    CliRunner.Result onHdfs = CliRunner.run(run);
    assertThat(onHdfs.exitCode()).as(onHdfs.err()).isZero();
    assertThat(onHdfs.out()).contains(root + "/lake/warehouse/customer_scores");
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Test
  void scoresOnHdfsEqualThoseOnTheLocalFileSystem() {
    Dataset<Row> scores = TestSpark.session().read().parquet(root + "/lake/warehouse/customer_scores");

    assertThat(scores.count()).isEqualTo(1000);
    assertThat(scores.exceptAll(localScores).count()).as("on HDFS, not local").isZero();
    assertThat(localScores.exceptAll(scores).count()).as("local, not on HDFS").isZero();
  }

  @Test
  void deltaTablesOnHdfsHoldTheSameScores() {
    String warehouse = root + "/lake/delta";
    CliRunner.Result delta =
        CliRunner.run(SampleRun.concat(run(warehouse), "--set", "output.format=delta"));
    assertThat(delta.exitCode()).as(delta.err()).isZero();

    Dataset<Row> scores = TestSpark.session().read().format("delta").load(warehouse + "/customer_scores").drop("snapshot_date");
    assertThat(scores.exceptAll(localScores.drop("snapshot_date")).count()).as("Delta on HDFS, not local").isZero();
    assertThat(localScores.drop("snapshot_date").exceptAll(scores).count()).as("local, not Delta on HDFS").isZero();
  }

  @Test
  void aRunKilledWhileItWritesLeavesThePreviousSnapshotReadable() throws Exception {
    SparkSession spark = TestSpark.session();
    Map<String, String> before = writers();
    assertThat(before).containsKeys("customer_features", "customer_scores");
    List<Row> scoresBefore = spark.read().parquet(root + "/lake/warehouse/customer_scores").collectAsList();

    Path log = dir.resolve("killed.log");
    Process killed = CliRunner.start(log, run);
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path("/lake/warehouse/_staging/customer_scores");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!staged(staging) && killed.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(killed.isAlive()).as("the run was still going: %s", Files.readString(log)).isTrue();
    killed.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();

    assertThat(writers()).as("every table as the run before left it").isEqualTo(before);
    assertThat(spark.read().parquet(root + "/lake/warehouse/customer_scores").collectAsList())
        .containsExactlyInAnyOrderElementsOf(scoresBefore);
    assertThat(fs.exists(staging)).as("the killed run's staging is left until the next run").isTrue();

    CliRunner.Result rerun = CliRunner.run(run);

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    Map<String, String> after = writers();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    assertThat(after.values().stream().distinct()).hasSize(1).doesNotContain(before.values().iterator().next());
    assertThat(leftovers(new org.apache.hadoop.fs.Path("/lake/warehouse/_staging"))).as("staging after the re-run").isEmpty();
  }

  /** A {@code run} of the transactions on HDFS into the warehouse. */
  private static String[] run(String warehouse) {
    return new String[] {
      "run", "--input", root + "/lake/transactions", "--warehouse", warehouse, "--set", "input.columns.order-id=order_id"
    };
  }

  /** Whether a staging folder of the table holds a file: its write has begun. */
  private static boolean staged(org.apache.hadoop.fs.Path table) throws IOException {
    if (!fs.exists(table)) {
      return false;
    }
    for (FileStatus staging : fs.listStatus(table)) {
      if (staging.isDirectory() && staging.getPath().getName().startsWith("staging-")) {
        return true;
      }
    }
    return false;
  }

  /** Each table's writer of the snapshot, from the run id its partition records. */
  private static Map<String, String> writers() throws IOException {
    Map<String, String> writers = new TreeMap<>();
    for (FileStatus table : fs.listStatus(new org.apache.hadoop.fs.Path("/lake/warehouse"))) {
      org.apache.hadoop.fs.Path marker = new org.apache.hadoop.fs.Path(table.getPath(), SNAPSHOT + "/" + ParquetWarehouse.RUN_FILE);
      if (fs.exists(marker)) {
        try (var in = fs.open(marker)) {
          writers.put(table.getPath().getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
      }
    }
    return writers;
  }

  /** Files left under a folder. */
  private static List<String> leftovers(org.apache.hadoop.fs.Path folder) throws IOException {
    List<String> files = new ArrayList<>();
    if (fs.exists(folder)) {
      var listed = fs.listFiles(folder, true);
      while (listed.hasNext()) {
        files.add(listed.next().getPath().toString());
      }
    }
    return files;
  }
}
