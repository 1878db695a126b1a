package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build writes a class-data archive with {@code scripts/class-archive}, which trains on a real
 * {@code lifecycle run}, before the ITs (jobs/cli/pom.xml); {@code scripts/lifecycle} starts the CLI
 * from it while it is newer than the build, and the JVM then loads Spark's and the CLI's classes
 * from the archive, not from their jars. A stale archive, or {@code LIFECYCLE_CLASS_ARCHIVE=off},
 * starts without one.
 */
class LauncherClassArchiveIT {
  private static final Pattern ARCHIVE_FLAG = Pattern.compile("SharedArchiveFile\\s*=[ \\t]*(\\S*?)[ \\t]*\\{");

  @TempDir Path dir;

  @Test
  void theCliStartsFromTheArchiveTheBuildWroteWhileItIsNewerThanTheBuild() throws Exception {
    Path archive = SharedData.project("target/class-archive/lifecycle.jsa");
    assertThat(archive).as("written by the build before the ITs").isRegularFile();

    // -Xshare:on: the JVM fails to start if it cannot map the archive or it does not match the classpath.
    String loaded = launch(Map.of(), "-Xshare:on -Xlog:class+load=info", "--version");
    assertThat(loaded).contains("lifecycle 0.1.0");
    assertThat(source(loaded, "dev.lifecycle.jobs.cli.LifecycleCli")).isEqualTo("shared objects file");
    assertThat(source(loaded, "picocli.CommandLine")).isEqualTo("shared objects file");
    assertThat(archiveFlag(Map.of())).isEqualTo(archive.toString());
    assertThat(archiveFlag(Map.of("LIFECYCLE_CLASS_ARCHIVE", "off"))).as("off").isEmpty();

    Path copy = Files.copy(archive, dir.resolve("lifecycle.jsa"));
    Map<String, String> elsewhere = Map.of("LIFECYCLE_CLASS_ARCHIVE", copy.toString());
    Files.setLastModifiedTime(copy, FileTime.fromMillis(System.currentTimeMillis()));
    assertThat(archiveFlag(elsewhere)).as("another path, newer than the build").isEqualTo(copy.toString());
    Files.setLastModifiedTime(copy, FileTime.fromMillis(0));
    assertThat(archiveFlag(elsewhere)).as("older than the build: not used, and not rewritten inside a build").isEmpty();
    assertThat(Files.getLastModifiedTime(copy).toMillis()).isZero();
  }

  /** Where the JVM says it loaded {@code className} from. */
  private static String source(String classLoadLog, String className) {
    Matcher line = Pattern.compile("\\] " + Pattern.quote(className) + " source: (.+)").matcher(classLoadLog);
    assertThat(line.find()).as(className + " in the class-loading log").isTrue();
    return line.group(1).trim();
  }

  /** The SharedArchiveFile of the JVM {@code scripts/lifecycle} starts (empty: none). */
  private String archiveFlag(Map<String, String> environment) throws IOException, InterruptedException {
    Matcher flag = ARCHIVE_FLAG.matcher(launch(environment, "-XX:+PrintFlagsFinal -version"));
    assertThat(flag.find()).isTrue();
    return flag.group(1);
  }

  /** {@code scripts/lifecycle args} with the jar as built and {@code javaOptions}; its output. */
  private String launch(Map<String, String> environment, String javaOptions, String... args)
      throws IOException, InterruptedException {
    Map<String, String> all = new HashMap<>(environment);
    all.put("LIFECYCLE_NO_BUILD", "1");
    all.put("LIFECYCLE_JAVA_OPTIONS", javaOptions);
    List<String> command = new ArrayList<>(List.of(SharedData.project("scripts/lifecycle").toString()));
    command.addAll(List.of(args));
    return run(all, command.toArray(String[]::new));
  }

  private String run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.environment().put("TMPDIR", dir.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
