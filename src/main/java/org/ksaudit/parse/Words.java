package org.ksaudit.parse;

import java.util.Optional;

/**
 * Turns a lexed word into the argv string iptables builds from it (xshared's
 * add_param_to_argv): quotes removed, a backslash inside quotes taking the next character
 * literally, and a quote left open running to the end of the line, newline included.
 */
final class Words {
  private Words() {}

  /**
   * The argv string of a word, or empty when it adds none: a quote left open at the very end of
   * a line without a newline (cut by a NUL or by the length of a read) with nothing in it adds
   * no parameter, because add_param_to_argv only adds a parameter it has collected characters
   * for once the string ends (iptables-restore 1.8.9: {@code -m "} there is "-m requires an
   * argument").
   */
  static Optional<String> argv(String raw, boolean newlineFollows) {
    int q = raw.indexOf('"');
    if (q < 0) return Optional.of(raw);
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
    if (open && sb.length() == 0) return Optional.empty();
    return Optional.of(sb.toString());
  }
}
