package dev.lifecycle.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifecycle.core.ExitCode;
import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.spark.test.TestSpark;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;

class PseudonymsTest {
  private static final byte[] KEY = "a-long-enough-test-key".getBytes(StandardCharsets.UTF_8);

  @Test
  void theHashIsHmacSha256CutTo128Bits() throws Exception {
    // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?"
    Pseudonyms.KeyedHash hash = new Pseudonyms.KeyedHash("Jefe".getBytes(StandardCharsets.UTF_8));

    assertThat(hash.call("what do ya want for nothing?")).isEqualTo("5bdcc146bf60754e6a042426089575c7");
    assertThat(hash.call(null)).isNull();
    assertThat(hash).hasToString("KeyedHash");
  }

  @Test
  void idsBecomeStablePseudonymsAndMissingOnesStayMissing() throws Exception {
    var raw =
        TestSpark.session()
            .createDataset(Arrays.asList("c1", " c1 ", "c2", "", null), Encoders.STRING())
            .toDF("customer id");

    List<String> pseudonyms =
        Pseudonyms.apply(raw, "customer id", KEY).as(Encoders.STRING()).collectAsList();

    String c1 = new Pseudonyms.KeyedHash(KEY).call("c1");
    assertThat(pseudonyms).containsExactly(c1, c1, new Pseudonyms.KeyedHash(KEY).call("c2"), null, null);
    assertThat(c1).matches("[0-9a-f]{32}");
    assertThat(new Pseudonyms.KeyedHash("another-long-test-key".getBytes(StandardCharsets.UTF_8)).call("c1"))
        .as("another key, another pseudonym")
        .isNotEqualTo(c1);
  }

  @Test
  void aMissingOrShortKeyIsAConfigErrorThatNamesTheVariableOnly() {
    assertThatThrownBy(() -> Pseudonyms.key("ID_KEY", Map.<String, String>of()::get))
        .isInstanceOf(LifecycleException.class)
        .hasMessage(
            "Config key 'output.pseudonymize-ids' is true but the environment variable ID_KEY that"
                + " holds its key is not set (name another with 'output.pseudonymize-key-env')")
        .extracting(e -> ((LifecycleException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThatThrownBy(() -> Pseudonyms.key("ID_KEY", Map.of("ID_KEY", "short-secret")::get))
        .hasMessage("The key in environment variable ID_KEY is shorter than 16 characters; use a long random one")
        .message()
        .doesNotContain("short-secret");
    assertThat(Pseudonyms.key("ID_KEY", Map.of("ID_KEY", "a-long-enough-test-key")::get)).isEqualTo(KEY);
  }
}
