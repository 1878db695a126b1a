package dev.lifecycle.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's flag list (scripts/jvm-options) and the tests' argLine (pom.xml) stay equal. */
class JvmOptionsTest {
  @Test
  void testJvmRunsWithEveryLauncherFlag() throws IOException {
    List<String> launcher =
        Files.readAllLines(SharedData.project("scripts/jvm-options")).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .toList();

    assertThat(launcher).hasSizeGreaterThan(10);
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).containsAll(launcher);
  }
}
