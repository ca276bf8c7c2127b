package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * A concrete packet that shows a finding: of protocol {@code proto} ("tcp", "udp", "icmp" for
 * ICMP / ICMPv6, or a protocol number) to {@code dst}, port {@code dport} (-1 without ports),
 * leaving through {@code oif}. The other fields say what the leak needs beyond a probe of the
 * lab (a new connection of uid 0 without a mark from the lab's address, any source port, a TCP
 * SYN or an ICMP echo request); each holds its "not needed" value otherwise:
 * {@code iif} the interface a forwarded packet arrives on ("" for a local one), {@code src}
 * the source address ("" for the lab's), {@code sport} (-1 for any), {@code icmpType} (-1 for
 * an echo request or no ICMP), {@code tcpFlags} ("" for a SYN or no TCP), {@code state}
 * (NEW: the first packet of a connection; ESTABLISHED or RELATED: a packet of a connection
 * open when the tunnel went down; UNTRACKED: a copy a TEE rule sends), {@code mark},
 * {@code uid} and {@code gid} (-1 for root, whom the probes run as).
 */
public record Witness(Family family, String proto, String dst, int dport, String oif, String iif, String src, int sport,
    int icmpType, String tcpFlags, String state, long mark, long uid, long gid) {
  private static final Set<String> NAMED_PROTOCOLS = Set.of("tcp", "udp", "icmp");
  private static final Set<String> STATES = Set.of("NEW", "ESTABLISHED", "RELATED", "UNTRACKED");

  /** The first packet of a new connection, without a mark, in the shape of a probe. */
  public Witness(Family family, String proto, String dst, int dport, String oif) {
    this(family, proto, dst, dport, oif, "NEW", 0);
  }

  /** A local packet in the shape of a probe but for its state and mark. */
  public Witness(Family family, String proto, String dst, int dport, String oif, String state, long mark) {
    this(family, proto, dst, dport, oif, "", "", -1, -1, "", state, mark, -1, -1);
  }

  public Witness {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(dst, "dst");
    Objects.requireNonNull(oif, "oif");
    Objects.requireNonNull(iif, "iif");
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(tcpFlags, "tcpFlags");
    if (!NAMED_PROTOCOLS.contains(proto) && !proto.matches("\\d{1,3}")) throw new IllegalArgumentException("proto must be tcp, udp, icmp or a number: " + proto);
    boolean ports = proto.equals("tcp") || proto.equals("udp");
    if (ports ? dport < 0 || dport > 65535 : dport != -1) throw new IllegalArgumentException("dport " + dport + " does not fit " + proto);
    if (ports ? sport < -1 || sport > 65535 : sport != -1) throw new IllegalArgumentException("sport " + sport + " does not fit " + proto);
    if (icmpType < -1 || icmpType > 255 || (icmpType >= 0 && !proto.equals("icmp"))) throw new IllegalArgumentException("icmp type " + icmpType);
    if (!tcpFlags.isEmpty() && !proto.equals("tcp")) throw new IllegalArgumentException("tcp flags on " + proto);
    if (!STATES.contains(state)) throw new IllegalArgumentException("state must be NEW, ESTABLISHED, RELATED or UNTRACKED: " + state);
    if (mark < 0 || mark > 0xffffffffL) throw new IllegalArgumentException("mark out of range: " + mark);
    if (uid < -1 || uid > 0xffffffffL || gid < -1 || gid > 0xffffffffL) throw new IllegalArgumentException("uid/gid out of range");
  }

  /**
   * Whether the lab (and {@code ksaudit trace} with its defaults) can send it as a probe: a
   * new local connection of root, without a mark, from the lab's address and any source port,
   * as a UDP datagram, TCP SYN or ICMP echo request.
   */
  public boolean replayable() {
    return state.equals("NEW") && mark == 0 && iif.isEmpty() && src.isEmpty() && sport < 0 && icmpType < 0
        && tcpFlags.isEmpty() && uid < 0 && gid < 0 && NAMED_PROTOCOLS.contains(proto);
  }

  /** {@code ipv4 udp 10.45.16.1:53 out eth0}, then whatever else the leak needs, as the text report prints it. */
  public String describe() {
    String host = family == Family.IPV6 ? "[" + dst + "]" : dst;
    String p = NAMED_PROTOCOLS.contains(proto) ? proto : "protocol " + proto;
    StringBuilder sb = new StringBuilder(family.label()).append(' ').append(p).append(' ')
        .append(dport < 0 ? dst : host + ":" + dport).append(" out ").append(oif);
    for (String extra : extras()) sb.append(' ').append(extra);
    return sb.toString();
  }

  private List<String> extras() {
    List<String> out = new ArrayList<>();
    if (!iif.isEmpty()) out.add("in " + iif);
    if (!src.isEmpty() || sport >= 0) {
      String host = src.isEmpty() ? "the probe address" : family == Family.IPV6 && sport >= 0 ? "[" + src + "]" : src;
      out.add("from " + host + (sport >= 0 ? ":" + sport : ""));
    }
    if (icmpType >= 0) out.add("type " + icmpType);
    if (!tcpFlags.isEmpty()) out.add("flags " + tcpFlags);
    if (uid >= 0) out.add("uid " + uid);
    if (gid >= 0) out.add("gid " + gid);
    if (!state.equals("NEW")) out.add("in state " + state);
    if (mark != 0) out.add("with mark 0x" + Long.toHexString(mark));
    return out;
  }
}
