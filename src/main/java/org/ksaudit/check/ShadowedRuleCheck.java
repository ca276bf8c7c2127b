package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.Reachability;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Ruleset;

/** KS109: a rule that never matches because an earlier rule decides its packets differently. */
public final class ShadowedRuleCheck implements Check {
  static final CheckInfo INFO = new CheckInfo(
      "KS109",
      Category.SHADOWED_RULE,
      Severity.WARNING,
      "a rule is shadowed by an earlier rule that decides its packets differently",
      """
      Every packet this rule would match is taken first by an earlier rule of the same chain,
      or of a chain an earlier rule jumps to (Docker's DOCKER-USER), that does something else
      with it; the finding names the rule that takes most of them. The rule never takes effect.""",
      """
      The author meant this rule to decide these packets; another rule does. When the earlier
      rule accepts what this one drops, the killswitch has a hole exactly where its author
      put a guard (a DROP for DNS after a blanket ACCEPT); when it drops what this one accepts,
      the VPN itself may be blocked, and users then switch the killswitch off.""",
      """
      -A OUTPUT -j ACCEPT
      -A OUTPUT ! -o tun0 -p udp -m udp --dport 53 -j DROP""",
      """
      -A OUTPUT ! -o tun0 -p udp -m udp --dport 53 -j DROP
      -A OUTPUT -o tun0 -j ACCEPT""",
      List.of("Al-Shaer and Hamed, Firewall Policy Advisor: anomaly discovery (shadowing)"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  public AuditContext.Purpose purpose() {
    return AuditContext.Purpose.REACHABILITY;
  }

  /** "the rule at line N", with its chain when it is not the dead rule's own (a chain an earlier rule jumps to). */
  static String taker(Reachability.Dead d) {
    String at = "the rule at line " + d.by().orElseThrow().pos().line();
    return d.byChain().filter(c -> c != d.chain()).map(c -> at + " (chain " + c.name() + ")").orElse(at);
  }

  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Ruleset rs : ctx.rulesets()) {
      for (Reachability.Dead d : ctx.analysis(rs, AuditContext.Purpose.REACHABILITY).reachability().dead()) {
        if (d.by().isEmpty() || d.sameEffect()) continue;
        String by = d.by().get().target().map(t -> t.name()).orElse("no target");
        String mine = d.rule().target().map(t -> t.name()).orElse("no target");
        String msg = "this rule (" + mine + ") never takes effect: " + taker(d)
            + " takes its packets before they reach it and does something else with them (" + by + ")";
        out.add(new Finding(INFO.id(), INFO.category(), FindingKind.RULESET, Severity.WARNING, Certainty.DEFINITE, rs.file(),
            Optional.of(Locations.ofRule(d.rule(), List.of())), msg, Optional.empty(), List.of()));
      }
    }
    return out;
  }
}
