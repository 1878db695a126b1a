package dev.lifecycle.core.config;

import dev.lifecycle.core.LifecycleException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A config file's text, checked before Java's properties parser sees it. */
final class ConfigFileText {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private ConfigFileText() {}

  /** The file as UTF-8 without its byte order mark; an invalid byte is named by line and column. */
  static String read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int start = startsWithBom(bytes) ? BOM.length : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      int bad = in.position();
      String before = new String(bytes, start, bad - start, StandardCharsets.UTF_8);
      int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
      int column = 1 + before.length() - (before.lastIndexOf('\n') + 1);
      throw new IOException(
          String.format(
              "byte 0x%02X at line %d, column %d is not UTF-8 (save the file as UTF-8)", bytes[bad] & 0xFF, line, column));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** The line (from 1) each key is given on; fails, naming both lines, when a key is given twice. */
  static Map<String, Integer> keyLines(String text, Path file) throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      int first = i;
      StringBuilder logical = new StringBuilder(lines.get(i));
      while (continues(lines.get(i)) && i + 1 < lines.size()) {
        logical.append('\n').append(lines.get(++i));
      }
      String trimmed = logical.toString().strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
        continue;
      }
      Properties one = new Properties();
      one.load(new StringReader(logical.toString()));
      for (String key : one.stringPropertyNames()) {
        Integer earlier = seen.putIfAbsent(key, first + 1);
        if (earlier != null) {
          throw LifecycleException.config(
              "Cannot read config file " + file + ": key '" + key + "' is given twice, on lines " + earlier
                  + " and " + (first + 1));
        }
      }
    }
    return seen;
  }

  /** A line ending in an odd number of backslashes continues on the next one. */
  private static boolean continues(String line) {
    int backslashes = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  private static boolean startsWithBom(byte[] bytes) {
    return bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
  }
}
