package org.ksaudit.lab;

import java.util.Objects;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * One packet to send: a UDP datagram, a TCP SYN or an ICMP echo request (ICMPv6 for IPv6)
 * to {@code dst}, leaving through the interface {@code oif}. {@code dport} is -1 for ICMP.
 */
public record Probe(Family family, String proto, String dst, int dport, String oif) {
  static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp");

  public Probe {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(proto, "proto");
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(oif, "oif");
    if (!PROTOCOLS.contains(proto)) throw new IllegalArgumentException("proto must be tcp, udp or icmp: " + proto);
    if (proto.equals("icmp") ? dport != -1 : dport < 0 || dport > 65535) {
      throw new IllegalArgumentException("dport " + dport + " does not fit " + proto + " (icmp takes -1, tcp/udp 0-65535)");
    }
    if (family != LabAddress.familyOf(dst)) {
      throw new IllegalArgumentException(dst + " is not an " + family.label() + " address");
    }
  }

  /** The line the batch trace contract reads: {@code PROTO DST DPORT OIF}, dport {@code -} for ICMP. */
  public String traceLine() {
    return proto + " " + dst + " " + (dport < 0 ? "-" : Integer.toString(dport)) + " " + oif;
  }
}
