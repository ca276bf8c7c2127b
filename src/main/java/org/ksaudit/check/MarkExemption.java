package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.analysis.TargetAction;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Table;

/**
 * The packet-mark tests of a ruleset's OUTPUT path: which rule exempts marked packets from a
 * refusal (wg-quick's {@code -m mark ! --mark 0xca6c ... -j REJECT}), and which mark values
 * the rules look for, so a marked finding names the mark that matters.
 */
final class MarkExemption {
  private MarkExemption() {}

  /** Tables a locally generated packet crosses (see {@link org.ksaudit.analysis.Path#OUTPUT}). */
  private static final Set<String> OUTPUT_TABLES = Set.of("raw", "mangle", "nat", "filter", "security");
  /** Built-in chains a locally generated packet never crosses. */
  private static final Set<String> OTHER_HOOKS = Set.of("PREROUTING", "INPUT", "FORWARD");

  /** The first rule that drops or rejects packets unless their mark matches, and {@code mark} does. */
  static Optional<Rule> find(RulesetAnalysis a, long mark) {
    for (RuleDecoder.Decoded d : decoded(a)) {
      boolean refuses = d.action() instanceof TargetAction.Terminal t && t.verdict() != Verdict.ACCEPT;
      if (!refuses) continue;
      for (Condition c : d.conditions()) {
        if (c instanceof Condition.MarkIs m && !m.conn() && m.negated() && (mark & m.mask()) == m.value()) return Optional.of(d.rule());
      }
    }
    return Optional.empty();
  }

  /** One preference per mark value the rules test, in rule order. */
  static List<PacketSet> testedMarks(RulesetAnalysis a, SetScope s) {
    List<PacketSet> out = new ArrayList<>();
    for (RuleDecoder.Decoded d : decoded(a)) {
      for (Condition c : d.conditions()) {
        if (c instanceof Condition.MarkIs m && !m.conn() && m.value() != 0) out.add(s.where(PacketField.MARK, m.value()));
      }
    }
    return out;
  }

  private static List<RuleDecoder.Decoded> decoded(RulesetAnalysis a) {
    List<RuleDecoder.Decoded> out = new ArrayList<>();
    for (Table t : a.ruleset().tables()) {
      if (!OUTPUT_TABLES.contains(t.name())) continue;
      for (Chain c : t.chains()) {
        if (OTHER_HOOKS.contains(c.name())) continue;
        for (Rule r : c.rules()) out.add(a.decode(t, r));
      }
    }
    return out;
  }
}
