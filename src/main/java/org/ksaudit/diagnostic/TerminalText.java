package org.ksaudit.diagnostic;

/**
 * Text as it may reach a terminal. Rulesets, probe files and arguments are written by others:
 * an ESC, a carriage return or a bidi override in a comment, a chain name or a file name could
 * clear the screen, move the cursor or reorder what is shown, and so print a fake "no findings"
 * line. Every character that controls a terminal instead of showing a glyph is shown escaped,
 * as {@code cat -v} and ShellCheck do: C0 controls and DEL as {@code \x1b} (a carriage return
 * as {@code \r}), every other control or invisible format character (C1 controls, bidi
 * embeddings, overrides and isolates, zero-width characters, line and paragraph separators,
 * unpaired surrogates) as a backslash, {@code u} and four hex digits (e.g. u202e for the
 * right-to-left override), beyond the first plane {@code U} and eight. Newline and tab are the only
 * controls shown as they are, and newline only where the text is more than one line.
 */
public final class TerminalText {
  private TerminalText() {}

  /** Whether {@code cp} is shown escaped wherever it appears (newline and tab are decided by the caller). */
  public static boolean unsafe(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE -> true;
      default -> false;
    };
  }

  /** The escaped form of one unsafe code point. */
  public static String escape(int cp) {
    if (cp == '\r') return "\\r";
    if (cp < 0x80) return String.format("\\x%02x", cp);
    if (cp <= 0xffff) return String.format("\\u%04x", cp);
    return String.format("\\U%08x", cp);
  }

  /** Text of several lines: every unsafe character escaped, newlines and tabs kept. */
  public static String text(String s) {
    return escaped(s, false);
  }

  /** Text that must stay one line (a message, a position): a newline inside it is escaped too. */
  public static String line(String s) {
    return escaped(s, true);
  }

  private static String escaped(String s, boolean oneLine) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      int cp = s.codePointAt(i);
      if (needsEscape(cp, oneLine)) break;
      i += Character.charCount(cp);
    }
    if (i == n) return s;
    StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
    while (i < n) {
      int cp = s.codePointAt(i);
      if (needsEscape(cp, oneLine)) b.append(escape(cp));
      else b.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  private static boolean needsEscape(int cp, boolean oneLine) {
    if (cp == '\t') return false;
    if (cp == '\n') return oneLine;
    return unsafe(cp);
  }

  /**
   * The columns a code point takes on a terminal once shown: its escape's length when it is
   * escaped, 0 for a combining mark, 2 for East Asian wide and fullwidth characters and emoji,
   * else 1. A tab is counted as 1: printers that align under a tab repeat the tab instead.
   */
  public static int width(int cp) {
    if (cp == '\t') return 1;
    if (unsafe(cp) || cp == '\n') return escape(cp).length();
    int type = Character.getType(cp);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) return 0;
    return wide(cp) ? 2 : 1;
  }

  /**
   * Unicode's East Asian Wide (W) and Fullwidth (F) ranges (EastAsianWidth.txt), grouped into
   * the blocks terminals draw two columns wide, and the emoji shown as pictures by default.
   */
  private static boolean wide(int cp) {
    if (cp < 0x1100) return false;
    int[] ranges = WIDE;
    for (int k = 0; k < ranges.length; k += 2) {
      if (cp < ranges[k]) return false;
      if (cp <= ranges[k + 1]) return true;
    }
    return false;
  }

  private static final int[] WIDE = {
    0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3,
    0x25fd, 0x25fe, 0x2614, 0x2615, 0x2648, 0x2653, 0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1,
    0x26aa, 0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26ce, 0x26d4, 0x26d4, 0x26ea, 0x26ea,
    0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa, 0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b,
    0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755, 0x2757, 0x2757, 0x2795, 0x2797,
    0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55, 0x2e80, 0x303e,
    0x3041, 0x33ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xa000, 0xa4cf, 0xa960, 0xa97f, 0xac00, 0xd7a3,
    0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6f, 0xff00, 0xff60, 0xffe0, 0xffe6, 0x16fe0, 0x16fe4,
    0x17000, 0x18aff, 0x1b000, 0x1b2ff, 0x1f004, 0x1f004, 0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e,
    0x1f191, 0x1f19a, 0x1f200, 0x1f251, 0x1f300, 0x1f64f, 0x1f680, 0x1f6ff, 0x1f7e0, 0x1f7eb,
    0x1f900, 0x1f9ff, 0x1fa70, 0x1faff, 0x20000, 0x2fffd, 0x30000, 0x3fffd
  };
}
