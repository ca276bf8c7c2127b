package org.ksaudit.cli;

import java.io.IOException;
import java.io.Writer;
import org.ksaudit.diagnostic.TerminalText;

/**
 * The one door to standard output and standard error: whatever a command, picocli or the lab
 * writes passes here, and every character {@link TerminalText} calls unsafe leaves escaped.
 * Printers that align text (the diagnostic caret) escape it themselves first, so what reaches
 * this writer from them is already plain.
 */
final class TerminalWriter extends Writer {
  private final Writer out;
  /** A high surrogate whose low half has not been written yet. */
  private char pendingHigh;

  TerminalWriter(Writer out) {
    super(out);
    this.out = out;
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    synchronized (lock) {
      int start = off;
      int end = off + len;
      for (int i = off; i < end; i++) {
        char c = buf[i];
        if (pendingHigh != 0) {
          char high = pendingHigh;
          pendingHigh = 0;
          if (Character.isLowSurrogate(c)) {
            emit(Character.toCodePoint(high, c));
            start = i + 1;
            continue;
          }
          out.write(TerminalText.escape(high));
        }
        if (Character.isHighSurrogate(c)) {
          out.write(buf, start, i - start);
          if (i + 1 < end) {
            if (Character.isLowSurrogate(buf[i + 1])) {
              emit(Character.toCodePoint(c, buf[i + 1]));
              i++;
            } else {
              out.write(TerminalText.escape(c));
            }
          } else {
            pendingHigh = c;
          }
          start = i + 1;
        } else if (c != '\n' && c != '\t' && TerminalText.unsafe(c)) {
          out.write(buf, start, i - start);
          out.write(TerminalText.escape(c));
          start = i + 1;
        }
      }
      out.write(buf, start, end - start);
    }
  }

  private void emit(int cp) throws IOException {
    if (TerminalText.unsafe(cp)) out.write(TerminalText.escape(cp));
    else out.write(Character.toChars(cp));
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (pendingHigh != 0) out.write(TerminalText.escape(pendingHigh));
      pendingHigh = 0;
      out.close();
    }
  }
}
