package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import org.ksaudit.analysis.Bdd;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketSpace;
import org.ksaudit.diagnostic.Severity;

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

  @Override
  List<Integer> preferences(LeakPart p) {
    PacketSpace s = p.analysis().space();
    List<Integer> out = new ArrayList<>();
    out.add(s.proto.eq(Packet.UDP));
    out.add(s.origDport.eq(53));
    out.addAll(Prefs.atRuleDestinations(p));
    out.add(s.origDst.eq(Witnesses.documentation(s.family(), 53)));
    return out;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    PacketSpace s = p.analysis().space();
    Bdd b = s.bdd();
    boolean plain = b.and(p.set(), s.origDport.eq(53)) != Bdd.FALSE;
    boolean tls = b.and(p.set(), s.origDport.eq(853)) != Bdd.FALSE;
    String kind = plain && tls ? "DNS and DNS over TLS" : plain ? "DNS" : "DNS over TLS";
    return kind + " (" + SetText.protocols(s, p.set()) + ") to " + SetText.destinations(p.analysis(), p.set());
  }

  @Override
  List<String> pointAt() {
    return List.of("--destination", "--dst-range", "--dport", "--dports");
  }
}
