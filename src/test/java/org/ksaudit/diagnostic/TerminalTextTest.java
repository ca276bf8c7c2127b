package org.ksaudit.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ksaudit.testsupport.ControlChars;

/**
 * The escaping rule: C0 controls but newline and tab, DEL, C1 controls, bidi and zero-width
 * format characters, line and paragraph separators and unpaired surrogates never reach a
 * terminal as they are.
 */
class TerminalTextTest {
  @Test
  void everyControlIsEscapedInTextAndInLines() {
    for (int cp : ControlChars.all()) {
      String s = "a" + new String(Character.toChars(cp)) + "b";
      for (String shown : new String[] {TerminalText.text(s), TerminalText.line(s)}) {
        assertFalse(shown.codePoints().anyMatch(c -> c == cp), Integer.toHexString(cp) + " reached the output: " + shown);
        assertEquals("a" + ControlChars.escaped(cp) + "b", shown);
      }
    }
  }

  @Test
  void escapesAreWrittenAsCatVAndShellCheckDo() {
    assertEquals("\\x1b[2J", TerminalText.text("\u001b[2J"));
    assertEquals("\\x07\\x00\\x7f", TerminalText.text("\u0007\u0000\u007f"));
    assertEquals("x\\r", TerminalText.text("x\r"));
    assertEquals("\\u009b\\u202e\\u2066", TerminalText.text("\u009b\u202e\u2066"));
    assertEquals("\\U000e0001", TerminalText.text(new String(Character.toChars(0xe0001))));
    assertEquals("\\ud800x", TerminalText.text("\ud800x"));
  }

  @Test
  void newlineAndTabAreKeptInTextAndNewlineEscapedInALine() {
    assertEquals("a\n\tb", TerminalText.text("a\n\tb"));
    assertEquals("a\\x0a\tb", TerminalText.line("a\n\tb"));
  }

  @Test
  void printableTextIsLeftAlone() {
    String s = "-A OUTPUT -m comment --comment \"日本語 café 😀 e\u0301\" -j ACCEPT";
    assertEquals(s, TerminalText.line(s));
  }

  @Test
  void widthsFollowTheTerminal() {
    assertEquals(1, TerminalText.width('a'));
    assertEquals(2, TerminalText.width('日'));
    assertEquals(2, TerminalText.width('한'));
    assertEquals(2, TerminalText.width(0x1f600));
    assertEquals(2, TerminalText.width(0xff21));
    assertEquals(0, TerminalText.width(0x0301));
    assertEquals(4, TerminalText.width(0x1b));
    assertEquals(6, TerminalText.width(0x202e));
  }
}
