package dev.lifecycle.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Secrets by rule: the keys and values the hostile probe found written in clear. */
class RedactionTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "spark.hadoop.fs.s3a.encryption.key",
        "spark.hadoop.fs.s3a.server-side-encryption.key",
        "spark.datasource.header.Authorization",
        "spark.hadoop.keyfile.content",
        "spark.app.signing-key",
        "spark.service.apikey",
        "spark.service.APIKEY",
        "spark.hadoop.fs.s3a.secret.key",
        "spark.hadoop.fs.s3a.access.key",
        "spark.hadoop.fs.azure.sas.container.acct",
        "spark.jdbc.PASSWORD",
        "spark.oauth.client.Token",
        "spark.gcs.private-key-id",
        "spark.hadoop.credential.provider",
        "spark.x.partition.key.secret"
      })
  void secretKeysAreMasked(String key) {
    assertThat(Redaction.isSecretKey(key)).as(key).isTrue();
    assertThat(Redaction.value(key, "s3cr3t")).isEqualTo(Redaction.MASK);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spark.sql.shuffle.partitions",
        "spark.sql.iceberg.partition.key",
        "output.pseudonymize-key-env",
        "input.columns.customer-id",
        "segment.som.grid"
      })
  void otherKeysAreShown(String key) {
    assertThat(Redaction.isSecretKey(key)).as(key).isFalse();
    assertThat(Redaction.value(key, "plain")).isEqualTo("plain");
  }

  @Test
  void userInformationAndSecretParametersAreMaskedInAnyText() {
    assertThat(Redaction.text("Cannot read input hdfs://ann:hunter2@nn:8020/tx: refused"))
        .isEqualTo("Cannot read input hdfs://***@nn:8020/tx: refused");
    assertThat(Redaction.text("file://user:pass@host/data and s3a://AKIA:key@bucket/x"))
        .isEqualTo("file://***@host/data and s3a://***@bucket/x");
    assertThat(Redaction.text("jdbc:postgresql://db/x?user=ann&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/x?user=ann&password=***&ssl=true");
    assertThat(Redaction.text("jdbc:sqlserver://db;user=ann;password=hunter2;encrypt=true"))
        .isEqualTo("jdbc:sqlserver://db;user=ann;password=***;encrypt=true");
    assertThat(Redaction.text("https://login/token?client_id=app&client_secret=abc&scope=x"))
        .isEqualTo("https://login/token?client_id=app&client_secret=***&scope=x");
    assertThat(Redaction.text("/plain/path/without secrets?rows=5")).isEqualTo("/plain/path/without secrets?rows=5");
    assertThat(Redaction.text(null)).isNull();
  }
}
