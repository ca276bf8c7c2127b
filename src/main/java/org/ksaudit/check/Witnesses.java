package org.ksaudit.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.analysis.AddrType;
import org.ksaudit.analysis.Bdd;
import org.ksaudit.analysis.ConcreteInterpreter;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketSpace;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.analysis.UnknownKey;
import org.ksaudit.analysis.UnknownOracle;
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

  static Picked pick(RulesetAnalysis a, Path path, int set, List<Integer> preferences, int allLeaks) {
    return pick(a, path, set, preferences, RulesetAnalysis.Start.NEW_CONNECTIONS, allLeaks);
  }

  /**
   * A member of {@code set}, which leaks from {@code start}, as a {@link Witness} with every
   * field the leak needs. It is definite when the packet leaks whatever the matches the engine
   * cannot decide say ({@code allLeaks} is what every rule lets out from the start: an
   * undecided match that only chooses which rule accepts decides nothing), taking the matches
   * an ordinary packet fails ({@link #ordinary}) as failed.
   */
  static Picked pick(RulesetAnalysis a, Path path, int set, List<Integer> preferences, RulesetAnalysis.Start start,
      int allLeaks) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    int plain = ordinary(s, set);
    if (plain == Bdd.FALSE) plain = set;
    int definite = b.and(plain, s.definitely(ordinary(s, allLeaks)));
    int replayable = path == Path.OUTPUT ? replayable(s, plain) : Bdd.FALSE;
    int base = Bdd.FALSE;
    for (int candidate : new int[] {b.and(definite, replayable), definite, replayable, plain}) {
      if (candidate != Bdd.FALSE) {
        base = candidate;
        break;
      }
    }
    Certainty certainty = b.subset(base, definite) ? Certainty.DEFINITE : Certainty.POSSIBLE;
    Family f = s.family();
    List<Integer> prefs = new ArrayList<>();
    prefs.add(ordinaryDestinations(s));
    prefs.add(beyondReservedScopes(s));
    prefs.addAll(preferences);
    prefs.add(hostAddresses(s));
    prefs.add(s.dstTypeIn(List.of(AddrType.UNICAST)));
    for (String n : AuditContext.FAMILIAR) prefs.add(s.oifIn(List.of(s.interfaces().classOf(n))));
    prefs.add(s.proto.eq(Packet.TCP));
    prefs.add(s.tcpFlags.eq(Packet.SYN));
    prefs.add(s.icmpType.eq(Packet.echoRequest(f)));
    prefs.add(s.icmpCode.eq(0));
    prefs.add(s.src.eq(defaultSource(f, path)));
    prefs.add(b.not(s.src.masked(BigInteger.ZERO, BigInteger.valueOf(0xff))));
    prefs.add(s.sport.eq(SOURCE_PORT));
    prefs.add(s.srcTypeIn(List.of(path == Path.OUTPUT ? AddrType.LOCAL : AddrType.UNICAST)));
    prefs.add(s.uid.eq(0));
    prefs.add(s.gid.eq(0));
    prefs.add(s.origDport.eq(443));
    prefs.add(s.origDst.eq(documentation(f, 10)));
    int narrowed = s.prefer(base, prefs);
    boolean[] asg = b.anySat(narrowed);
    Packet fin = s.read(asg);
    Packet orig = s.readOriginal(asg);
    Packet first = startPacket(orig, start, path);
    Map<UnknownKey, Boolean> outcomes = s.readUnknowns(asg);
    ConcreteInterpreter.Result r = new ConcreteInterpreter(a.ruleset(), UnknownOracle.of(outcomes)).run(path, first);
    return new Picked(asWitness(first, fin, path), first, certainty, r.steps());
  }

  static BigInteger defaultSource(Family f, Path path) {
    if (path == Path.FORWARD) return addr(f, f == Family.IPV4 ? FORWARD_SOURCE_V4 : FORWARD_SOURCE_V6);
    return source(f);
  }

  /**
   * The set with the undecided matches that an ordinary packet fails taken as failed: a
   * routing-header match ({@code -m rt}) never matches a packet without a routing header, and
   * neither a local process nor the lab sends one unless it asks for it.
   */
  static int ordinary(PacketSpace s, int set) {
    List<Integer> vars = new ArrayList<>();
    for (Map.Entry<Integer, UnknownKey> e : s.unknowns().entrySet()) {
      String what = e.getValue().what();
      if (what.equals("-m rt") || what.startsWith("-m rt ")) vars.add(e.getKey());
    }
    if (vars.isEmpty()) return set;
    Bdd b = s.bdd();
    int failed = Bdd.TRUE;
    for (int v : vars) failed = b.and(failed, b.nithVar(v));
    return b.exists(b.and(set, failed), Bdd.VarSet.of(vars.stream().mapToInt(Integer::intValue).toArray()));
  }

  /**
   * The packet as it entered the path (rewrites along the path are replayed from it): the
   * scenario's state and marks. A packet of an open connection that NOTRACK left untracked
   * was ESTABLISHED before; a marked packet keeps the mark it ends with, which is the mark it
   * started with unless a MARK rule changed it.
   */
  static Packet startPacket(Packet orig, RulesetAnalysis.Start start, Path path) {
    if (path == Path.FORWARD) return orig;
    return switch (start) {
      case NEW_CONNECTIONS -> orig.withState(ConnState.NEW).withMark(0).withCtmark(0);
      case OPEN_CONNECTIONS -> orig.withState(orig.state() == ConnState.RELATED ? ConnState.RELATED : ConnState.ESTABLISHED)
          .withMark(0);
      case MARKED_PACKETS -> orig.withState(ConnState.NEW).withCtmark(0);
      case TEE_COPIES -> orig.withState(ConnState.UNTRACKED).withCtmark(0);
    };
  }

  /**
   * The members the lab (and {@code ksaudit trace} with its defaults) can send as they are:
   * from the probes' source address, by uid 0, as a TCP SYN, UDP datagram or ICMP echo
   * request, and leaking whatever source port the sender picks.
   */
  static int replayable(PacketSpace s, int set) {
    Bdd b = s.bdd();
    int shape = b.or(b.and(s.proto.eq(Packet.TCP), s.tcpFlags.eq(Packet.SYN)), s.proto.eq(Packet.UDP));
    shape = b.or(shape, b.and(s.proto.eq(Packet.icmpProto(s.family())),
        b.and(s.icmpType.eq(Packet.echoRequest(s.family())), s.icmpCode.eq(0))));
    // the probe's shape as one small set first, then one intersection with the (possibly huge)
    // leak set: each intersection with it rebuilds it, six of them took seconds on kube-proxy's
    int probe = b.and(shape, s.src.eq(source(s.family())));
    probe = b.and(probe, b.and(s.uid.eq(0), s.gid.eq(0)));
    probe = b.and(probe, b.and(s.socket.eq(1), s.fragment.eq(0)));
    probe = b.and(probe, s.srcTypeIn(List.of(AddrType.LOCAL)));
    return s.sport.forall(b.and(set, probe));
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
  static int hostAddresses(PacketSpace s) {
    Bdd b = s.bdd();
    BigInteger low = BigInteger.ONE.shiftLeft(s.family() == Family.IPV4 ? 8 : 16).subtract(BigInteger.ONE);
    int network = s.origDst.masked(BigInteger.ZERO, low);
    int broadcast = s.origDst.masked(low, low);
    return b.not(s.family() == Family.IPV4 ? b.or(network, broadcast) : network);
  }

  /**
   * Destinations of a wider scope than the link where there are any: not IPv4 224.0.0.0/24,
   * not IPv6 multicast of the reserved scopes 0 and f or of interface- or link-local scope.
   */
  static int beyondReservedScopes(PacketSpace s) {
    Bdd b = s.bdd();
    Family f = s.family();
    List<Cidr> narrow = f == Family.IPV4 ? List.of(LeakPartition.cidr(f, "224.0.0.0", 24))
        : List.of(LeakPartition.cidr(f, "ff00::", 16), LeakPartition.cidr(f, "ff01::", 16), LeakPartition.cidr(f, "ff02::", 16),
            LeakPartition.cidr(f, "ff0f::", 16), LeakPartition.cidr(f, "ff10::", 16), LeakPartition.cidr(f, "ff11::", 16),
            LeakPartition.cidr(f, "ff12::", 16), LeakPartition.cidr(f, "ff1f::", 16));
    int bad = Bdd.FALSE;
    for (Cidr c : narrow) bad = b.or(bad, s.cidr(s.origDst, c));
    return b.not(bad);
  }

  /** Destinations a probe can be sent to: not multicast, broadcast, loopback, unspecified, reserved or link-local. */
  static int ordinaryDestinations(PacketSpace s) {
    Bdd b = s.bdd();
    Family f = s.family();
    List<Cidr> special = f == Family.IPV4
        ? List.of(LeakPartition.cidr(f, "0.0.0.0", 8), LeakPartition.cidr(f, "127.0.0.0", 8),
            LeakPartition.cidr(f, "224.0.0.0", 3), LeakPartition.cidr(f, "169.254.0.0", 16),
            LeakPartition.cidr(f, "198.18.0.0", 15))
        : List.of(LeakPartition.cidr(f, "ff00::", 8), LeakPartition.cidr(f, "fe80::", 10), LeakPartition.cidr(f, "::", 96),
            LeakPartition.cidr(f, "::ffff:0:0", 96), LeakPartition.cidr(f, "2001:2::", 48));
    int bad = Bdd.FALSE;
    for (Cidr c : special) bad = b.or(bad, s.cidr(s.origDst, c));
    return b.not(bad);
  }
}
