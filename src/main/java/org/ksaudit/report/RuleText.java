package org.ksaudit.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule's text in the form a baseline compares: its words as iptables-restore splits them
 * (double quotes group, a backslash inside them takes the next character), joined by one blank,
 * without packet counters ({@code [0:0]}) or comments, which change without changing the rule.
 */
final class RuleText {
  private RuleText() {}

  static String normalised(String line) {
    List<String> words = words(line);
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.matches("\\[\\d+:\\d+\\]")) continue;
      boolean commentMatch = (w.equals("-m") || w.equals("--match")) && i + 1 < words.size() && words.get(i + 1).equals("comment");
      if (commentMatch || w.equals("--comment")) {
        i++;
        continue;
      }
      kept.add(w);
    }
    return String.join(" ", kept);
  }

  private static List<String> words(String line) {
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
