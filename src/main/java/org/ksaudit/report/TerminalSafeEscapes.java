package org.ksaudit.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import org.ksaudit.diagnostic.TerminalText;

/**
 * The escapes of every JSON document ksaudit writes. Besides what RFC 8259 requires (quote,
 * backslash, C0 controls), every character {@link TerminalText} calls unsafe for a terminal
 * (DEL, C1 controls, bidi and zero-width characters, line separators) is written as a
 * {@code \\u} escape, so a report shown on a terminal cannot drive it. Jackson hands over one
 * UTF-16 unit at a time, so a surrogate cannot be judged with its other half: every surrogate is
 * escaped, which keeps the text the same for a JSON reader and escapes an unsafe character
 * beyond the first plane (a tag character) as well.
 */
final class TerminalSafeEscapes extends CharacterEscapes {
  private static final long serialVersionUID = 1L;

  private final int[] ascii;

  TerminalSafeEscapes() {
    ascii = standardAsciiEscapesForJSON();
    for (int c = 0; c < 0x20; c++) if (c != '\n' && c != '\r' && c != '\t') ascii[c] = ESCAPE_CUSTOM;
    ascii[0x7f] = ESCAPE_CUSTOM;
  }

  @Override
  public int[] getEscapeCodesForAscii() {
    return ascii;
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    if (ch < 0x80 || Character.isSurrogate((char) ch) || TerminalText.unsafe(ch)) {
      return new SerializedString(String.format("\\u%04x", ch));
    }
    return null;
  }
}
