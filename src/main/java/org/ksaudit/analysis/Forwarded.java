package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.Optional;
import org.ksaudit.model.Family;

/**
 * Packets routed through the host rather than sent by it: they arrive on an input interface,
 * have no local socket (so no owner), and come from another host, so their source is an
 * ordinary unicast address and their destination is not one of the host's own.
 */
public final class Forwarded {
  private Forwarded() {}

  /** The first packet of a new connection from another host: a TCP SYN, a UDP datagram or an ICMP echo request. */
  public static Packet packet(Family family, String proto, BigInteger src, BigInteger dst, int sport, int dport,
      String iif, String oif) {
    if (iif.isEmpty()) throw new IllegalArgumentException("a forwarded packet arrives on an interface");
    Packet p = Packet.outgoing(family, proto, src, dst, sport, dport, oif);
    return new Packet(family, p.proto(), src, dst, p.sport(), p.dport(), p.icmpType(), p.icmpCode(), p.tcpFlags(), iif,
        oif, ConnState.NEW, 0, 0, 0, 0, false, false, AddrType.classify(family, src, SymbolicCompiler.NO_ADDRESS),
        AddrType.classify(family, dst, SymbolicCompiler.NO_ADDRESS), Optional.empty());
  }

  /** The path a packet takes: forwarded when it arrived on an interface, else locally generated. */
  public static Path pathOf(Packet p) {
    return p.iif().isEmpty() ? Path.OUTPUT : Path.FORWARD;
  }
}
