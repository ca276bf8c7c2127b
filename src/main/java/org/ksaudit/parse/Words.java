package org.ksaudit.parse;

/**
 * Turns a lexed word into the argv string iptables builds from it (xshared's
 * add_param_to_argv): quotes removed, a backslash inside quotes taking the next character
 * literally, and a quote left open running to the end of the line, newline included.
 */
final class Words {
  private Words() {}

  static String unquote(String raw, boolean newlineFollows) {
    int q = raw.indexOf('"');
    if (q < 0) return raw;
    StringBuilder sb = new StringBuilder(raw.length());
    sb.append(raw, 0, q);
    boolean open = true;
    for (int k = q + 1; k < raw.length(); k++) {
      char c = raw.charAt(k);
      if (c == '\\' && k + 1 < raw.length()) {
        sb.append(raw.charAt(++k));
      } else if (c == '"') {
        open = false;
        break;
      } else if (c != '\\') {
        sb.append(c);
      }
    }
    if (open && newlineFollows) sb.append('\n');
    return sb.toString();
  }
}
