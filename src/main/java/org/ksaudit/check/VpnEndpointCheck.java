package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import org.ksaudit.analysis.Bdd;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketSpace;
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
      other ports and protocols.""",
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
      -A OUTPUT -o eth0 -d 198.51.100.1/32 -p udp -m udp --dport 1194 -j ACCEPT""",
      List.of("TunnelCrack: ServerIP attack (Vanhoef et al., USENIX Security 2023)"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  List<Integer> preferences(LeakPart p) {
    PacketSpace s = p.analysis().space();
    List<Integer> out = new ArrayList<>();
    for (LeakPartition.Service sv : LeakPartition.VPN_SERVICES) {
      out.add(s.proto.eq(sv.proto()));
      out.add(s.origDport.eq(sv.port()));
    }
    out.add(s.origDst.eq(Witnesses.documentation(s.family(), 77)));
    return out;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    PacketSpace s = p.analysis().space();
    Bdd b = s.bdd();
    List<String> services = new ArrayList<>();
    for (LeakPartition.Service sv : LeakPartition.VPN_SERVICES) {
      int x = b.and(p.set(), b.and(s.proto.eq(sv.proto()), s.origDport.eq(sv.port())));
      if (x != Bdd.FALSE) services.add((sv.proto() == Packet.UDP ? "UDP" : "TCP") + " port " + sv.port());
    }
    String dst = SetText.destinations(p.analysis(), p.set());
    if (services.isEmpty()) {
      return SetText.protocols(s, p.set()) + " to the VPN server's address (" + dst + ") on ports other than the tunnel's";
    }
    return "VPN traffic (" + SetText.join(services) + ") to " + dst + ", not only to the VPN server,";
  }

  @Override
  List<String> pointAt() {
    return List.of("--dport", "--dports", "--ports", "--destination", "--dst-range");
  }
}
