package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.diagnostic.Severity;

/** KS111: traffic that cannot leave the local link leaves outside the tunnel. */
public final class LinkLocalCheck extends LeakCheck {
  static final CheckInfo INFO = new CheckInfo(
      "KS111",
      Category.LINK_LOCAL,
      Severity.WARNING,
      "traffic that stays on the local link leaves outside the tunnel",
      """
      The rules let packets out of the physical interface that no router forwards: to the
      limited broadcast 255.255.255.255 or a subnet's broadcast (-m addrtype --dst-type
      BROADCAST), to 224.0.0.0/24 (the local network control block: mDNS 224.0.0.251, LLMNR
      224.0.0.252; SSDP's 239.255.255.250 is not in it), to 169.254.0.0/16, to IPv6 fe80::/10,
      ff01::/16 or ff02::/16 (solicited-node ff02::1:ff00:0/104 included), packets with a
      link-local source address, and ICMPv6 neighbour discovery (types 133 to 137).

      Info for what a link needs to work: neighbour discovery, DHCP (UDP 67 and 68) and
      DHCPv6 (UDP 546 and 547). Warning for everything else.""",
      """
      These packets never reach the internet, so they are no leak of the user's traffic to the
      world; but everyone on the local network sees them. When the tunnel is gone on a hostile
      network (a hotspot, TunnelCrack's LocalNet attacker), mDNS and LLMNR announce the host's
      name and services, SSDP and NetBIOS-style broadcasts what runs on it, and link-local
      multicast shows which groups it joined. Neighbour discovery and DHCP are needed to use
      the link at all and reveal little beyond the host's presence.""",
      """
      -A OUTPUT -d 224.0.0.0/24 -j ACCEPT
      -A OUTPUT -d 255.255.255.255/32 -j ACCEPT""",
      """
      # only what the link needs, and only on the LAN interface:
      -A OUTPUT -o eth0 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -j ACCEPT""",
      List.of("RFC 5771: IPv4 multicast address assignments (224.0.0.0/24, not forwarded)",
          "RFC 4291 section 2.5.6, RFC 4861 (neighbour discovery), RFC 3927 (IPv4 link-local)",
          "TunnelCrack: LocalNet attack (Vanhoef et al., USENIX Security 2023)"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  TrafficKind kind() {
    return TrafficKind.LINK_LOCAL;
  }

  /** A subnet broadcast counts as link-local where the rule lets out nothing else ({@code -m addrtype --dst-type BROADCAST}). */
  @Override
  PacketSet piece(LeakScene scene, Decider d, PacketSet left) {
    return left.isWithin(scene.fromLink()) || left.isWithin(scene.broadcast()) ? left : left.and(scene.link());
  }

  /** Traffic that stays on the link and nothing else. */
  @Override
  boolean claims(LeakShape shape) {
    return shape.onlyLinkLocal();
  }

  /** What a link needs (info) apart from the rest (warning). */
  @Override
  String subgroup(LeakScene scene, Map<TrafficKind, PacketSet> pieces) {
    return pieces.get(TrafficKind.LINK_LOCAL).isWithin(LinkScope.needed(scene.scope(), scene.family())) ? "needed" : "";
  }

  @Override
  TrafficKind primary(LeakPart p) {
    return TrafficKind.LINK_LOCAL;
  }

  @Override
  Severity severity(LeakPart p) {
    return p.set().isWithin(LinkScope.needed(p.scope(), p.analysis().ruleset().family())) ? Severity.INFO : Severity.WARNING;
  }

  @Override
  List<PacketSet> preferences(LeakPart p) {
    List<PacketSet> out = new ArrayList<>(Prefs.atRuleDestinations(p));
    out.add(p.scope().where(PacketField.PROTO, Packet.UDP));
    return out;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    return "link-local traffic, which no router forwards but the local network sees: "
        + LeakCheck.packets(p.analysis(), p.scope(), p.set());
  }

  @Override
  List<String> pointAt() {
    return List.of("--destination", "--dst-type", "--icmpv6-type", "--source", "--dport", "--dports");
  }
}
