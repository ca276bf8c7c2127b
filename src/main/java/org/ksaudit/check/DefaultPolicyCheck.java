package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Policy;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;

/** KS101: a built-in filter chain whose policy lets packets through. */
public final class DefaultPolicyCheck implements Check {
  static final CheckInfo INFO = new CheckInfo(
      "KS101",
      Category.DEFAULT_POLICY,
      Severity.WARNING,
      "OUTPUT, FORWARD or INPUT is not default-deny",
      """
      The policy of a built-in chain of the filter table is ACCEPT (or the dump has no filter
      table, which leaves the kernel's ACCEPT policies in place), and some packets reach it.""",
      """
      A killswitch must fail closed: whatever no rule anticipated must be dropped. With an
      ACCEPT policy every packet the rules forgot leaves the host, and a rule deleted or
      reordered by a VPN client or a firewall manager reopens the leak silently.""",
      """
      *filter
      :OUTPUT ACCEPT [0:0]
      -A OUTPUT ! -o tun0 -p udp -m udp --dport 53 -j DROP
      COMMIT""",
      """
      *filter
      :OUTPUT DROP [0:0]
      -A OUTPUT -o lo -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT
      -A OUTPUT -o eth0 -d 198.51.100.1/32 -p udp -m udp --dport 1194 -j ACCEPT
      COMMIT""",
      List.of("iptables(8): TARGETS, -P/--policy"));

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
      Optional<Table> filter = rs.table("filter");
      for (String name : List.of("OUTPUT", "FORWARD", "INPUT")) {
        Optional<Chain> chain = filter.flatMap(t -> t.chain(name));
        if (chain.isPresent() && chain.get().policy().orElse(Policy.ACCEPT) == Policy.DROP) continue;
        // a final catch-all rule makes the policy unreachable: the chain is default-deny in effect
        if (chain.isPresent() && !ctx.analysis(rs, AuditContext.Purpose.REACHABILITY).reachability().policyReached(chain.get())) continue;
        Severity sev = name.equals("INPUT") ? Severity.INFO : Severity.WARNING;
        String msg = chain.isPresent()
            ? "the policy of " + name + " is ACCEPT: packets no rule decides " + verb(name)
            : "no filter table: the kernel's default policy ACCEPT applies to " + name;
        out.add(new Finding(INFO.id(), INFO.category(), FindingKind.RULESET, sev, Certainty.DEFINITE, rs.file(),
            chain.map(c -> new Location(c.pos(), 1, "")), msg, Optional.empty(), List.of()));
      }
    }
    return out;
  }

  private static String verb(String chain) {
    return switch (chain) {
      case "OUTPUT" -> "leave the host";
      case "FORWARD" -> "are forwarded";
      default -> "are delivered";
    };
  }
}
