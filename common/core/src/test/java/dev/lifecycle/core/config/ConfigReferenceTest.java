package dev.lifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/config.md is what the code generates, so it lists every key as the code knows it. */
class ConfigReferenceTest {
  @Test
  void theReferenceIsNotStale() throws IOException {
    String committed = Files.readString(SharedData.project("docs/config.md"));
    assertThat(committed)
        .as("docs/config.md is stale: run scripts/config-reference and commit the result")
        .isEqualTo(ConfigReference.markdown());
  }

  @Test
  void everyKeyHasARowWithItsDefaultAndMeaning() {
    String reference = ConfigReference.markdown();
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(key.meaning()).as(key.key()).isNotBlank();
      assertThat(reference).contains("| `" + key.key() + "` | " + key.shownDefault().replace("|", "\\|") + " | ");
    }
    assertThat(reference).contains("| `segment.k` | `4..10` | ", "| `input.path` | none; required by", "| `spark.*` |");
    assertThat(reference.lines().filter(line -> line.startsWith("| `")).count()).isEqualTo(ConfigKey.values().length + 1);
    assertThat(Arrays.stream(ConfigKey.values()).map(ConfigKey::key)).doesNotHaveDuplicates();
  }
}
