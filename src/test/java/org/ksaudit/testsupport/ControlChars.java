package org.ksaudit.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.IntStream;

/**
 * The characters that must never reach a terminal as they are, listed from Unicode's tables
 * (general categories Cc, Cf, Zl, Zp) rather than from ksaudit's code, and their escaped form
 * as the README states it: backslash-r for a carriage return, backslash-x and two hex digits
 * below 0x80, backslash-u and four hex digits in the first plane, backslash-U and eight beyond.
 */
public final class ControlChars {
  private ControlChars() {}

  /** C0 controls but newline and tab, DEL, C1 controls, and the format and separator characters that reorder or hide text. */
  public static int[] all() {
    return IntStream.concat(
        IntStream.concat(IntStream.rangeClosed(0x00, 0x1f).filter(c -> c != '\n' && c != '\t'), IntStream.rangeClosed(0x7f, 0x9f)),
        IntStream.of(0x00ad, 0x061c, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c,
            0x202d, 0x202e, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff, 0xe0001, 0xe0041))
        .toArray();
  }

  public static String escaped(int cp) {
    if (cp == '\r') return "\\r";
    if (cp < 0x80) return String.format("\\x%02x", cp);
    if (cp <= 0xffff) return String.format("\\u%04x", cp);
    return String.format("\\U%08x", cp);
  }

  /** Fails when {@code output} holds any of {@link #all()} as it is (newline and tab are allowed). */
  public static void assertNoneRaw(String output, String what) {
    int[] cps = output.codePoints().toArray();
    for (int k = 0; k < cps.length; k++) {
      int cp = cps[k];
      boolean bad = cp != '\n' && cp != '\t' && (Character.getType(cp) == Character.CONTROL || Character.getType(cp) == Character.FORMAT
          || Character.getType(cp) == Character.LINE_SEPARATOR || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
          || Character.getType(cp) == Character.SURROGATE);
      if (bad) fail(what + ": raw U+" + Integer.toHexString(cp) + " at " + k + " in: " + output);
    }
  }
}
