package dev.lifecycle.core;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets out of everything the product writes or prints: the manifest's config, its error field,
 * the CLI's messages and its run summary. By rule, not by list of keys:
 *
 * <ul>
 *   <li>a setting whose key contains, in any case, secret, password, passwd, pwd, token, key,
 *       credential, authorization, signing, apikey, sas or private has its whole value replaced by
 *       {@value #MASK}; the phrases in {@link #NOT_SECRET} (such as {@code partition.key}) do not
 *       count;
 *   <li>in any other text, a URI's user information ({@code scheme://user:pass@host}) and the
 *       value of every query or JDBC parameter whose name is secret by the rule above
 *       ({@code ?password=...}, {@code ;client_secret=...}) are replaced by {@value #MASK}.
 * </ul>
 *
 * The log layout (log4j2.properties) applies the same two text rules to every log line.
 */
public final class Redaction {
  public static final String MASK = "***";

  /** The words that make a key secret, anywhere in it, in any case. */
  private static final Pattern SECRET_WORD =
      Pattern.compile("secret|password|passwd|pwd|token|key|credential|authorization|signing|sas|private");

  /**
   * Phrases with a secret word that name no secret; removed from a key before the rule is
   * applied, so {@code partition.key} is shown but {@code partition.key.secret} is not.
   */
  public static final List<String> NOT_SECRET =
      List.of(
          "partition.key", "partition-key", "primary.key", "primary-key", "sort.key", "sort-key",
          "key.serializer", "key.deserializer", "pseudonymize-key-env");

  /** scheme://userinfo@ */
  private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s?#]+@");

  /** A parameter of a URI's query or a JDBC URL: its separator, name and value. */
  private static final Pattern PARAMETER = Pattern.compile("([?&;])([^=&;#\\s?]+)=([^&;#\\s]*)");

  private Redaction() {}

  /** Whether a setting of this key holds a secret. */
  public static boolean isSecretKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String phrase : NOT_SECRET) {
      lower = lower.replace(phrase, " ");
    }
    return SECRET_WORD.matcher(lower).find();
  }

  /** A setting's value as it may be shown. */
  public static String value(String key, String value) {
    return isSecretKey(key) ? MASK : text(value);
  }

  /** Any text (a message, a URI, a path) with user information and secret parameters masked. */
  public static String text(String text) {
    if (text == null) {
      return null;
    }
    String noUser = USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    Matcher parameter = PARAMETER.matcher(noUser);
    StringBuilder out = new StringBuilder();
    while (parameter.find()) {
      String shown =
          isSecretKey(parameter.group(2))
              ? parameter.group(1) + parameter.group(2) + "=" + MASK
              : parameter.group();
      parameter.appendReplacement(out, Matcher.quoteReplacement(shown));
    }
    parameter.appendTail(out);
    return out.toString();
  }
}
