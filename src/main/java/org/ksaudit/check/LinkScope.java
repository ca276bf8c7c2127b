package org.ksaudit.check;

import java.util.List;
import org.ksaudit.analysis.AddrType;
import org.ksaudit.analysis.Bdd;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketSpace;
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

  static List<Cidr> destinations(Family f) {
    if (f == Family.IPV4) {
      return List.of(LeakPartition.cidr(f, "255.255.255.255", 32), LeakPartition.cidr(f, "224.0.0.0", 24),
          LeakPartition.cidr(f, "169.254.0.0", 16));
    }
    return List.of(LeakPartition.cidr(f, "fe80::", 10), LeakPartition.cidr(f, "ff02::", 16), LeakPartition.cidr(f, "ff01::", 16));
  }

  /** Packets from a link-local source address: a rule that lets out only such packets lets out nothing beyond the link. */
  static int fromLinkLocal(PacketSpace s) {
    return s.cidr(s.src, sources(s.family()));
  }

  static Cidr sources(Family f) {
    return f == Family.IPV4 ? LeakPartition.cidr(f, "169.254.0.0", 16) : LeakPartition.cidr(f, "fe80::", 10);
  }

  /** Every packet of the space that stays on its link by its destination address or message (see also {@link #fromLinkLocal}). */
  static int set(PacketSpace s) {
    Bdd b = s.bdd();
    int out = Bdd.FALSE;
    // where the packet goes after any DNAT decides whether it leaves the link
    for (Cidr c : destinations(s.family())) out = b.or(out, s.cidr(s.dst, c));
    if (s.family() == Family.IPV6) out = b.or(out, b.and(s.proto.eq(Packet.ICMPV6), neighbourDiscovery(s)));
    return out;
  }

  /** What a link needs: neighbour discovery, DHCP (UDP 67 and 68) and DHCPv6 (UDP 546 and 547). */
  static int needed(PacketSpace s) {
    Bdd b = s.bdd();
    if (s.family() == Family.IPV4) return b.and(s.proto.eq(Packet.UDP), b.or(s.origDport.eq(67), s.origDport.eq(68)));
    int dhcp = b.and(s.proto.eq(Packet.UDP), b.or(s.origDport.eq(546), s.origDport.eq(547)));
    return b.or(dhcp, b.and(s.proto.eq(Packet.ICMPV6), neighbourDiscovery(s)));
  }

  private static int neighbourDiscovery(PacketSpace s) {
    int out = Bdd.FALSE;
    for (int t = 133; t <= 137; t++) out = s.bdd().or(out, s.icmpType.eq(t));
    return out;
  }
}
