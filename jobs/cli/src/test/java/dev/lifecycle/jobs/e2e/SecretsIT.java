package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.jobs.cli.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in anything a run writes. Three {@code scripts/lifecycle run} processes, as users start
 * them: one that succeeds with secret-like settings given by {@code --set}, and two whose input URI
 * carries a password (a local and an HDFS one, both failing, with {@code --verbose}). Every byte
 * they wrote (stdout, stderr, the warehouses, manifests and reports) is searched for every secret.
 */
@Tag("e2e")
class SecretsIT {
  @TempDir Path dir;

  /** A setting whose key or value holds a secret, and the secret. */
  private record Secret(String key, String value, String secret) {}

  private static List<Secret> settings() {
    List<Secret> secrets = new ArrayList<>();
    Map<String, String> byKey = new LinkedHashMap<>();
    byKey.put("spark.hadoop.fs.s3a.encryption.key", "%s");
    byKey.put("spark.hadoop.fs.s3a.server-side-encryption.key", "%s");
    byKey.put("spark.hadoop.fs.s3a.secret.key", "%s");
    byKey.put("spark.hadoop.fs.s3a.access.key", "%s");
    byKey.put("spark.lifecycle.probe.header.Authorization", "Bearer %s");
    byKey.put("spark.hadoop.google.cloud.auth.service.account.keyfile.content", "{\"private_key\":\"%s\"}");
    byKey.put("spark.lifecycle.probe.signing-key", "%s");
    byKey.put("spark.lifecycle.probe.apikey", "%s");
    byKey.put("spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net", "%s");
    byKey.put("spark.hadoop.fs.azure.sas.container.acct", "%s");
    byKey.put("spark.lifecycle.probe.jdbc.PASSWORD", "%s");
    byKey.put("spark.lifecycle.probe.oauth.token", "%s");
    byKey.put("spark.lifecycle.probe.credentials", "%s");
    byKey.put("spark.lifecycle.probe.db.passwd", "%s");
    // Secrets in the values of keys that are not secret themselves.
    byKey.put("spark.lifecycle.probe.jdbc-url", "jdbc:postgresql://db/x?user=ann&password=%s&ssl=true");
    byKey.put("spark.lifecycle.probe.mssql-url", "jdbc:sqlserver://db;user=ann;password=%s;encrypt=true");
    byKey.put("spark.lifecycle.probe.endpoint", "https://login/token?client_id=app&client_secret=%s");
    byKey.put("spark.lifecycle.probe.mirror", "https://ann:%s@mirror.example/path");
    int i = 0;
    for (Map.Entry<String, String> e : byKey.entrySet()) {
      String secret = String.format("Zq%02dsecretValue", ++i);
      secrets.add(new Secret(e.getKey(), e.getValue().formatted(secret), secret));
    }
    return secrets;
  }

  @Test
  void noSecretIsWrittenAnywhere() throws Exception {
    String[] sample = SampleRun.generated(dir, 300, 3);
    List<Secret> secrets = settings();
    List<String> succeeding = new ArrayList<>(List.of("run", "--warehouse", dir.resolve("w-ok").toString()));
    succeeding.addAll(List.of(sample));
    for (Secret s : secrets) {
      succeeding.addAll(List.of("--set", s.key() + "=" + s.value()));
    }
    String localSecret = "Zq19secretValue";
    String hdfsSecret = "Zq20secretValue";
    String transactions = Path.of(sample[1]).toAbsolutePath().toString();
    Process ok = start("ok", succeeding);
    Process local =
        start(
            "local",
            List.of(
                "run", "--verbose", "--warehouse", dir.resolve("w-local").toString(),
                "--input", "file://ann:" + localSecret + "@localhost" + transactions));
    Process hdfs =
        start(
            "hdfs",
            List.of(
                "run", "--verbose", "--warehouse", dir.resolve("w-hdfs").toString(),
                "--set", "spark.hadoop.ipc.client.connect.max.retries=0",
                "--input", "hdfs://ann:" + hdfsSecret + "@127.0.0.1:1/transactions"));

    assertThat(finish(ok, "ok")).as(log("ok")).isZero();
    assertThat(finish(local, "local")).as(log("local")).isNotZero();
    assertThat(finish(hdfs, "hdfs")).as(log("hdfs")).isNotZero();
    // The failures were reported, with their URIs masked, and recorded.
    assertThat(log("local")).contains("file://***@localhost");
    assertThat(log("hdfs")).contains("hdfs://***@127.0.0.1:1");
    assertThat(dir.resolve("w-local/_manifests")).isDirectory();
    assertThat(dir.resolve("w-ok/reports")).isDirectory();

    List<String> all = new ArrayList<>(secrets.stream().map(Secret::secret).toList());
    all.addAll(List.of(localSecret, hdfsSecret));
    assertThat(all).doesNotHaveDuplicates().hasSize(20);
    List<String> hits = new ArrayList<>();
    int files = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files++;
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String secret : all) {
          if (bytes.contains(secret)) {
            hits.add(secret + " in " + dir.relativize(file));
          }
        }
      }
    }
    assertThat(files).as("files searched").isGreaterThan(20);
    assertThat(hits).isEmpty();
  }

  private Process start(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SharedData.project("scripts/lifecycle").toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    CliRunner.launcherEnvironment(builder.environment());
    return builder.start();
  }

  private static int finish(Process process, String name) throws InterruptedException {
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", name).isTrue();
    return process.exitValue();
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"));
  }
}
