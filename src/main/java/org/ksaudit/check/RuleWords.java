package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule line's words as iptables-restore splits them: at blanks, except inside double quotes,
 * where a backslash takes the next character; the quotes themselves are no part of a word. So
 * {@code --comment "two words"} is one option and one value, as the kernel holds it.
 */
public final class RuleWords {
  private RuleWords() {}

  public static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '\\' && i + 1 < line.length()) {
        w.append(line.charAt(++i));
      } else if (c == '"') {
        quoted = !quoted;
        inWord = true;
      } else if (!quoted && Character.isWhitespace(c)) {
        if (inWord) out.add(w.toString());
        w.setLength(0);
        inWord = false;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) out.add(w.toString());
    return out;
  }
}
