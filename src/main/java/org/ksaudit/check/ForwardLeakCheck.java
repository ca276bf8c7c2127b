package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Ruleset;

/** KS107: forwarded traffic leaves outside the tunnel. */
public final class ForwardLeakCheck implements Check {
  static final CheckInfo INFO = new CheckInfo(
      "KS107",
      Category.FORWARD_LEAK,
      Severity.ERROR,
      "forwarded traffic (containers, VMs) leaves outside the tunnel",
      """
      Packets the host routes for others (containers, virtual machines, devices sharing its
      connection) can leave through an interface other than the tunnel: the FORWARD chain
      accepts them. The severity follows net.ipv4.ip_forward / net.ipv6.conf.all.forwarding:
      error when the sysctl files given enable forwarding, warning when they do not say,
      info when they disable it.""",
      """
      A killswitch that only covers OUTPUT protects the host's own processes. Docker, libvirt
      and hotspot setups enable forwarding, and their traffic never passes OUTPUT: with a
      permissive FORWARD chain it leaves in clear when the tunnel is gone.""",
      """
      *filter
      :FORWARD ACCEPT [0:0]""",
      """
      *filter
      :FORWARD DROP [0:0]
      -A FORWARD -o tun0 -j ACCEPT
      -A FORWARD -i tun0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT""",
      List.of("Documentation/networking/ip-sysctl.rst: ip_forward"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Ruleset rs : ctx.rulesets()) {
      RulesetAnalysis a = ctx.analysis(rs, AuditContext.Purpose.FORWARD_LEAKS);
      Optional<Boolean> fwd = ctx.options().sysctl().forwarding(rs.family());
      Severity sev = fwd.map(on -> on ? Severity.ERROR : Severity.INFO).orElse(Severity.WARNING);
      String setting = fwd.map(on -> on ? "forwarding is enabled by the sysctl settings given"
          : "forwarding is disabled by the sysctl settings given, so this holds only if it is enabled")
          .orElse("it applies when forwarding is enabled (as Docker and libvirt do)");
      for (Map.Entry<Decider, Integer> e : a.leaks(Path.FORWARD).acceptedBy().entrySet()) {
        a.space().collectIfDue(List.of());
        LeakPart p = new LeakPart(a, e.getKey(), e.getValue(), false);
        Witnesses.Picked w = Witnesses.pick(a, Path.FORWARD, p.set(), DirectLeakCheck.leakPreferences(p));
        // the words read three fields of a set of maybe millions of nodes: one walk, not three
        int shown = a.space().project(p.set(), a.space().proto, a.space().origDst, a.space().oif);
        String msg = "forwarded packets (" + SetText.protocols(a.space(), shown) + ") to " + SetText.destinations(a, shown)
            + " can leave through " + SetText.interfaces(a, shown) + " when the tunnel is gone: "
            + LeakCheck.cause(p) + "; " + setting;
        out.add(new Finding(INFO.id(), INFO.category(), FindingKind.NEW_CONNECTION, sev, w.certainty(), rs.file(),
            Locations.of(p.decider(), List.of()), msg, Optional.empty(), w.trace()));
      }
    }
    return out;
  }
}
