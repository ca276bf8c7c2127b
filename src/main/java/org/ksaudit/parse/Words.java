package org.ksaudit.parse;

/** Turns a lexed word into the argv string iptables would pass on (quotes removed, escapes applied). */
final class Words {
  private Words() {}

  static String unquote(String raw) {
    int q = raw.indexOf('"');
    if (q < 0) return raw;
    StringBuilder sb = new StringBuilder(raw.length());
    sb.append(raw, 0, q);
    for (int k = q + 1; k < raw.length(); k++) {
      char c = raw.charAt(k);
      if (c == '\\' && k + 1 < raw.length()) {
        sb.append(raw.charAt(++k));
      } else if (c == '"') {
        break;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
