package dev.lifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.test.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * Where the code refuses whole numbers below a minimum, the key's meaning says so, as "≥ N":
   * each whole-number key is given -1 and its error read for the minimum.
   */
  @Test
  void everyMinimumTheCodeEnforcesIsInTheReference() {
    Pattern atLeast = Pattern.compile("expected a whole number of at least (-?\\d+)");
    int checked = 0;
    List<String> unstated = new ArrayList<>();
    for (ConfigKey key : ConfigKey.values()) {
      if (key.defaultValue().isEmpty() || !key.defaultValue().get().matches("\\d+")) {
        continue;
      }
      Settings settings = Settings.defaults().with(Map.of(key.key(), "-1"), "--set");
      try {
        LifecycleConfig.from(settings);
      } catch (LifecycleException e) {
        Matcher minimum = atLeast.matcher(e.getMessage());
        if (e.getMessage().contains("'" + key.key() + "'") && minimum.find()) {
          checked++;
          if (!key.meaning().contains("≥ " + minimum.group(1))) {
            unstated.add(key.key() + " ≥ " + minimum.group(1));
          }
        }
      }
    }
    assertThat(checked).as("whole-number keys with a minimum").isGreaterThan(10);
    assertThat(unstated).as("minimums the reference does not state").isEmpty();
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
