package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifecycle.jobs.cli.CliRunner;
import java.nio.file.Path;

/**
 * A {@code lifecycle sample} under {@code dir} with its customer_features built, in-process: the
 * sample folder, the warehouse, and the options that read the sample's transactions.
 */
record SampleRun(String sample, String warehouse, String[] input) {
  static SampleRun withFeatures(Path dir, int customers, int seed) {
    String warehouse = dir.resolve("warehouse").toString();
    String[] input = concat(generated(dir, customers, seed), "--warehouse", warehouse);
    CliRunner.Result built = CliRunner.run(concat(new String[] {"features"}, input));
    assertThat(built.exitCode()).as(built.err()).isZero();
    return new SampleRun(dir.resolve("sample").toString(), warehouse, input);
  }

  /**
   * Generates {@code lifecycle sample} under {@code dir/sample}; returns the options that read its
   * transactions (no warehouse).
   */
  static String[] generated(Path dir, int customers, int seed) {
    String sample = dir.resolve("sample").toString();
    CliRunner.Result generated =
        CliRunner.run("sample", "--customers", Integer.toString(customers), "--seed", Integer.toString(seed), "--out", sample);
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    return new String[] {
      "--input", sample + "/transactions",
      "--set", "input.columns.order-id=order_id"
    };
  }

  /** {@code first} followed by {@code more}: command lines built from parts. */
  static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
