package dev.lifecycle.core;

import java.util.stream.IntStream;

/**
 * How a customer id read as text is normalised: the characters in {@link #BLANK} are trimmed from
 * both ends, and an id that is empty once trimmed is missing. {@code BLANK} is every character
 * Java counts as whitespace or as a Unicode space separator (tab, CR, LF, the no-break spaces,
 * the ideographic space, ...), every control character, and the invisible zero-width space,
 * joiners and byte order mark. So {@code "C1\r\n"}, {@code "\u00a0C1"} and {@code "C1"} are one
 * customer, and an id of only a tab or a zero-width space is missing. Characters inside an id are
 * kept.
 */
public final class Ids {
  /** The characters trimmed from both ends of an id, in code point order. */
  public static final String BLANK =
      IntStream.rangeClosed(0, 0xFFFF)
          .filter(Ids::isBlank)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString();

  private Ids() {}

  /** Whether a character is trimmed from the ends of an id. */
  public static boolean isBlank(int c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || Character.getType(c) == Character.CONTROL
        || c == 0x200B // zero-width space
        || c == 0x200C // zero-width non-joiner
        || c == 0x200D // zero-width joiner
        || c == 0x2060 // word joiner
        || c == 0xFEFF; // zero-width no-break space, byte order mark
  }

  /** The normalised id, or null when it is missing. */
  public static String normalize(String id) {
    if (id == null) {
      return null;
    }
    int start = 0;
    int end = id.length();
    while (start < end && isBlank(id.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(id.charAt(end - 1))) {
      end--;
    }
    return start == end ? null : id.substring(start, end);
  }
}
