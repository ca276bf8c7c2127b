package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.Reachability;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Ruleset;

/** KS108: a rule that never matches: redundant, impossible, or in a chain nothing calls. */
public final class UnreachableRuleCheck implements Check {
  static final CheckInfo INFO = new CheckInfo(
      "KS108",
      Category.UNREACHABLE_RULE,
      Severity.INFO,
      "a rule can never match",
      """
      No packet ever reaches this rule and matches it: earlier rules of its chain, or of a chain
      they jump to, already take every packet it would match and do the same with them (the
      rule is redundant; the finding names the rule that takes most of them), its
      matches contradict what reaches its chain, or its chain is not called from any built-in
      chain.""",
      """
      It does not leak by itself, but it shows that the ruleset does not do what its author
      read into it: a killswitch is usually edited by adding rules, and an edit that lands
      after the rule that really decides has no effect.""",
      """
      -A OUTPUT -o tun0 -j ACCEPT
      -A OUTPUT -o tun0 -p udp -m udp --dport 53 -j ACCEPT""",
      """
      -A OUTPUT -o tun0 -j ACCEPT""",
      List.of("Al-Shaer and Hamed, Firewall Policy Advisor: anomaly discovery (redundancy)"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  public AuditContext.Purpose purpose() {
    return AuditContext.Purpose.REACHABILITY;
  }

  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Ruleset rs : ctx.rulesets()) {
      for (Reachability.Dead d : ctx.analysis(rs, AuditContext.Purpose.REACHABILITY).reachability().dead()) {
        if (d.by().isPresent() && !d.sameEffect()) continue;
        String msg;
        if (d.chainUnused()) {
          msg = "chain " + d.chain().name() + " of table " + d.table().name() + " is not called from any built-in chain: its "
              + d.chain().rules().size() + (d.chain().rules().size() == 1 ? " rule never runs" : " rules never run");
        } else if (d.by().isPresent()) {
          msg = "this rule never matches: " + ShadowedRuleCheck.taker(d) + " takes its packets before they reach it"
              + " and does the same with them";
        } else {
          msg = "this rule never matches: no packet that reaches chain " + d.chain().name() + " matches it";
        }
        out.add(new Finding(INFO.id(), INFO.category(), FindingKind.RULESET, Severity.INFO, Certainty.DEFINITE, rs.file(),
            Optional.of(Locations.ofRule(d.rule(), List.of())), msg, Optional.empty(), List.of()));
      }
    }
    return out;
  }
}
