package org.ksaudit.report;

import org.ksaudit.diagnostic.TerminalText;

/** The little JSON ksaudit writes: strings escaped per RFC 8259, numbers, null, and appending helpers. */
public final class Json {
  private final StringBuilder sb = new StringBuilder();

  /**
   * A JSON string literal for {@code s}; shared by every JSON writer in ksaudit. Besides what
   * RFC 8259 requires (quote, backslash, C0 controls), every character {@link TerminalText}
   * escapes for a terminal (DEL, C1 controls, bidi and zero-width characters, line separators,
   * unpaired surrogates) is written as a {@code \\u} escape, so a JSON report shown on a terminal
   * cannot drive it either.
   */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          int cp = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
              ? Character.toCodePoint(c, s.charAt(i + 1)) : c;
          if (TerminalText.unsafe(cp)) {
            for (char u : Character.toChars(cp)) b.append(String.format("\\u%04x", (int) u));
          } else {
            b.appendCodePoint(cp);
          }
          i += Character.charCount(cp) - 1;
        }
      }
    }
    return b.append('"').toString();
  }

  Json raw(String s) {
    sb.append(s);
    return this;
  }

  Json str(String s) {
    sb.append(quote(s));
    return this;
  }

  /** {@code "key":} */
  Json key(String k) {
    sb.append(quote(k)).append(':');
    return this;
  }

  Json num(long n) {
    sb.append(n);
    return this;
  }

  Json nul() {
    sb.append("null");
    return this;
  }

  Json comma() {
    sb.append(',');
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
