package org.ksaudit.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.AddrType;
import org.ksaudit.analysis.Example;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/**
 * Picks the packet that shows a finding: a member of the finding's set, narrowed by the
 * check's preferences (UDP 53 for DNS, the rule's own address, ...) and then by general ones
 * (a definite member, an ordinary unicast address, eth0, uid 0, the lab's source address), and
 * replays it through the concrete interpreter for the trace.
 */
final class Witnesses {
  private Witnesses() {}

  /** The source address and port of the lab's probes and of {@code ksaudit trace} by default. */
  static final String SOURCE_V4 = "198.18.0.1";
  static final String SOURCE_V6 = "2001:2::1";
  static final int SOURCE_PORT = 40000;

  /** A chosen member of a set: the witness (when it has a probe's shape), the packet, its trace. */
  record Picked(Optional<Witness> witness, Packet packet, Certainty certainty, List<TraceStep> trace) {}

  static BigInteger source(Family f) {
    return IpText.parse(f, f == Family.IPV4 ? SOURCE_V4 : SOURCE_V6).orElseThrow();
  }

  static BigInteger addr(Family f, String text) {
    return IpText.parse(f, text).orElseThrow();
  }

  /** A documentation address of the family, distinct per use (e.g. "53" gives 192.0.2.53 / 2001:db8::53). */
  static BigInteger documentation(Family f, int host) {
    return f == Family.IPV4 ? addr(f, "203.0.113." + host) : addr(f, "2001:db8::" + Integer.toHexString(host));
  }

  /** The source address of a forwarded packet in {@code ksaudit trace --in} by default. */
  static final String FORWARD_SOURCE_V4 = "192.0.2.100";
  static final String FORWARD_SOURCE_V6 = "2001:db8::100";

  /**
   * A member of {@code set}, which leaks from {@code start}, as a {@link Witness} with every
   * field the leak needs. It is definite when the packet leaks whatever the matches the engine
   * cannot decide say ({@code allLeaks} is what every rule lets out from the start: an
   * undecided match that only chooses which rule accepts decides nothing), taking the matches
   * an ordinary packet fails (a routing header match) as failed.
   */
  static Picked pick(RulesetAnalysis a, SetScope s, Path path, PacketSet set, List<PacketSet> preferences,
      RulesetAnalysis.Start start, PacketSet allLeaks) {
    PacketSet plain = set.withRoutingHeaderMatchesFailed();
    if (plain.isEmpty()) plain = set;
    // without undecided matches every member leaks for certain (the set is part of allLeaks)
    PacketSet definite = plain.analysisHasUndecided() ? plain.and(allLeaks.withRoutingHeaderMatchesFailed().definitely()) : plain;
    Family f = a.ruleset().family();
    PacketSet replayable = path == Path.OUTPUT ? replayable(s, f, plain) : s.none();
    PacketSet base = plain;
    for (PacketSet candidate : List.of(definite.and(replayable), definite, replayable)) {
      if (!candidate.isEmpty()) {
        base = candidate;
        break;
      }
    }
    Certainty certainty = base.isWithin(definite) ? Certainty.DEFINITE : Certainty.POSSIBLE;
    List<PacketSet> prefs = new ArrayList<>();
    prefs.add(ordinaryDestinations(s, f));
    prefs.add(beyondReservedScopes(s, f));
    prefs.addAll(preferences);
    prefs.add(hostAddresses(s, f));
    prefs.add(s.dstTypeIn(List.of(AddrType.UNICAST)));
    for (String n : AuditContext.FAMILIAR) prefs.add(s.leavingThrough(List.of(n)));
    prefs.add(s.where(PacketField.PROTO, Packet.TCP));
    prefs.add(s.where(PacketField.TCP_FLAGS, Packet.SYN));
    prefs.add(s.where(PacketField.ICMP_TYPE, Packet.echoRequest(f)));
    prefs.add(s.where(PacketField.ICMP_CODE, 0));
    prefs.add(s.where(PacketField.SRC, defaultSource(f, path)));
    prefs.add(s.all().minus(s.masked(PacketField.SRC, BigInteger.ZERO, BigInteger.valueOf(0xff))));
    prefs.add(s.where(PacketField.SPORT, SOURCE_PORT));
    prefs.add(s.srcTypeIn(List.of(path == Path.OUTPUT ? AddrType.LOCAL : AddrType.UNICAST)));
    prefs.add(s.where(PacketField.UID, 0));
    prefs.add(s.where(PacketField.GID, 0));
    prefs.add(s.where(PacketField.ORIG_DPORT, 443));
    prefs.add(s.where(PacketField.ORIG_DST, documentation(f, 10)));
    Example ex = a.example(base.narrowedBy(prefs), start, path);
    return new Picked(asWitness(ex.first(), ex.last(), path), ex.first(), certainty, ex.trace());
  }

  static BigInteger defaultSource(Family f, Path path) {
    if (path == Path.FORWARD) return addr(f, f == Family.IPV4 ? FORWARD_SOURCE_V4 : FORWARD_SOURCE_V6);
    return source(f);
  }

  /**
   * The members the lab (and {@code ksaudit trace} with its defaults) can send as they are:
   * from the probes' source address, by uid 0, as a TCP SYN, UDP datagram or ICMP echo
   * request, and leaking whatever source port the sender picks.
   */
  static PacketSet replayable(SetScope s, Family f, PacketSet set) {
    PacketSet shape = s.where(PacketField.PROTO, Packet.TCP).and(s.where(PacketField.TCP_FLAGS, Packet.SYN))
        .or(s.where(PacketField.PROTO, Packet.UDP));
    shape = shape.or(s.where(PacketField.PROTO, Packet.icmpProto(f))
        .and(s.where(PacketField.ICMP_TYPE, Packet.echoRequest(f)).and(s.where(PacketField.ICMP_CODE, 0))));
    // the probe's shape as one small set first, then one intersection with the (possibly huge)
    // leak set: each intersection with it rebuilds it, six of them took seconds on kube-proxy's
    PacketSet probe = shape.and(s.where(PacketField.SRC, source(f)));
    probe = probe.and(s.where(PacketField.UID, 0).and(s.where(PacketField.GID, 0)));
    probe = probe.and(s.where(PacketField.SOCKET, 1).and(s.where(PacketField.FRAGMENT, 0)));
    probe = probe.and(s.srcTypeIn(List.of(AddrType.LOCAL)));
    return set.and(probe).forEvery(PacketField.SPORT);
  }

  /**
   * The packet as a witness: what a probe of the lab would send, and each field the leak needs
   * beyond that (a source address or port, an owner, TCP flags, an ICMP type, a state, a mark,
   * the input interface of a forwarded packet). None for a fragment or a packet without an
   * output interface.
   */
  static Optional<Witness> asWitness(Packet p, Packet fin, Path path) {
    if (p.fragment() || fin.oif().isEmpty()) return Optional.empty();
    Family f = p.family();
    boolean icmp = p.isIcmp();
    boolean ports = p.proto() == Packet.TCP || p.proto() == Packet.UDP;
    String proto = p.proto() == Packet.TCP ? "tcp" : p.proto() == Packet.UDP ? "udp" : icmp ? "icmp" : Integer.toString(p.proto());
    BigInteger src = defaultSource(f, path);
    int icmpType = icmp && !(p.icmpType() == Packet.echoRequest(f) && p.icmpCode() == 0) ? p.icmpType() : -1;
    String flags = p.proto() == Packet.TCP && p.tcpFlags() != Packet.SYN ? tcpFlags(p.tcpFlags()) : "";
    boolean local = path == Path.OUTPUT;
    return Optional.of(new Witness(f, proto, IpText.format(f, p.dst()), ports ? p.dport() : -1, fin.oif(), p.iif(),
        p.src().equals(src) ? "" : IpText.format(f, p.src()), ports && p.sport() != SOURCE_PORT ? p.sport() : -1, icmpType,
        flags, p.state().name(), p.mark(), local && p.uid() != 0 ? p.uid() : -1, local && p.gid() != 0 ? p.gid() : -1));
  }

  /** TCP flags as {@code ksaudit trace --tcp-flags} and iptables' {@code --tcp-flags} name them: "ACK", "SYN,ACK". */
  static String tcpFlags(int flags) {
    List<String> names = new ArrayList<>();
    String[] all = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    for (int i = 0; i < all.length; i++) if ((flags & (1 << i)) != 0) names.add(all[i]);
    return names.isEmpty() ? "NONE" : String.join(",", names);
  }

  /**
   * Destinations that look like a host, not a network or its broadcast: an IPv4 address whose
   * last byte is neither 0 nor 255, an IPv6 address whose last 16 bits are not all zero.
   */
  static PacketSet hostAddresses(SetScope s, Family f) {
    BigInteger low = BigInteger.ONE.shiftLeft(f == Family.IPV4 ? 8 : 16).subtract(BigInteger.ONE);
    PacketSet network = s.masked(PacketField.ORIG_DST, BigInteger.ZERO, low);
    PacketSet broadcast = s.masked(PacketField.ORIG_DST, low, low);
    return s.all().minus(f == Family.IPV4 ? network.or(broadcast) : network);
  }

  /**
   * Destinations of a wider scope than the link where there are any: not IPv4 224.0.0.0/24,
   * not IPv6 multicast of the reserved scopes 0 and f or of interface- or link-local scope.
   */
  static PacketSet beyondReservedScopes(SetScope s, Family f) {
    List<Cidr> narrow = f == Family.IPV4 ? List.of(LeakScene.cidr(f, "224.0.0.0", 24))
        : List.of(LeakScene.cidr(f, "ff00::", 16), LeakScene.cidr(f, "ff01::", 16), LeakScene.cidr(f, "ff02::", 16),
            LeakScene.cidr(f, "ff0f::", 16), LeakScene.cidr(f, "ff10::", 16), LeakScene.cidr(f, "ff11::", 16),
            LeakScene.cidr(f, "ff12::", 16), LeakScene.cidr(f, "ff1f::", 16));
    return s.all().minus(anyOf(s, narrow));
  }

  /** Destinations a probe can be sent to: not multicast, broadcast, loopback, unspecified, reserved or link-local. */
  static PacketSet ordinaryDestinations(SetScope s, Family f) {
    List<Cidr> special = f == Family.IPV4
        ? List.of(LeakScene.cidr(f, "0.0.0.0", 8), LeakScene.cidr(f, "127.0.0.0", 8),
            LeakScene.cidr(f, "224.0.0.0", 3), LeakScene.cidr(f, "169.254.0.0", 16),
            LeakScene.cidr(f, "198.18.0.0", 15))
        : List.of(LeakScene.cidr(f, "ff00::", 8), LeakScene.cidr(f, "fe80::", 10), LeakScene.cidr(f, "::", 96),
            LeakScene.cidr(f, "::ffff:0:0", 96), LeakScene.cidr(f, "2001:2::", 48));
    return s.all().minus(anyOf(s, special));
  }

  private static PacketSet anyOf(SetScope s, List<Cidr> cidrs) {
    PacketSet out = s.none();
    for (Cidr c : cidrs) out = out.or(s.within(PacketField.ORIG_DST, c));
    return out;
  }
}
