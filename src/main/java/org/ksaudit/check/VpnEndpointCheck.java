package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.Bdd;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketSpace;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.diagnostic.Severity;

/** KS104: the VPN server allowance lets out more than the traffic to the VPN server. */
public final class VpnEndpointCheck extends LeakCheck {
  static final CheckInfo INFO = new CheckInfo(
      "KS104",
      Category.VPN_ENDPOINT_TOO_BROAD,
      Severity.ERROR,
      "the VPN server allowance matches hosts or ports other than the server",
      """
      A killswitch must let the encrypted tunnel traffic reach the VPN server through the
      physical interface. This rule does, but it also lets out packets to other hosts (a
      port-only rule such as "-p udp --dport 1194", a wide address range) or to the server on
      other ports and protocols.

      The same check reports, as info, an allowance by packet mark: wg-quick's killswitch
      ("! -o wg0 -m mark ! --mark 0xca6c ... -j REJECT") lets every packet that carries the
      WireGuard socket's fwmark leave through any interface to any host, not only to the
      server. Info rather than an error: only the WireGuard socket, or a process with
      CAP_NET_ADMIN (SO_MARK), which could as well flush the rules, puts that mark on a
      packet, and MARK rules of the ruleset itself are already followed by the other checks.
      It matters when other software on the host marks its packets with the same value
      (policy routing of another VPN or container tool), and it is certain only as far as
      such software exists: the finding is always "possible".""",
      """
      Anything that matches the allowance leaves in clear. A port-only rule lets any
      application, or an attacker who can choose where the victim connects, reach any host on
      that port outside the tunnel. An allowance for the server's address on every port leaks
      all traffic sent to that address, and an attacker who makes a name resolve to the VPN
      server's address (a spoofed DNS reply) gets that traffic out in clear: the TunnelCrack
      ServerIP attack.""",
      """
      -A OUTPUT -p udp -m udp --dport 1194 -j ACCEPT""",
      """
      -A OUTPUT -o eth0 -d 198.51.100.1/32 -p udp -m udp --dport 1194 -j ACCEPT
      # wg-quick: allow the mark only for the server's address and port
      -A OUTPUT ! -o wg0 -m mark --mark 0xca6c -d 198.51.100.1/32 -p udp --dport 51820 -j ACCEPT
      -A OUTPUT ! -o wg0 -m addrtype ! --dst-type LOCAL -j REJECT""",
      List.of("TunnelCrack: ServerIP attack (Vanhoef et al., USENIX Security 2023)",
          "wg-quick(8): the fwmark killswitch suggested for PostUp; socket(7): SO_MARK needs CAP_NET_ADMIN"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  Severity severity(LeakPart p) {
    return marked(p) ? Severity.INFO : Severity.ERROR;
  }

  @Override
  Optional<Location> location(LeakPart p, Witnesses.Picked w) {
    if (!marked(p)) return super.location(p, w);
    return MarkExemption.find(p.analysis(), w.packet().mark())
        .map(r -> Locations.ofRule(r, List.of("--mark")))
        .or(() -> super.location(p, w));
  }

  @Override
  List<Integer> preferences(LeakPart p) {
    PacketSpace s = p.analysis().space();
    List<Integer> out = new ArrayList<>();
    if (marked(p)) {
      out.addAll(MarkExemption.testedMarks(p.analysis()));
      out.addAll(DirectLeakCheck.leakPreferences(p));
      return out;
    }
    for (LeakPartition.Service sv : LeakPartition.VPN_SERVICES) {
      out.add(s.proto.eq(sv.proto()));
      out.add(s.origDport.eq(sv.port()));
    }
    out.addAll(Prefs.atRuleDestinations(p));
    out.add(s.origDst.eq(Witnesses.documentation(s.family(), 77)));
    return out;
  }

  /** A VPN allowance: it names a VPN port or the server, or lets out TCP/UDP on chosen ports to one host. */
  static boolean claims(LeakShape shape) {
    return shape.vpnAllowance();
  }

  @Override
  TrafficKind primary(LeakPart p) {
    return marked(p) ? TrafficKind.OTHER : TrafficKind.VPN;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    PacketSpace s = p.analysis().space();
    if (marked(p)) {
      String exempt = MarkExemption.find(p.analysis(), w.packet().mark()).isPresent()
          ? ", which this rule exempts from its refusal" : "";
      return "packets carrying " + marks(s, p.set()) + exempt + " (as the WireGuard socket or any process with "
          + "CAP_NET_ADMIN sends them with SO_MARK): " + SetText.protocols(s, p.set()) + " to "
          + SetText.destinations(p.analysis(), p.set()) + ", not only to the VPN server,";
    }
    return vpnTraffic(p.analysis(), p.pieces().getOrDefault(TrafficKind.VPN, p.set())) + ", not only the tunnel to the VPN server,";
  }

  /** "VPN traffic (UDP port 1194) to 141.98.255.0/24", or the server's address on other ports, with what limits it. */
  static String vpnTraffic(RulesetAnalysis a, int set) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    List<String> services = new ArrayList<>();
    for (LeakPartition.Service sv : LeakPartition.VPN_SERVICES) {
      int x = b.and(set, b.and(s.proto.eq(sv.proto()), s.origDport.eq(sv.port())));
      if (x != Bdd.FALSE) services.add((sv.proto() == Packet.UDP ? "UDP" : "TCP") + " port " + sv.port());
    }
    String dst = SetText.destinations(a, set);
    if (services.isEmpty() || b.diff(set, LeakPartition.vpnServices(s)) != Bdd.FALSE) {
      return "traffic to the VPN server's address: " + LeakCheck.packets(a, set);
    }
    List<String> conds = new ArrayList<>(SetText.conditions(a, set));
    conds.removeIf(c -> c.startsWith("port"));
    conds.add(0, SetText.join(services));
    return "VPN traffic (" + String.join(", ", conds) + ") to " + dst;
  }

  /** "mark 0xca6c", or "marks such as 0x1" when more than one mark gets out. */
  static String marks(PacketSpace s, int set) {
    int m = s.mark.project(set);
    String first = "0x" + s.mark.min(m).toString(16);
    return s.mark.min(m).equals(s.mark.max(m)) ? "mark " + first : "a mark (such as " + first + ")";
  }

  private static boolean marked(LeakPart p) {
    return p.start() == RulesetAnalysis.Start.MARKED_PACKETS;
  }

  @Override
  List<String> pointAt() {
    return List.of("--dport", "--dports", "--ports", "--destination", "--dst-range");
  }
}
