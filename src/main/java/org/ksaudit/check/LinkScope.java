package org.ksaudit.check;

import java.util.List;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;

/**
 * Packets that cannot leave the local link: a router never forwards them. By destination:
 * IPv4 limited broadcast 255.255.255.255, the local network control block 224.0.0.0/24 (RFC
 * 5771) and link-local 169.254.0.0/16 (RFC 3927); IPv6 link-local fe80::/10 (RFC 4291),
 * interface-local ff01::/16 and link-local ff02::/16 multicast (solicited-node
 * ff02::1:ff00:0/104 included); any address of type BROADCAST (a subnet's broadcast). By
 * source: a link-local source address (RFC 3927 section 7, RFC 4291 section 2.5.6). By message:
 * ICMPv6 neighbour discovery (types 133 to 137, RFC 4861: receivers drop them unless the hop
 * limit is still 255, so a forwarded one is worthless). The ones a link needs to work at all
 * (neighbour discovery, DHCP, DHCPv6) are {@link #needed}.
 */
final class LinkScope {
  private LinkScope() {}

  private static final List<Cidr> DESTINATIONS_V4 = List.of(LeakScene.cidr(Family.IPV4, "255.255.255.255", 32),
      LeakScene.cidr(Family.IPV4, "224.0.0.0", 24), LeakScene.cidr(Family.IPV4, "169.254.0.0", 16));
  private static final List<Cidr> DESTINATIONS_V6 = List.of(LeakScene.cidr(Family.IPV6, "fe80::", 10),
      LeakScene.cidr(Family.IPV6, "ff02::", 16), LeakScene.cidr(Family.IPV6, "ff01::", 16));

  static List<Cidr> destinations(Family f) {
    return f == Family.IPV4 ? DESTINATIONS_V4 : DESTINATIONS_V6;
  }

  /** Packets from a link-local source address: a rule that lets out only such packets lets out nothing beyond the link. */
  static PacketSet fromLinkLocal(SetScope s, Family f) {
    return s.within(PacketField.SRC, sources(f));
  }

  static Cidr sources(Family f) {
    return f == Family.IPV4 ? LeakScene.cidr(f, "169.254.0.0", 16) : LeakScene.cidr(f, "fe80::", 10);
  }

  /** Every packet that stays on its link by its destination address or message (see also {@link #fromLinkLocal}). */
  static PacketSet set(SetScope s, Family f) {
    PacketSet out = s.none();
    // where the packet goes after any DNAT decides whether it leaves the link
    for (Cidr c : destinations(f)) out = out.or(s.within(PacketField.DST, c));
    if (f == Family.IPV6) out = out.or(s.where(PacketField.PROTO, Packet.ICMPV6).and(neighbourDiscovery(s)));
    return out;
  }

  /** What a link needs: neighbour discovery, DHCP (UDP 67 and 68) and DHCPv6 (UDP 546 and 547). */
  static PacketSet needed(SetScope s, Family f) {
    PacketSet udp = s.where(PacketField.PROTO, Packet.UDP);
    if (f == Family.IPV4) return udp.and(s.where(PacketField.ORIG_DPORT, 67).or(s.where(PacketField.ORIG_DPORT, 68)));
    PacketSet dhcp = udp.and(s.where(PacketField.ORIG_DPORT, 546).or(s.where(PacketField.ORIG_DPORT, 547)));
    return dhcp.or(s.where(PacketField.PROTO, Packet.ICMPV6).and(neighbourDiscovery(s)));
  }

  private static PacketSet neighbourDiscovery(SetScope s) {
    PacketSet out = s.none();
    for (int t = 133; t <= 137; t++) out = out.or(s.where(PacketField.ICMP_TYPE, t));
    return out;
  }
}
