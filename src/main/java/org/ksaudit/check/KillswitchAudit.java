package org.ksaudit.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Ruleset;

/**
 * The killswitch audit: runs every check over the rulesets (at most one IPv4 and one IPv6)
 * in the scenario "the tunnel is gone" and returns the findings, most severe first.
 */
public final class KillswitchAudit {
  private KillswitchAudit() {}

  /** Every check, in ID order. */
  public static List<Check> checks() {
    return List.of(new DefaultPolicyCheck(), new DnsLeakCheck(), new Ipv6LeakCheck(), new VpnEndpointCheck(),
        new LanExemptionCheck(), new DirectLeakCheck(), new ForwardLeakCheck(), new UnreachableRuleCheck(),
        new ShadowedRuleCheck(), new UndefinedChainCheck());
  }

  public static Optional<Check> check(String idOrCategory) {
    return checks().stream()
        .filter(c -> c.info().id().equalsIgnoreCase(idOrCategory) || c.info().category().jsonName().equals(idOrCategory))
        .findFirst();
  }

  public static List<Finding> audit(List<Ruleset> rulesets, AuditOptions options) {
    AuditContext ctx = new AuditContext(rulesets, options);
    List<Finding> out = new ArrayList<>();
    // one purpose at a time, each analysis dropped when its checks are done (memory on large rulesets)
    for (Check c : checks()) if (c instanceof LeakCheck) out.addAll(c.run(ctx));
    ctx.release(AuditContext.Purpose.OUTPUT_LEAKS);
    for (Check c : checks()) if (c instanceof ForwardLeakCheck) out.addAll(c.run(ctx));
    ctx.release(AuditContext.Purpose.FORWARD_LEAKS);
    for (Check c : checks()) if (!(c instanceof LeakCheck) && !(c instanceof ForwardLeakCheck)) out.addAll(c.run(ctx));
    ctx.release(AuditContext.Purpose.REACHABILITY);
    out.sort(ORDER);
    return List.copyOf(out);
  }

  /** Most severe first, then by file and line, then by ID: a stable order for reports and golden files. */
  static final Comparator<Finding> ORDER = Comparator.comparing((Finding f) -> f.severity()).reversed()
      .thenComparing(Finding::file)
      .thenComparing(f -> f.line().orElse(0))
      .thenComparing(Finding::id)
      .thenComparing(Finding::message);
}
