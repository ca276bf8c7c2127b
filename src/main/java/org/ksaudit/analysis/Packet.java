package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IpText;

/**
 * One concrete packet at one point of its path: every header field and piece of kernel state
 * a rule can test. Interfaces are names ("" for none: the input interface of a locally
 * generated packet). {@code tcpFlags} uses the TCP header's bit values. {@code shape} is what
 * the sender put on the wire beyond the header fields, when it is known (the lab's probes).
 */
public record Packet(
    Family family,
    int proto,
    BigInteger src,
    BigInteger dst,
    int sport,
    int dport,
    int icmpType,
    int icmpCode,
    int tcpFlags,
    String iif,
    String oif,
    ConnState state,
    long mark,
    long ctmark,
    long uid,
    long gid,
    boolean socket,
    boolean fragment,
    AddrType srcType,
    AddrType dstType,
    Optional<Shape> shape) {
  public static final int TCP = 6;
  public static final int UDP = 17;
  public static final int ICMP = 1;
  public static final int ICMPV6 = 58;
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int ACK = 0x10;

  public Packet {
    Objects.requireNonNull(family);
    Objects.requireNonNull(src);
    Objects.requireNonNull(dst);
    Objects.requireNonNull(iif);
    Objects.requireNonNull(oif);
    Objects.requireNonNull(state);
    Objects.requireNonNull(srcType);
    Objects.requireNonNull(dstType);
    Objects.requireNonNull(shape);
    if (proto < 0 || proto > 255) throw new IllegalArgumentException("proto " + proto);
  }

  /** The ICMP protocol number of the family. */
  public static int icmpProto(Family family) {
    return family == Family.IPV4 ? ICMP : ICMPV6;
  }

  /** The echo request type of the family's ICMP. */
  public static int echoRequest(Family family) {
    return family == Family.IPV4 ? 8 : 128;
  }

  /**
   * The first packet of a new connection from a local process (uid 0, no mark, socket
   * present): a TCP SYN, a UDP datagram or an ICMP echo request, as the lab sends them.
   */
  public static Packet outgoing(Family family, String proto, BigInteger src, BigInteger dst, int sport, int dport, String oif) {
    int p = switch (proto) {
      case "tcp" -> TCP;
      case "udp" -> UDP;
      case "icmp", "icmpv6" -> icmpProto(family);
      default -> throw new IllegalArgumentException("proto must be tcp, udp or icmp: " + proto);
    };
    boolean icmp = p == icmpProto(family);
    AddrType dstType = AddrType.classify(family, dst, src);
    return new Packet(family, p, src, dst, icmp ? 0 : sport, icmp ? 0 : dport, icmp ? echoRequest(family) : 0, 0,
        p == TCP ? SYN : 0, "", oif, ConnState.NEW, 0, 0, 0, 0, true, false,
        AddrType.LOCAL, dstType, Optional.of(Shape.probe(family, p, dstType == AddrType.MULTICAST)));
  }

  /**
   * What a packet carries beyond the header fields ksaudit tracks: its total length (IPv4
   * tot_len; IPv6 payload length plus the 40-byte header, as {@code -m length} counts), its
   * TTL or hop limit, and the kinds of the TCP options it has.
   */
  public record Shape(int length, int ttl, Set<Integer> tcpOptions) {
    /** The lab's probes carry 16 bytes of payload (UDP, and ICMP after the 8-byte echo header). */
    public static final int PAYLOAD = 16;
    /**
     * The options of a SYN from connect() with the kernel's default settings: MSS (2),
     * SACK permitted (4), timestamps (8), a NOP (1) and window scale (3), 20 bytes in all
     * (measured: a probe SYN is 60 bytes over IPv4, 80 over IPv6, and --tcp-option 1, 2, 3,
     * 4 and 8 match it, 5, 6 and 7 do not).
     */
    public static final Set<Integer> SYN_OPTIONS = Set.of(1, 2, 3, 4, 8);

    public Shape {
      tcpOptions = Set.copyOf(tcpOptions);
    }

    /**
     * The first packet a probe sends (a UDP datagram, a TCP SYN, an ICMP echo request) with the
     * kernel's defaults: TTL and hop limit 64, but 1 to a multicast group (IP_MULTICAST_TTL and
     * IPV6_MULTICAST_HOPS default to 1; measured, broadcast keeps 64).
     */
    static Shape probe(Family family, int proto, boolean multicast) {
      int ip = family == Family.IPV4 ? 20 : 40;
      int ttl = multicast ? 1 : 64;
      if (proto == TCP) return new Shape(ip + 20 + 20, ttl, SYN_OPTIONS);
      return new Shape(ip + 8 + PAYLOAD, ttl, Set.of());
    }
  }

  public boolean isIcmp() {
    return proto == icmpProto(family);
  }

  public boolean hasPorts() {
    return proto == TCP || proto == UDP || proto == 132 || proto == 136 || proto == 33;
  }

  public Packet withDst(BigInteger d, AddrType t) {
    return new Packet(family, proto, src, d, sport, dport, icmpType, icmpCode, tcpFlags, iif, oif, state, mark, ctmark,
        uid, gid, socket, fragment, srcType, t, shape);
  }

  public Packet withDport(int p) {
    return new Packet(family, proto, src, dst, sport, p, icmpType, icmpCode, tcpFlags, iif, oif, state, mark, ctmark,
        uid, gid, socket, fragment, srcType, dstType, shape);
  }

  public Packet withOif(String o) {
    return new Packet(family, proto, src, dst, sport, dport, icmpType, icmpCode, tcpFlags, iif, o, state, mark, ctmark,
        uid, gid, socket, fragment, srcType, dstType, shape);
  }

  public Packet withState(ConnState s) {
    return new Packet(family, proto, src, dst, sport, dport, icmpType, icmpCode, tcpFlags, iif, oif, s, mark, ctmark,
        uid, gid, socket, fragment, srcType, dstType, shape);
  }

  public Packet withMark(long m) {
    return new Packet(family, proto, src, dst, sport, dport, icmpType, icmpCode, tcpFlags, iif, oif, state, m, ctmark,
        uid, gid, socket, fragment, srcType, dstType, shape);
  }

  public Packet withCtmark(long m) {
    return new Packet(family, proto, src, dst, sport, dport, icmpType, icmpCode, tcpFlags, iif, oif, state, mark, m,
        uid, gid, socket, fragment, srcType, dstType, shape);
  }

  public Packet withOwner(long u, long g) {
    return new Packet(family, proto, src, dst, sport, dport, icmpType, icmpCode, tcpFlags, iif, oif, state, mark, ctmark,
        u, g, socket, fragment, srcType, dstType, shape);
  }

  public Packet withIcmp(int type, int code) {
    return new Packet(family, proto, src, dst, sport, dport, type, code, tcpFlags, iif, oif, state, mark, ctmark,
        uid, gid, socket, fragment, srcType, dstType, shape);
  }

  public Packet withTcpFlags(int f) {
    return new Packet(family, proto, src, dst, sport, dport, icmpType, icmpCode, f, iif, oif, state, mark, ctmark,
        uid, gid, socket, fragment, srcType, dstType, shape);
  }

  public Packet withShape(Optional<Shape> s) {
    return new Packet(family, proto, src, dst, sport, dport, icmpType, icmpCode, tcpFlags, iif, oif, state, mark, ctmark,
        uid, gid, socket, fragment, srcType, dstType, s);
  }

  public Packet withSrc(BigInteger s, int sp) {
    return new Packet(family, proto, s, dst, sp, dport, icmpType, icmpCode, tcpFlags, iif, oif, state, mark, ctmark,
        uid, gid, socket, fragment, srcType, dstType, shape);
  }

  /** {@code udp 198.18.0.1:40000 -> 10.45.16.1:53 out eth0 NEW}, for traces and test messages. */
  public String describe() {
    String p = switch (proto) {
      case TCP -> "tcp";
      case UDP -> "udp";
      case ICMP -> "icmp";
      case ICMPV6 -> "icmpv6";
      default -> "proto " + proto;
    };
    String s = IpText.format(family, src);
    String d = IpText.format(family, dst);
    String ports = hasPorts() ? s + ":" + sport + " -> " + d + ":" + dport : s + " -> " + d;
    if (isIcmp()) ports += " type " + icmpType + "/" + icmpCode;
    if (proto == TCP && tcpFlags != SYN) ports += " flags " + TcpFlags.format(tcpFlags);
    return p + " " + ports + " out " + (oif.isEmpty() ? "-" : oif) + (iif.isEmpty() ? "" : " in " + iif) + " " + state
        + (mark != 0 ? " mark 0x" + Long.toHexString(mark) : "") + (uid != 0 ? " uid " + uid : "");
  }
}
