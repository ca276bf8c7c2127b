package org.ksaudit.report;

/** The little JSON ksaudit writes: strings escaped per RFC 8259, numbers, null, and appending helpers. */
public final class Json {
  private final StringBuilder sb = new StringBuilder();

  /** A JSON string literal for {@code s}; shared by every JSON writer in ksaudit. */
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
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
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
