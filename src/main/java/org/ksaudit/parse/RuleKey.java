package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;

/**
 * A rule's content without source positions: how "-D CHAIN rulespec" and "-C" find their rule.
 * The core options are fields of the kernel's entry, so their order does not matter; matches
 * and their options keep their order.
 */
record RuleKey(List<Object> parts) {
  static RuleKey of(Rule r) {
    List<Object> parts = new ArrayList<>();
    for (Match m : r.matches()) {
      List<Option> opts = new ArrayList<>(m.options());
      if (m.module().equals(Match.CORE)) opts.sort(Comparator.comparing(Option::name));
      parts.add(m.module());
      for (Option o : opts) parts.add(List.of(o.name(), o.negated(), o.value()));
    }
    r.target().ifPresent(t -> {
      parts.add("->" + t.name() + (t.isGoto() ? "/goto" : ""));
      for (Option o : t.options()) parts.add(List.of(o.name(), o.negated(), o.value()));
    });
    return new RuleKey(parts);
  }
}
