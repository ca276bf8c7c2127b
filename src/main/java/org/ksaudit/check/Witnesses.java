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

  static Picked pick(RulesetAnalysis a, Path path, int set, List<Integer> preferences) {
    return pick(a, path, set, preferences, RulesetAnalysis.Start.NEW_CONNECTIONS);
  }

  /**
   * A member of {@code set}, which leaks from {@code start}, as a {@link Witness} when it has a
   * probe's shape; a witness of an open connection or a marked packet carries its state or
   * mark and is not {@link Witness#replayable() replayable} as a probe.
   */
  static Picked pick(RulesetAnalysis a, Path path, int set, List<Integer> preferences, RulesetAnalysis.Start start) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    int definite = s.definitely(set);
    int replayable = path == Path.OUTPUT ? replayable(s, set) : Bdd.FALSE;
    int base = Bdd.FALSE;
    for (int candidate : new int[] {b.and(definite, replayable), definite, replayable, set}) {
      if (candidate != Bdd.FALSE) {
        base = candidate;
        break;
      }
    }
    Certainty certainty = b.subset(base, definite) ? Certainty.DEFINITE : Certainty.POSSIBLE;
    boolean probeShaped = replayable != Bdd.FALSE && b.subset(base, replayable);
    List<Integer> prefs = new ArrayList<>();
    prefs.add(ordinaryDestinations(s));
    prefs.addAll(preferences);
    prefs.add(s.dstTypeIn(List.of(AddrType.UNICAST)));
    for (String n : AuditContext.FAMILIAR) prefs.add(s.oifIn(List.of(s.interfaces().classOf(n))));
    prefs.add(s.proto.eq(Packet.TCP));
    prefs.add(s.tcpFlags.eq(Packet.SYN));
    prefs.add(s.icmpType.eq(Packet.echoRequest(s.family())));
    prefs.add(s.icmpCode.eq(0));
    prefs.add(s.src.eq(source(s.family())));
    prefs.add(s.sport.eq(SOURCE_PORT));
    prefs.add(s.srcTypeIn(List.of(AddrType.LOCAL)));
    prefs.add(s.uid.eq(0));
    prefs.add(s.gid.eq(0));
    prefs.add(s.origDport.eq(443));
    prefs.add(s.origDst.eq(documentation(s.family(), 10)));
    int narrowed = s.prefer(base, prefs);
    boolean[] asg = b.anySat(narrowed);
    Packet fin = s.read(asg);
    Packet orig = s.readOriginal(asg);
    Packet first = startPacket(orig, start);
    Map<UnknownKey, Boolean> outcomes = s.readUnknowns(asg);
    ConcreteInterpreter.Result r = new ConcreteInterpreter(a.ruleset(), UnknownOracle.of(outcomes)).run(path, first);
    Optional<Witness> w = probeShaped ? asWitness(first, fin, path) : Optional.empty();
    return new Picked(w, first, certainty, r.steps());
  }

  /**
   * The packet as it entered the path (rewrites along the path are replayed from it): the
   * scenario's state and marks. A packet of an open connection that NOTRACK left untracked
   * was ESTABLISHED before; a marked packet keeps the mark it ends with, which is the mark it
   * started with unless a MARK rule changed it.
   */
  static Packet startPacket(Packet orig, RulesetAnalysis.Start start) {
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

  /** The probe-shaped description of a packet, when it is one (UDP, TCP, ICMP echo leaving a host). */
  static Optional<Witness> asWitness(Packet p, Packet fin, Path path) {
    if (path != Path.OUTPUT) return Optional.empty();
    String proto;
    if (p.proto() == Packet.TCP) proto = "tcp";
    else if (p.proto() == Packet.UDP) proto = "udp";
    else if (p.isIcmp() && p.icmpType() == Packet.echoRequest(p.family()) && p.icmpCode() == 0) proto = "icmp";
    else return Optional.empty();
    if (p.fragment() || fin.oif().isEmpty()) return Optional.empty();
    return Optional.of(new Witness(p.family(), proto, IpText.format(p.family(), p.dst()), proto.equals("icmp") ? -1 : p.dport(),
        fin.oif(), p.state().name(), p.mark()));
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
