package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.value.PortRange;

/** KS102: DNS can leave outside the tunnel. */
public final class DnsLeakCheck extends LeakCheck {
  static final CheckInfo INFO = new CheckInfo(
      "KS102",
      Category.DNS_LEAK,
      Severity.ERROR,
      "DNS queries can leave outside the tunnel",
      """
      DNS (UDP or TCP port 53, DNS over TLS on 853) can leave through an interface other than
      the tunnel. The usual cause is a rule that accepts a resolver's address, often the VPN's
      own DNS server, on every interface instead of only on the tunnel.""",
      """
      Every name the user looks up is sent in clear to whoever runs the network: the local
      router, a hotspot, the ISP. When the tunnel is gone the system resolver keeps using the
      same server address, and a rule such as "-d 10.45.16.1 -j ACCEPT" sends the query out
      of the physical interface. The VPN's DNS address is private and reachable only through
      the tunnel, but a hostile network can answer for it (TunnelCrack LocalNet), and
      DHCP-provided resolvers on the LAN see the queries directly.""",
      """
      -A OUTPUT -d 10.45.16.1/32 -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT""",
      """
      -A OUTPUT -o tun0 -d 10.45.16.1/32 -p udp -m udp --dport 53 -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT""",
      List.of("TunnelCrack: LocalNet attack (Vanhoef et al., USENIX Security 2023)",
          "RFC 7626: DNS privacy considerations"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  /** DNS and DNS over TLS. */
  static final List<Integer> DNS_PORTS = List.of(53, 853);

  @Override
  TrafficKind kind() {
    return TrafficKind.DNS;
  }

  /** DNS and DNS over TLS: TCP or UDP to port 53 or 853 (as the application addressed it). */
  static PacketSet dns(SetScope s) {
    PacketSet tcpOrUdp = s.where(PacketField.PROTO, Packet.UDP).or(s.where(PacketField.PROTO, Packet.TCP));
    PacketSet out = s.none();
    for (int port : DNS_PORTS) out = out.or(tcpOrUdp.and(s.where(PacketField.ORIG_DPORT, port)));
    return out;
  }

  @Override
  PacketSet piece(LeakScene scene, Decider d, PacketSet left) {
    return left.and(scene.dns());
  }

  /** Whether the rule tests a destination port range that holds a DNS port. */
  static boolean namesDnsPort(RulesetAnalysis a, Decider d) {
    if (d.rule().isEmpty()) return false;
    for (Condition c : LeakScene.decode(a, d).conditions()) {
      if (c instanceof Condition.PortIn pi && pi.dir() != Dir.SRC && !pi.negated()) {
        for (PortRange r : pi.ranges()) for (int port : DNS_PORTS) if (r.contains(port)) return true;
      }
    }
    return false;
  }

  @Override
  List<PacketSet> preferences(LeakPart p) {
    SetScope s = p.scope();
    List<PacketSet> out = new ArrayList<>();
    out.add(s.where(PacketField.PROTO, Packet.UDP));
    out.add(s.where(PacketField.ORIG_DPORT, 53));
    out.addAll(Prefs.atRuleDestinations(p));
    out.add(s.where(PacketField.ORIG_DST, Witnesses.documentation(p.analysis().ruleset().family(), 53)));
    return out;
  }

  /**
   * A resolver's allowance: DNS among what the rule lets out, and the rule names a DNS port,
   * or lets out to one host only, or lets out nothing but DNS beyond the link.
   */
  @Override
  boolean claims(LeakShape shape) {
    return shape.has(TrafficKind.DNS) && (shape.namesDnsPort() || shape.oneHost() || shape.onlyBeyondLink(TrafficKind.DNS));
  }

  @Override
  TrafficKind primary(LeakPart p) {
    return TrafficKind.DNS;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    return dnsTraffic(p.analysis(), p.scope(), p.piece(TrafficKind.DNS));
  }

  /** "DNS (UDP) to 10.45.16.1", with every condition that limits it. */
  static String dnsTraffic(RulesetAnalysis a, SetScope s, PacketSet leak) {
    PacketSet set = SetText.shown(leak);
    boolean plain = set.intersects(s.where(PacketField.ORIG_DPORT, 53));
    boolean tls = set.intersects(s.where(PacketField.ORIG_DPORT, 853));
    String kind = plain && tls ? "DNS and DNS over TLS" : plain ? "DNS" : "DNS over TLS";
    List<String> conds = new ArrayList<>(SetText.conditions(a, s, set));
    // the DNS ports are said by the name already
    conds.removeIf(c -> c.equals("port 53") || c.equals("port 853") || c.equals("ports 53 and 853"));
    conds.add(0, SetText.protocols(set, a.ruleset().family()));
    return kind + " (" + String.join(", ", conds) + ") to " + SetText.destinations(a, s, set);
  }

  @Override
  List<String> pointAt() {
    return List.of("--destination", "--dst-range", "--dport", "--dports");
  }
}
