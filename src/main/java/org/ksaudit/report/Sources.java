package org.ksaudit.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The text of the input files, by the name findings use, so a report can show any line. */
public final class Sources {
  private final Map<String, String[]> lines = new HashMap<>();

  public Sources add(String file, String text) {
    lines.put(file, text.split("\n", -1));
    return this;
  }

  /** The names of the files, sorted. */
  public List<String> files() {
    return lines.keySet().stream().sorted().toList();
  }

  /** The line as written (1-based), or "" when unknown. */
  public String line(String file, int line) {
    String[] l = lines.get(file);
    if (l == null || line < 1 || line > l.length) return "";
    String s = l[line - 1];
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
