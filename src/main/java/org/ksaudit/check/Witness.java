package org.ksaudit.check;

import java.util.Objects;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * A concrete packet that shows a finding: from a local process (uid 0) of protocol
 * {@code proto} ("tcp", "udp", or "icmp" for an ICMP / ICMPv6 echo request) to {@code dst},
 * port {@code dport} (-1 for ICMP), leaving through {@code oif}; in conntrack state
 * {@code state} (NEW: the first packet of a connection; ESTABLISHED or RELATED: a packet of a
 * connection open when the tunnel went down; UNTRACKED: a copy a TEE rule sends) with packet
 * mark {@code mark}. A new connection
 * without a mark has the shape of a probe of the lab and is {@link #replayable()}.
 */
public record Witness(Family family, String proto, String dst, int dport, String oif, String state, long mark) {
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp");
  private static final Set<String> STATES = Set.of("NEW", "ESTABLISHED", "RELATED", "UNTRACKED");

  /** The first packet of a new connection, without a mark. */
  public Witness(Family family, String proto, String dst, int dport, String oif) {
    this(family, proto, dst, dport, oif, "NEW", 0);
  }

  public Witness {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(oif, "oif");
    if (!PROTOCOLS.contains(proto)) throw new IllegalArgumentException("proto must be tcp, udp or icmp: " + proto);
    if (proto.equals("icmp") ? dport != -1 : dport < 0 || dport > 65535)
      throw new IllegalArgumentException("dport " + dport + " does not fit " + proto);
    if (!STATES.contains(state)) throw new IllegalArgumentException("state must be NEW, ESTABLISHED, RELATED or UNTRACKED: " + state);
    if (mark < 0 || mark > 0xffffffffL) throw new IllegalArgumentException("mark out of range: " + mark);
  }

  /** Whether the lab (and {@code ksaudit trace} with its defaults) can send it as a probe: a new connection without a mark. */
  public boolean replayable() {
    return state.equals("NEW") && mark == 0;
  }

  /** {@code udp 10.45.16.1:53 via eth0}, as the text report prints it. */
  public String describe() {
    String host = family == Family.IPV6 ? "[" + dst + "]" : dst;
    return family.label() + " " + proto + " " + (dport < 0 ? dst : host + ":" + dport) + " out " + oif
        + (state.equals("NEW") ? "" : " in state " + state) + (mark == 0 ? "" : " with mark 0x" + Long.toHexString(mark));
  }
}
