package org.ksaudit.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
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
      error when the sysctl files given enable forwarding, info when they disable it; without
      them, error when the ruleset has Docker's or libvirt's chains (DOCKER-USER,
      DOCKER-FORWARD, LIBVIRT_FWO, ...: those tools enable forwarding), else warning.""",
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
  public AuditContext.Purpose purpose() {
    return AuditContext.Purpose.FORWARD_LEAKS;
  }

  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Ruleset rs : ctx.rulesets()) {
      RulesetAnalysis a = ctx.analysis(rs, AuditContext.Purpose.FORWARD_LEAKS);
      Optional<Boolean> fwd = ctx.options().sysctl().forwarding(rs.family());
      Optional<String> forwarder = forwarderChains(rs);
      Severity sev = fwd.map(on -> on ? Severity.ERROR : Severity.INFO)
          .orElse(forwarder.isPresent() ? Severity.ERROR : Severity.WARNING);
      String setting = fwd.map(on -> on ? "forwarding is enabled by the sysctl settings given"
          : "forwarding is disabled by the sysctl settings given, so this holds only if it is enabled")
          .orElse(forwarder.map(c -> "the host forwards: the ruleset has " + c + "'s chains, which only a forwarding host has")
              .orElse("it applies when forwarding is enabled (as Docker and libvirt do)"));
      SetScope s = ctx.scope(rs, AuditContext.Purpose.FORWARD_LEAKS);
      Map<Decider, PacketSet> leaks = a.letOut(s, Path.FORWARD, RulesetAnalysis.Start.NEW_CONNECTIONS);
      PacketSet all = s.union(leaks.values());
      // rules of one shape (one per ICMP type, one per container) are one finding
      Map<String, List<Decider>> byShape = new LinkedHashMap<>();
      for (Decider d : leaks.keySet()) byShape.computeIfAbsent(LeakPartition.shapeOf(d), k -> new ArrayList<>()).add(d);
      for (List<Decider> group : byShape.values()) {
        PacketSet set = s.union(group.stream().map(leaks::get).toList());
        LeakPart p = new LeakPart(a, s, group, set, Map.of(TrafficKind.OTHER, set), false, RulesetAnalysis.Start.NEW_CONNECTIONS, all);
        Witnesses.Picked w = Witnesses.pick(a, s, Path.FORWARD, p.set(), DirectLeakCheck.leakPreferences(p),
            RulesetAnalysis.Start.NEW_CONNECTIONS, all);
        // the words read a few fields of a set of maybe millions of nodes: one walk, not one per field
        PacketSet shown = SetText.shown(p.set());
        List<String> conds = SetText.conditions(a, s, shown);
        String msg = "forwarded packets (" + SetText.protocols(shown, rs.family()) + (conds.isEmpty() ? "" : ", " + String.join(", ", conds))
            + ") to " + SetText.destinations(a, s, shown)
            + " can leave through " + SetText.interfaces(a, shown) + " when the tunnel is gone: "
            + LeakCheck.cause(p) + "; " + setting;
        List<Location> locations = new ArrayList<>();
        for (Decider d : group) Locations.of(d, List.of()).ifPresent(locations::add);
        Optional<Location> first = locations.isEmpty() ? Optional.empty() : Optional.of(locations.get(0));
        out.add(new Finding(INFO.id(), INFO.category(), FindingKind.NEW_CONNECTION, sev, w.certainty(), rs.file(), first, msg, w.witness(), w.trace(),
            locations, List.of(new Traffic(TrafficKind.OTHER, msg.substring(0, msg.indexOf(" can leave"))))));
      }
    }
    return out;
  }

  /** Chains Docker and libvirt create, by the tool that makes them; they exist only on a host that forwards. */
  private static final Map<String, String> FORWARDER_CHAINS = Map.of("DOCKER", "Docker", "DOCKER-USER", "Docker", "DOCKER-FORWARD", "Docker",
      "DOCKER-ISOLATION-STAGE-1", "Docker", "LIBVIRT_FWO", "libvirt", "LIBVIRT_FWI", "libvirt", "LIBVIRT_FWX", "libvirt",
      // OpenWrt's fw3 builds its FORWARD chain from forwarding_rule and the zones' forward chains: a router
      "forwarding_rule", "OpenWrt");

  /** The tool whose forwarding chains the ruleset holds (Docker, libvirt, OpenWrt's fw3), if any. */
  static Optional<String> forwarderChains(Ruleset rs) {
    return rs.table("filter").stream().flatMap(t -> t.chains().stream())
        .map(c -> FORWARDER_CHAINS.get(c.name())).filter(java.util.Objects::nonNull).findFirst();
  }
}
