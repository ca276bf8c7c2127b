package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.model.Target;

/** KS110: a jump to a chain the table does not have. */
public final class UndefinedChainCheck implements Check {
  static final CheckInfo INFO = new CheckInfo(
      "KS110",
      Category.UNDEFINED_CHAIN,
      Severity.ERROR,
      "a rule jumps to a chain that does not exist",
      """
      The target of -j or -g is neither a chain of the rule's table nor a target iptables
      knows. iptables-restore --test lets some of these through; the real commit refuses the
      whole table, so the killswitch is not loaded at all. (When the syntax check already
      reports it, the audit does not run; this check covers rulesets handed to the audit
      directly.)""",
      """
      A killswitch that fails to load leaves the previous rules, or none, in place: nothing
      is filtered while the user believes the killswitch is active. The analysis cannot know
      what the missing chain would decide, so it treats the verdict as unknown.""",
      """
      -A OUTPUT -j vpn-killswitch
      # no ":vpn-killswitch - [0:0]" in this table""",
      """
      :vpn-killswitch - [0:0]
      -A OUTPUT -j vpn-killswitch""",
      List.of("iptables-restore(8)"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  public AuditContext.Purpose purpose() {
    return AuditContext.Purpose.RULES;
  }

  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Ruleset rs : ctx.rulesets()) {
      for (Table t : rs.tables()) {
        Set<String> names = new java.util.HashSet<>();
        for (Chain c : t.chains()) names.add(c.name());
        for (Chain c : t.chains()) {
          for (Rule r : c.rules()) {
            if (r.target().isEmpty()) continue;
            Target tg = r.target().get();
            if (names.contains(tg.name()) || Catalog.STANDARD_TARGETS.contains(tg.name())) continue;
            if (!tg.isGoto() && Catalog.DEFAULT.target(tg.name(), rs.family()).isPresent()) continue;
            out.add(new Finding(INFO.id(), INFO.category(), FindingKind.RULESET, Severity.ERROR, Certainty.DEFINITE, rs.file(),
                Optional.of(new Location(tg.pos(), Math.max(1, tg.name().length()), r.text())),
                "chain \"" + tg.name() + "\" does not exist in table " + t.name()
                    + ": the kernel refuses to load this table, and the analysis treats the verdict as unknown",
                Optional.empty(), List.of()));
          }
        }
      }
    }
    return out;
  }
}
