package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;

/** KS103: IPv6 can leave the host outside the tunnel. */
public final class Ipv6LeakCheck extends RestOfFamilyCheck {
  static final CheckInfo INFO = new CheckInfo(
      "KS103",
      Category.IPV6_LEAK,
      Severity.ERROR,
      "IPv6 traffic can leave outside the tunnel",
      """
      IPv6 packets can leave through an interface other than the tunnel: the ip6tables rules
      let them out, or no IPv6 ruleset was given (on a live host: neither ip6tables-nft-save
      nor ip6tables-legacy-save printed rules) and nothing shows that IPv6 is disabled
      (sysctl net.ipv6.conf.all.disable_ipv6 and net.ipv6.conf.default.disable_ipv6, or
      --no-ipv6 for a host without IPv6).""",
      """
      iptables only filters IPv4. Most networks hand out IPv6 addresses and routes, and many
      VPN configurations only route IPv4 into the tunnel: every connection to a host with an
      AAAA record then leaves in clear, with the user's real address, whatever the IPv4
      killswitch says.""",
      """
      # iptables-save: a complete IPv4 killswitch
      # ip6tables-save: nothing (all chains ACCEPT)""",
      """
      *filter
      :INPUT DROP [0:0]
      :FORWARD DROP [0:0]
      :OUTPUT DROP [0:0]
      -A OUTPUT -o lo -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT
      COMMIT
      # or, without IPv6 in the tunnel: net.ipv6.conf.all.disable_ipv6 = 1
      #                                 net.ipv6.conf.default.disable_ipv6 = 1""",
      List.of("TunnelCrack (Vanhoef et al., USENIX Security 2023)",
          "ip6tables(8); Documentation/networking/ip-sysctl.rst: disable_ipv6"));

  /** Where a replayed witness goes when there are no IPv6 rules: DNS to a documentation address out of eth0. */
  static final Witness MISSING_RULESET_WITNESS = new Witness(Family.IPV6, "udp", "2001:db8::53", 53, "eth0");

  Ipv6LeakCheck() {
    super(Family.IPV6);
  }

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>(super.run(ctx));
    if (ctx.ruleset(Family.IPV6).isEmpty() && !ctx.options().absent(Family.IPV6)) {
      Sysctl.Ipv6 state = ctx.options().sysctl().ipv6();
      if (state == Sysctl.Ipv6.DISABLED) return out;
      Severity sev = state == Sysctl.Ipv6.PARTLY_DISABLED ? Severity.WARNING : Severity.ERROR;
      String missing = ctx.options().origin().missing(Family.IPV6);
      String msg = state == Sysctl.Ipv6.PARTLY_DISABLED
          ? missing + " and IPv6 is only partly disabled (net.ipv6.conf.all and .default must both set "
              + "disable_ipv6 = 1): IPv6 leaves unfiltered on interfaces that keep it"
          : missing + " and no sysctl setting disables IPv6: every IPv6 packet leaves unfiltered";
      out.add(new Finding(INFO.id(), INFO.category(), FindingKind.NEW_CONNECTION, sev, Certainty.DEFINITE, "", Optional.empty(), msg,
          Optional.of(MISSING_RULESET_WITNESS), List.of()));
    }
    return out;
  }

  @Override
  List<PacketSet> preferences(LeakPart p) {
    return DirectLeakCheck.leakPreferences(p);
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    return "IPv6 " + LeakCheck.packets(p.analysis(), p.scope(), p.set());
  }
}
