package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lifecycle.core.test.SharedData;
import dev.lifecycle.jobs.cli.CliRunner;
import dev.lifecycle.spark.io.ParquetWarehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the warehouse is a small tmpfs, mounted in a mount namespace of its own
 * ({@code unshare}), so no root and no loop device is needed and nothing outlives the test. A
 * {@code features} run writes its tables, then the disk is filled but for 64 KiB, room for the
 * lease and the manifest but not for a table, and the run is repeated: it says "no space left on device" in one line,
 * records the failed run, and leaves every table as the first run wrote it, with no staging left.
 */
@Tag("e2e")
class DiskFullIT {
  @TempDir Path dir;

  @Test
  void aFullDiskSaysSoAndReplacesNoTable() throws Exception {
    assumeTrue(namespacesWork(), "unshare -rm cannot mount a tmpfs on this machine");
    String[] sample = SampleRun.generated(dir, 300, 6);
    Path warehouse = dir.resolve("warehouse");
    Path copy = dir.resolve("copy");
    Files.createDirectories(warehouse);
    String run = SharedData.project("scripts/lifecycle") + " features --warehouse " + warehouse + " --as-of 2025-12-31 "
        + String.join(" ", sample);
    String script = String.join("\n",
        "mount -t tmpfs -o size=16m tmpfs " + warehouse + " || exit 9",
        run + " > " + dir.resolve("first.log") + " 2>&1; echo $? > " + dir.resolve("first.code"),
        "dd if=/dev/zero of=" + warehouse + "/.filler bs=4k 2>/dev/null; truncate -s -64k " + warehouse + "/.filler",
        run + " > " + dir.resolve("full.log") + " 2>&1; echo $? > " + dir.resolve("full.code"),
        "rm " + warehouse + "/.filler",
        "cp -a " + warehouse + " " + copy);
    ProcessBuilder builder = new ProcessBuilder("unshare", "-rm", "sh", "-c", script)
        .redirectErrorStream(true).redirectOutput(dir.resolve("unshare.log").toFile());
    CliRunner.launcherEnvironment(builder.environment());
    Process process = builder.start();
    assertThat(process.waitFor(8, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("unshare.log"))).isZero();

    assertThat(Files.readString(dir.resolve("first.code")).trim()).as(Files.readString(dir.resolve("first.log"))).isEqualTo("0");
    String full = Files.readString(dir.resolve("full.log"));
    assertThat(Files.readString(dir.resolve("full.code")).trim()).as(full).isEqualTo("1");
    assertThat(full).contains("lifecycle: no space left on device (writing under warehouse file:" + warehouse);

    List<String> writers = markers(copy).stream().map(DiskFullIT::read).distinct().toList();
    assertThat(writers).as("every table is the first run's").hasSize(1);
    String first = writers.get(0).trim().substring("run ".length());
    List<String> manifests = manifests(copy);
    assertThat(manifests).hasSize(2);
    assertThat(manifests).anySatisfy(m -> assertThat(m).contains("\"run_id\" : \"" + first + "\"", "\"status\" : \"succeeded\""));
    assertThat(manifests).anySatisfy(m -> assertThat(m).contains("\"status\" : \"failed\"", "no space left on device"));
    try (Stream<Path> staged = Files.walk(copy.resolve("_staging"))) {
      assertThat(staged.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList())
          .as("staging left").isEmpty();
    }
  }

  private static boolean namespacesWork() throws InterruptedException {
    try {
      Process probe = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt")
          .redirectErrorStream(true).start();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<Path> markers(Path warehouse) throws IOException {
    try (Stream<Path> files = Files.walk(warehouse)) {
      return files.filter(f -> f.getFileName().toString().equals(ParquetWarehouse.RUN_FILE)).toList();
    }
  }

  private static List<String> manifests(Path warehouse) throws IOException {
    try (Stream<Path> files = Files.list(warehouse.resolve("_manifests"))) {
      return files.filter(f -> f.toString().endsWith(".json")).map(DiskFullIT::read).toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
