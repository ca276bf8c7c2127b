package org.ksaudit.check;

import java.util.Objects;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * A concrete packet that shows a finding: a new connection from a local process (uid 0, no
 * mark) of protocol {@code proto} ("tcp", "udp", or "icmp" for an ICMP / ICMPv6 echo
 * request) to {@code dst}, port {@code dport} (-1 for ICMP), leaving through {@code oif}.
 * It is the same shape as a probe of the lab, so every witness can be replayed.
 */
public record Witness(Family family, String proto, String dst, int dport, String oif) {
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp");

  public Witness {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(oif, "oif");
    if (!PROTOCOLS.contains(proto)) throw new IllegalArgumentException("proto must be tcp, udp or icmp: " + proto);
    if (proto.equals("icmp") ? dport != -1 : dport < 0 || dport > 65535)
      throw new IllegalArgumentException("dport " + dport + " does not fit " + proto);
  }

  /** {@code udp 10.45.16.1:53 via eth0}, as the text report prints it. */
  public String describe() {
    String host = family == Family.IPV6 ? "[" + dst + "]" : dst;
    return family.label() + " " + proto + " " + (dport < 0 ? dst : host + ":" + dport) + " out " + oif;
  }
}
