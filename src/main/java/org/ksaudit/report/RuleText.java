package org.ksaudit.report;

import java.util.ArrayList;
import java.util.List;
import org.ksaudit.check.RuleWords;

/**
 * A rule's text in the form a baseline compares: its {@link RuleWords words} joined by one blank,
 * without packet counters ({@code [0:0]}) or comments, which change without changing the rule.
 */
public final class RuleText {
  private RuleText() {}

  public static String normalised(String line) {
    List<String> words = RuleWords.split(line);
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
}
