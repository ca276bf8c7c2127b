package org.ksaudit.lab;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * One packet to send: a UDP datagram, a TCP SYN or an ICMP echo request (ICMPv6 for IPv6)
 * to {@code dst}, leaving through the interface {@code oif}. {@code dport} is -1 for ICMP.
 * A forwarded packet (from a LAN host behind the client) arrives on {@code iif} from
 * {@code src}; a local one has neither.
 */
public record Probe(Family family, String proto, String dst, int dport, String oif, Optional<String> iif, Optional<String> src) {
  static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp");

  /** A local packet of the client. */
  public Probe(Family family, String proto, String dst, int dport, String oif) {
    this(family, proto, dst, dport, oif, Optional.empty(), Optional.empty());
  }

  public Probe {
    Objects.requireNonNull(iif, "iif");
    Objects.requireNonNull(src, "src");
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

  /**
   * The line the batch trace contract reads: {@code PROTO DST DPORT OIF [IIF]}, dport {@code -}
   * for ICMP; the source of a forwarded packet is the trace's {@code --src}.
   */
  public String traceLine() {
    return proto + " " + dst + " " + (dport < 0 ? "-" : Integer.toString(dport)) + " " + oif + iif.map(i -> " " + i).orElse("");
  }
}
