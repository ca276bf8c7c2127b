package org.ksaudit.lab;

import java.util.List;

/**
 * Sends one IPv6 router advertisement, as a rogue router on the LAN does: from a link-local
 * address, hop limit 255, to all nodes, with a default-router lifetime and a prefix option
 * (on-link, autonomous) for SLAAC. One packet is enough for the kernel to install the default
 * route and address. The JDK has no raw ICMPv6 socket, so python3 sends it; the kernel fills
 * in the checksum.
 */
final class RouterAdvert {
  private RouterAdvert() {}

  /** The advertising router's link-local address on the LAN. */
  static final String ROUTER_LINK_LOCAL = "fe80::1";

  private static final String PROGRAM = String.join("\n",
      "import socket, struct, sys",
      "dev, src, prefix, plen, lifetime = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])",
      "idx = socket.if_nametoindex(dev)",
      "s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)",
      "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)",
      "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)",
      "s.bind((src, 0, 0, idx))",
      // type 134, code 0, checksum 0, cur hop limit 64, flags 0, router lifetime, reachable 0, retrans 0
      "ra = struct.pack('!BBHBBHII', 134, 0, 0, 64, 0, lifetime, 0, 0)",
      // prefix information: type 3, length 4 (32 bytes), on-link and autonomous, valid 1 day, preferred 4 h
      "pi = struct.pack('!BBBBIII', 3, 4, plen, 0xC0, 86400, 14400, 0) + socket.inet_pton(socket.AF_INET6, prefix)",
      "s.sendto(ra + pi, ('ff02::1', 0, 0, idx))",
      "print('sent')",
      "");

  /** Sends the advertisement out of {@code dev} in {@code ns}; {@code lifetime} 0 withdraws the default route. */
  static void send(Netns ns, String dev, String prefix, int prefixLength, int lifetime) throws LabException {
    Exec.Result r = ns.exec(null, 30_000, List.of(Python.executable(), "-c", PROGRAM, dev, ROUTER_LINK_LOCAL, prefix,
        Integer.toString(prefixLength), Integer.toString(lifetime)).toArray(String[]::new));
    if (!r.ok()) throw new LabException("the router advertisement could not be sent: " + r.stderr().strip());
  }
}
