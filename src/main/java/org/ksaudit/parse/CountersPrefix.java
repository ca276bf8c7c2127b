package org.ksaudit.parse;

import java.util.Optional;

/**
 * The "[packets:bytes]" prefix of a rule line as iptables-restore reads it
 * (tokenize_rule_counters): it needs a ']' and a ':' inside, and because it splits the buffer
 * with strtok, the NULs strtok writes may cut the rule text short ("[5] -A INPUT --dport 1:2"
 * ends at "1"). Gives where the rule text starts and ends, or why the line is refused.
 */
record CountersPrefix(int start, int end, Optional<String> error) {
  static CountersPrefix of(String line, boolean newlineFollows) {
    String buf = newlineFollows ? line + "\n" : line;
    int close = buf.indexOf(']');
    if (close < 0) return refused("need ]");
    // strtok(buffer + 1, ":") skips leading ':' and writes a NUL at the next ':'
    int p = 1;
    while (p < buf.length() && buf.charAt(p) == ':') p++;
    if (p >= buf.length()) return refused("need :");
    int colon = buf.indexOf(':', p);
    int next = colon < 0 ? buf.length() : colon + 1;
    // strtok(NULL, "]") skips leading ']' and writes a NUL at the next ']'
    while (next < buf.length() && buf.charAt(next) == ']') next++;
    if (next >= buf.length()) return refused("need ]");
    int bracket = buf.indexOf(']', next);
    int start = close + 1;
    int end = buf.length();
    if (colon >= start) end = Math.min(end, colon);
    if (bracket >= start) end = Math.min(end, bracket);
    return new CountersPrefix(start, Math.min(end, line.length()), Optional.empty());
  }

  private static CountersPrefix refused(String why) {
    return new CountersPrefix(0, 0, Optional.of(why));
  }
}
