package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.List;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;

/** A rule's content without source positions: how "-D CHAIN rulespec" finds the rule to delete. */
record RuleKey(List<Object> parts) {
  static RuleKey of(Rule r) {
    List<Object> parts = new ArrayList<>();
    for (Match m : r.matches()) {
      parts.add(m.module());
      for (Option o : m.options()) parts.add(List.of(o.name(), o.negated(), o.value()));
    }
    r.target().ifPresent(t -> {
      parts.add("->" + t.name() + (t.isGoto() ? "/goto" : ""));
      for (Option o : t.options()) parts.add(List.of(o.name(), o.negated(), o.value()));
    });
    return new RuleKey(parts);
  }
}
