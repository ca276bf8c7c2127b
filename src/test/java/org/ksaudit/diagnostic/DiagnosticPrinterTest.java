package org.ksaudit.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ksaudit.model.SourcePos;

/**
 * The caret stays under its column whatever precedes it, and a huge line is shown as a window.
 * Expected caret lines are counted by hand from the stated widths: ASCII 1 column, CJK and
 * emoji 2, a combining mark 0, an escape as many columns as it has characters, a tab repeated.
 */
class DiagnosticPrinterTest {
  private static String[] render(String line, int column, int length) {
    Diagnostic d = Diagnostic.error(new SourcePos("f.v4", 1, column), length, "bad", null, line);
    return DiagnosticPrinter.render(d).split("\n");
  }

  @Test
  void afterWideCharacters() {
    // "日本" takes 4 columns; X is code point 6
    String[] out = render("\"日本\" X", 6, 1);
    assertEquals("  \"日本\" X", out[1]);
    assertEquals("  " + " ".repeat(1 + 4 + 1 + 1) + "^", out[2]);
  }

  @Test
  void afterEmojiAndCombiningMarks() {
    // 😀 is one code point two columns wide; e + U+0301 is two code points one column wide
    String[] out = render("😀e\u0301 X", 5, 1);
    assertEquals("  " + " ".repeat(2 + 1 + 0 + 1) + "^", out[2]);
  }

  @Test
  void afterTabsTheTabIsRepeated() {
    String[] out = render("a\tb\tX", 5, 1);
    assertEquals("  a\tb\tX", out[1]);
    assertEquals("   \t \t^", out[2]);
  }

  @Test
  void afterEscapesAndUnderTheEscapedText() {
    // ESC is shown as \x1b (4 columns), U+202E as \u202e (6); the underline covers "\x1b" and "y"
    String[] out = render("a\u202eb\u001by", 4, 2);
    assertEquals("  a\\u202eb\\x1by", out[1]);
    assertEquals("  " + " ".repeat(1 + 6 + 1) + "^~~~~", out[2]);
  }

  @Test
  void aHugeLineIsAWindowAroundItsColumn() {
    int column = 5_000_000;
    String line = "a".repeat(column - 1) + "BAD" + "b".repeat(5_000_000);
    String[] out = render(line, column, 3);
    assertTrue(out[0].startsWith("f.v4:1:5000000: error: bad"), out[0]);
    assertTrue(out[1].startsWith("  ...") && out[1].endsWith("..."), out[1]);
    assertTrue(out[1].length() <= 2 + 3 + DiagnosticPrinter.WINDOW + 3, "shown: " + out[1].length() + " characters");
    int caret = out[2].indexOf('^');
    assertEquals("BAD", out[1].substring(caret, caret + 3));
    assertTrue(out[2].endsWith("^~~"), out[2]);
  }

  @Test
  void aLongLineWithTheColumnNearItsStartIsCutAtTheEndOnly() {
    String line = "-A OUTPUT -j " + "X".repeat(1000);
    String[] out = render(line, 4, 6);
    assertTrue(out[1].startsWith("  -A OUTPUT -j XXX") && out[1].endsWith("..."), out[1]);
    assertEquals("     ^~~~~~", out[2]);
  }
}
