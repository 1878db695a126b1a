package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.spark.test.TestSpark;
import dev.lifecycle.jobs.Fixtures;
import dev.lifecycle.jobs.cli.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code output.pseudonymize-ids} end to end, in a JVM of its own with the key in its
 * environment: no table holds a real id, rejects included, and neither the key nor a credential
 * passed as Spark config appears in the log, the manifest or any file under the warehouse.
 */
@Tag("e2e")
class PseudonymizedRunTest {
  private static final String KEY = "k3y-0f-th1s-t3st-7d2f9a";
  private static final String CREDENTIAL = "s3cr3t-cr3d3nt1al-5b81e0";
  private static final StructType TRANSACTIONS =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("order_ts", DataTypes.StringType)
          .add("amount", DataTypes.DoubleType);

  @TempDir Path dir;

  @Test
  void noRealIdKeyOrCredentialLeavesTheRun() throws Exception {
    String input =
        Fixtures.parquet(
            dir, "input", TRANSACTIONS,
            new Object[] {"alice@example.com", "2024-01-05", 10.0},
            new Object[] {"alice@example.com", "2024-02-05", 20.0},
            new Object[] {"bob@example.com", "2024-01-07", 5.0},
            new Object[] {"carol@example.com", "2024-01-09", null});
    String warehouse = dir.resolve("warehouse").toString();
    Path log = dir.resolve("run.log");

    Process process =
        CliRunner.start(
            log, Map.of("LIFECYCLE_ID_KEY", KEY),
            "features", "--verbose", "--input", input, "--warehouse", warehouse,
            "--set", "input.columns.timestamp=order_ts",
            "--set", "output.pseudonymize-ids=true",
            "--set", "spark.hadoop.fs.s3a.secret.key=" + CREDENTIAL);
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();

    List<String> customers =
        TestSpark.session().read().parquet(warehouse + "/customer_features")
            .select("customer_id").orderBy("customer_id").as(Encoders.STRING()).collectAsList();
    assertThat(customers).containsExactlyInAnyOrder(hmac("alice@example.com"), hmac("bob@example.com"));
    List<String> rejected =
        TestSpark.session().read().parquet(warehouse + "/transactions_rejected")
            .select("customer_id").as(Encoders.STRING()).collectAsList();
    assertThat(rejected).containsExactly(hmac("carol@example.com"));

    String runLog = Files.readString(log);
    for (String secret : List.of(KEY, CREDENTIAL)) {
      assertThat(runLog).as("the log").doesNotContain(secret);
      for (Path file : files(Path.of(warehouse))) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
            .as("%s", file)
            .doesNotContain(secret);
      }
    }
    // the manifest itself, not the checksum file Hadoop writes beside it
    List<Path> manifests =
        files(Path.of(warehouse, "_manifests")).stream()
            .filter(f -> f.getFileName().toString().endsWith(".json"))
            .toList();
    assertThat(manifests).hasSize(1);
    String manifest = Files.readString(manifests.get(0));
    assertThat(runLog + manifest).as("the log and the manifest").doesNotContain("example.com");
    assertThat(manifest)
        .containsPattern("\"output.pseudonymize-ids\"\\s*:\\s*\"true\"")
        .containsPattern("\"spark.hadoop.fs.s3a.secret.key\"\\s*:\\s*\"\\*\\*\\*\"");
  }

  /** The pseudonym, computed here with the JDK alone. */
  private static String hmac(String id) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
