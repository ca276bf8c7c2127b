package org.ksaudit.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.analysis.TargetAction;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Table;

/**
 * Allowances written as {@code RETURN} into an ACCEPT policy: a killswitch chain whose
 * {@code -d 192.168.0.0/16 -j RETURN} hands LAN traffic back to OUTPUT, whose policy accepts
 * it. The engine credits such packets to the policy; this gives each RETURN rule of a user
 * chain what the policy accepts among the packets it matches (the first such rule in the
 * file takes them), so the allowance is weighed as the same rule with {@code -j ACCEPT} would
 * be. What no RETURN rule matches stays the policy's.
 */
final class ReturnAllowances {
  private ReturnAllowances() {}

  /** Beyond this many RETURN rules the policy keeps its packets: the split costs a walk of the set per rule. */
  private static final int MAX_RULES = 200;

  static Map<Decider, PacketSet> attribute(RulesetAnalysis a, SetScope s, Map<Decider, PacketSet> leaks) {
    if (leaks.keySet().stream().noneMatch(Decider::isPolicy)) return leaks;
    Map<Decider, PacketSet> out = new LinkedHashMap<>();
    for (Map.Entry<Decider, PacketSet> e : leaks.entrySet()) {
      Decider d = e.getKey();
      Optional<Table> table = a.ruleset().table(d.table());
      List<Rule> returns = table.map(ReturnAllowances::returnRules).orElse(List.of());
      if (!d.isPolicy() || returns.isEmpty() || returns.size() > MAX_RULES) {
        out.merge(d, e.getValue(), PacketSet::or);
        continue;
      }
      PacketSet rest = e.getValue();
      for (Rule r : returns) {
        PacketSet piece = rest.and(a.matchedBy(s, table.get(), r, d.chain()));
        if (piece.isEmpty()) continue;
        out.merge(Decider.rule(d.table(), chainOf(table.get(), r), r), piece, PacketSet::or);
        rest = rest.minus(piece);
      }
      if (!rest.isEmpty()) out.merge(d, rest, PacketSet::or);
    }
    return out;
  }

  /** The RETURN rules of a table's user chains, in file order. */
  private static List<Rule> returnRules(Table t) {
    return t.chains().stream().filter(c -> c.policy().isEmpty()).flatMap(c -> c.rules().stream())
        .filter(r -> isReturn(t, r)).toList();
  }

  private static boolean isReturn(Table t, Rule r) {
    return r.target().filter(x -> x.name().equals("RETURN") && !x.isGoto()).isPresent();
  }

  private static String chainOf(Table t, Rule r) {
    for (Chain c : t.chains()) if (c.rules().contains(r)) return c.name();
    throw new IllegalStateException("rule without a chain");
  }

  /** Whether a rule hands packets back to its caller: the cause of a leak it is credited with is the policy behind it. */
  static boolean returns(RuleDecoder.Decoded d) {
    return d.action() instanceof TargetAction.Return;
  }
}
