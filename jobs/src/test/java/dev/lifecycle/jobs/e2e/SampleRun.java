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
    String sample = dir.resolve("sample").toString();
    String warehouse = dir.resolve("warehouse").toString();
    CliRunner.Result generated =
        CliRunner.run("sample", "--customers", Integer.toString(customers), "--seed", Integer.toString(seed), "--out", sample);
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    String[] input = {
      "--input", sample + "/transactions", "--warehouse", warehouse,
      "--set", "input.columns.timestamp=order_ts", "--set", "input.columns.order-id=order_id"
    };
    String[] features = new String[input.length + 1];
    features[0] = "features";
    System.arraycopy(input, 0, features, 1, input.length);
    CliRunner.Result built = CliRunner.run(features);
    assertThat(built.exitCode()).as(built.err()).isZero();
    return new SampleRun(sample, warehouse, input);
  }
}
