package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketSpace;
import org.ksaudit.diagnostic.Severity;

/** KS106: any other traffic that leaves outside the tunnel. */
public final class DirectLeakCheck extends LeakCheck {
  static final CheckInfo INFO = new CheckInfo(
      "KS106",
      Category.DIRECT_LEAK,
      Severity.ERROR,
      "traffic leaves outside the tunnel",
      """
      Packets that are neither DNS, nor the VPN's own traffic, nor traffic to a LAN range can
      leave through an interface other than the tunnel: ICMP, NTP, a whole protocol, or
      everything, because a rule or a policy accepts them without "-o tun0".""",
      """
      When the tunnel goes down (the VPN process crashes, the network changes, the server is
      unreachable), the routes through the tunnel disappear and the kernel sends packets out
      of the physical interface. Only the firewall stands between the applications and the
      open network; what it accepts there leaves in clear, with the user's real address.""",
      """
      -A OUTPUT -p icmp -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT""",
      """
      -A OUTPUT -o tun0 -p icmp -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT""",
      List.of("VPNalyzer (Ramesh et al., NDSS 2022): tunnel failure leaks"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  List<Integer> preferences(LeakPart p) {
    return leakPreferences(p);
  }

  static List<Integer> leakPreferences(LeakPart p) {
    PacketSpace s = p.analysis().space();
    List<Integer> out = new ArrayList<>(Prefs.atRuleDestinations(p));
    out.add(s.origDst.eq(Witnesses.documentation(s.family(), 10)));
    out.add(s.proto.eq(Packet.TCP));
    out.add(s.origDport.eq(443));
    return out;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    return SetText.protocols(p.analysis().space(), p.set()) + " to " + SetText.destinations(p.analysis(), p.set());
  }

  @Override
  List<String> pointAt() {
    return List.of();
  }
}
