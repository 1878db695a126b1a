package dev.lifecycle.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config reference, docs/config.md, made from {@link ConfigKey}: every key, its default and
 * its allowed values. {@code scripts/config-reference} writes it; a test fails when it is stale.
 */
public final class ConfigReference {
  private ConfigReference() {}

  public static String markdown() {
    StringBuilder out =
        new StringBuilder(
            """
            # Configuration reference

            Every key, its built-in default and its allowed values. This file is generated from the
            code (`ConfigKey`) by `scripts/config-reference`, and a test fails when it is stale: edit
            the key there, not here. How a config file is read, the precedence of flags, `--set`, file
            and defaults, the Spark defaults and how secrets are shown: [cli.md](cli.md#configuration).

            | key | default | allowed values / meaning |
            |---|---|---|
            """);
    for (ConfigKey key : ConfigKey.values()) {
      out.append("| `").append(key.key()).append("` | ").append(cell(key.shownDefault())).append(" | ")
          .append(cell(key.meaning())).append(" |\n");
    }
    out.append("| `spark.*` | | passed to the Spark session unchanged (any key with text after `spark.`) |\n");
    return out.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  /** Writes the reference to the file given, docs/config.md. */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
  }
}
