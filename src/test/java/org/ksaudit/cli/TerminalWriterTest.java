package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ksaudit.testsupport.ControlChars;

/** The writer every output goes through: controls leave escaped, everything else as it came. */
class TerminalWriterTest {
  private static String through(String s) throws IOException {
    StringWriter sink = new StringWriter();
    try (TerminalWriter w = new TerminalWriter(sink)) {
      w.write(s);
    }
    return sink.toString();
  }

  @Test
  void everyControlLeavesEscaped() throws IOException {
    for (int cp : ControlChars.all()) {
      String c = new String(Character.toChars(cp));
      assertEquals("a" + ControlChars.escaped(cp) + "b", through("a" + c + "b"), Integer.toHexString(cp));
    }
  }

  @Test
  void linesTabsAndPrintableTextPassUnchanged() throws IOException {
    String s = "line one\n\tcafé 日本 😀 e\u0301\nlast";
    assertEquals(s, through(s));
  }

  @Test
  void unpairedSurrogatesAreEscapedAndPairsKept() throws IOException {
    assertEquals("\\ud83dx\\ude00😀", through("\ud83dx\ude00\ud83d\ude00"));
    assertEquals("x\\ud83d", through("x\ud83d"));
  }

  @Test
  void aLongTextWithControlsSpreadThroughIt() throws IOException {
    char[] text = new char[100_000];
    Arrays.fill(text, 'x');
    for (int i = 0; i < text.length; i += 1000) text[i] = '\u001b';
    String out = through(new String(text));
    assertEquals(100_000 + 100 * 3, out.length());
    assertEquals(-1, out.indexOf('\u001b'));
  }
}
