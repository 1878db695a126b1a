package dev.lifecycle.jobs.ingest;

import dev.lifecycle.core.LifecycleException;
import dev.lifecycle.core.config.ConfigKey;
import dev.lifecycle.spark.table.Columns;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code output.pseudonymize-ids}: every customer id is replaced, as it is read, by a keyed hash
 * (HMAC-SHA256, its first 128 bits as 32 hex digits), so no table, reject or log holds a real id.
 * The same id and key always give the same pseudonym, so snapshots still join; without the key
 * nobody can recompute or reverse one. The key comes from an environment variable of the driver
 * and travels to executors only inside the serialized hash function.
 */
public final class Pseudonyms {
  /** A shorter key is too easy to guess. */
  static final int MIN_KEY_LENGTH = 16;

  private Pseudonyms() {}

  /**
   * The key in the named environment variable; a missing or short one is a config error (exit 2)
   * that names the variable, never its value.
   */
  public static byte[] key(String variable, UnaryOperator<String> environment) {
    String key = environment.apply(variable);
    if (key == null || key.isEmpty()) {
      throw LifecycleException.config(
          "Config key '" + ConfigKey.OUTPUT_PSEUDONYMIZE_IDS.key() + "' is true but the environment variable "
              + variable + " that holds its key is not set (name another with '"
              + ConfigKey.OUTPUT_PSEUDONYMIZE_KEY_ENV.key() + "')");
    }
    if (key.length() < MIN_KEY_LENGTH) {
      throw LifecycleException.config(
          "The key in environment variable " + variable + " is shorter than " + MIN_KEY_LENGTH
              + " characters; use a long random one");
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The input with its customer-id column, as text, replaced by pseudonyms. A missing or blank id
   * stays missing, so it is still rejected as such.
   */
  static Dataset<Row> apply(Dataset<Row> raw, String customerIdColumn, byte[] key) {
    return raw.withColumn(
        customerIdColumn,
        functions
            .udf(new KeyedHash(key), DataTypes.StringType)
            .apply(Transactions.normalizedId(Columns.quoted(customerIdColumn))));
  }

  /** HMAC-SHA256 of the UTF-8 text under the key, first 16 bytes in hex; null stays null. */
  static final class KeyedHash implements UDF1<String, String> {
    private final byte[] key;
    private transient Mac mac;

    KeyedHash(byte[] key) {
      this.key = key.clone();
    }

    @Override
    public String call(String id) throws GeneralSecurityException {
      if (id == null) {
        return null;
      }
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
      }
      byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    }

    @Override
    public String toString() {
      return "KeyedHash"; // never the key
    }
  }
}
