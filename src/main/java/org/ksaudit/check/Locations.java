package org.ksaudit.check;

import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.Decider;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;
import org.ksaudit.model.SourcePos;

/** Where a finding points, and how much of the line it underlines. */
final class Locations {
  private Locations() {}

  /**
   * The first of the named options the rule has (an option and its value underlined), else
   * its target, else the rule's start; a policy points at its chain.
   */
  static Optional<Location> of(Decider d, List<String> options) {
    if (d.rule().isPresent()) return Optional.of(ofRule(d.rule().get(), options));
    return d.policyOf().map(c -> new Location(c.pos(), 1, ""));
  }

  static Location ofRule(Rule r, List<String> options) {
    for (String name : options) {
      for (Match m : r.matches()) {
        for (Option o : m.options()) {
          if (o.name().equals(name) && o.pos().line() == r.pos().line()) {
            return new Location(o.pos(), span(r.text(), o.pos().column(), 2), r.text());
          }
        }
      }
    }
    if (r.target().isPresent() && r.target().get().pos().line() == r.pos().line()) {
      SourcePos p = r.target().get().pos();
      return new Location(p, span(r.text(), p.column(), 1), r.text());
    }
    return new Location(r.pos(), span(r.text(), r.pos().column(), 1), r.text());
  }

  /** Length of {@code words} whitespace-separated words of the line starting at a 1-based column. */
  static int span(String line, int column, int words) {
    int i = column - 1;
    if (i < 0 || i >= line.length()) return 1;
    int end = i;
    for (int w = 0; w < words && end < line.length(); w++) {
      while (end < line.length() && Character.isWhitespace(line.charAt(end))) end++;
      while (end < line.length() && !Character.isWhitespace(line.charAt(end))) end++;
    }
    return Math.max(1, end - i);
  }
}
