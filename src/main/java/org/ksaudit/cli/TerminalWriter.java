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
 */
final class TerminalWriter extends Writer {
  private final Writer out;

  TerminalWriter(Writer out) {
    super(out);
    this.out = out;
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
        if (cp != '\n' && cp != '\t' && TerminalText.unsafe(cp)) {
          out.write(buf, start, i - start);
          out.write(TerminalText.escape(cp));
          start = i + n;
        }
        i += n;
      }
      out.write(buf, start, end - start);
    }
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
