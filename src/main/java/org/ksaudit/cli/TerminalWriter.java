package org.ksaudit.cli;

import java.io.IOException;
import java.io.Writer;
import org.ksaudit.diagnostic.TerminalText;

/**
 * The one door to standard output and standard error: whatever a command, picocli or the lab
 * writes passes here, and every character {@link TerminalText} calls unsafe leaves escaped.
 * Printers that align text (the diagnostic caret) escape it themselves first, so what reaches
 * this writer from them is already plain. Writers hand over whole strings, so a surrogate pair
 * is never split between two writes: a surrogate without its other half is unpaired, and escaped.
 * The writer of a coloured report lets one kind of escape sequence pass, SGR ({@code ESC [ digits;… m}),
 * which sets colours and nothing else; that report escapes every text of the input before it
 * paints it, so the sequences that pass are its own.
 */
final class TerminalWriter extends Writer {
  private final Writer out;
  private final boolean passColor;

  TerminalWriter(Writer out) {
    this(out, false);
  }

  TerminalWriter(Writer out, boolean passColor) {
    super(out);
    this.out = out;
    this.passColor = passColor;
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    synchronized (lock) {
      int start = off;
      int end = off + len;
      int i = off;
      while (i < end) {
        char c = buf[i];
        int cp = Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(buf[i + 1])
            ? Character.toCodePoint(c, buf[i + 1]) : c;
        int n = Character.charCount(cp);
        int sgr = passColor && cp == 0x1b ? sgrLength(buf, i, end) : 0;
        if (sgr > 0) {
          n = sgr;
        } else if (cp != '\n' && cp != '\t' && TerminalText.unsafe(cp)) {
          out.write(buf, start, i - start);
          out.write(TerminalText.escape(cp));
          start = i + n;
        }
        i += n;
      }
      out.write(buf, start, end - start);
    }
  }

  /** The length of the SGR sequence at {@code i}, or 0 when none starts there. */
  private static int sgrLength(char[] buf, int i, int end) {
    if (i + 2 >= end || buf[i + 1] != '[') return 0;
    int j = i + 2;
    while (j < end && (Character.isDigit(buf[j]) || buf[j] == ';')) j++;
    return j < end && buf[j] == 'm' ? j - i + 1 : 0;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
