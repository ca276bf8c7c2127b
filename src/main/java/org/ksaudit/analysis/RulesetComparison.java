package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.InterfaceName;

/**
 * Two rulesets of one family in one packet space, compared scenario by scenario: "what does
 * the later version let out that the earlier one stopped", and the reverse, each class of
 * packets with the rule that lets it out and a witness. Batfish's compareFilters asks the same
 * of two filters; here each scenario of the killswitch audit (the tunnel gone, open
 * connections, marked packets, TEE copies, forwarded packets) is a question of its own.
 *
 * <p>A packet is compared as it starts on its path. What the engine returns is the packet as
 * the rules leave it, so the fields a rule of either version may rewrite are forgotten before
 * the comparison (the destination and port are kept through their original copies). Where that
 * forgets something (a MARK rule and marked packets), a class holds every packet that one
 * version may let out and the other may stop: more than the exact difference, never less.
 * Unknown matches (an ipset, a string match) are free in each version separately: a packet
 * the two versions decide by the same unknown match is a "possible" change.
 */
public final class RulesetComparison {
  private final Ruleset before;
  private final Ruleset after;
  private final PacketSpace space;
  private final Bdd b;
  private final RulesetAnalysis earlier;
  private final RulesetAnalysis later;
  private final WitnessDefaults defaults;
  private final List<Integer> kept = new ArrayList<>();

  /**
   * @param tunnels tunnel interface patterns ({@code +} wildcard), the same for both versions
   * @param notTunnels names that are never the tunnel
   */
  public RulesetComparison(Ruleset before, Ruleset after, Collection<InterfaceName> tunnels,
      Collection<InterfaceName> notTunnels, WitnessDefaults defaults) {
    if (before.family() != after.family()) throw new IllegalArgumentException("an IPv4 and an IPv6 ruleset cannot be compared");
    this.before = before;
    this.after = after;
    this.defaults = defaults;
    RuleDecoding oldRules = new RuleDecoding(before);
    RuleDecoding newRules = new RuleDecoding(after);
    List<InterfaceName> patterns = RulesetAnalysis.patterns(List.of(Mentions.of(before), Mentions.of(after)), tunnels, notTunnels);
    this.space = new PacketSpace(before.family(), InterfaceUniverse.of(patterns, defaults.interfaces()),
        oldRules.markBits() | newRules.markBits(), LeadingField.of(List.of(oldRules, newRules)));
    this.b = space.bdd();
    this.earlier = new RulesetAnalysis(before, tunnels, notTunnels, oldRules, space);
    this.later = new RulesetAnalysis(after, tunnels, notTunnels, newRules, space);
    space.addRoots(() -> kept);
  }

  /** Every class of packets the versions treat differently, scenario by scenario: what the later version lets out first. */
  public List<LeakChange> changes() {
    if (sameRules(before, after)) return List.of();
    List<LeakChange> out = new ArrayList<>();
    for (LeakScenario s : LeakScenario.values()) {
      Walk w0 = walk(earlier, s);
      Walk w1 = walk(later, s);
      Comparing how = new Comparing(lost(s), reroutes(s));
      out.addAll(changes(s, w1, later, w0, earlier, how, true));
      out.addAll(changes(s, w0, earlier, w1, later, how, false));
    }
    out.sort(java.util.Comparator.comparing((LeakChange c) -> !c.letOut()).thenComparing(LeakChange::scenario));
    return out;
  }

  /**
   * The same tables, chains, policies and rule lines in the same order: nothing to compare,
   * and nothing the engine leaves undecided (an ipset match) can differ between them.
   */
  static boolean sameRules(Ruleset a, Ruleset b) {
    return canonical(a).equals(canonical(b));
  }

  private static List<String> canonical(Ruleset rs) {
    List<String> out = new ArrayList<>();
    rs.tables().stream().sorted(java.util.Comparator.comparing(Table::name)).forEach(t -> {
      out.add("*" + t.name());
      for (Chain c : t.chains()) {
        out.add(":" + c.name() + " " + c.policy().map(Enum::name).orElse("-"));
        for (Rule r : c.rules()) out.add(r.text().strip());
      }
    });
    return out;
  }

  /** One version's walk of a scenario: its start, what each decisive rule lets out, what is stopped or stays on the host. */
  private record Walk(int start, Map<Decider, Integer> out, int stopped) {}

  private Walk walk(RulesetAnalysis a, LeakScenario s) {
    int start = keep(start(a, s));
    if (start == Bdd.FALSE) return new Walk(start, Map.of(), Bdd.FALSE);
    SetEngine.Outcome o = a.engine().run(s.path(), start, SetEngine.Routing.anyOf(a.routable()), Recorder.NONE);
    int local = space.dstTypeIn(List.of(AddrType.LOCAL));
    Map<Decider, Integer> out = new LinkedHashMap<>();
    o.acceptedBy().forEach((d, set) -> {
      int leaving = b.diff(set, local);
      if (leaving != Bdd.FALSE) out.put(d, keep(leaving));
    });
    int stopped = b.and(o.get(Verdict.ACCEPT), local);
    for (Verdict v : Verdict.values()) if (v != Verdict.ACCEPT) stopped = b.or(stopped, o.get(v));
    return new Walk(start, out, keep(stopped));
  }

  /**
   * The packets a scenario starts with in one version. Marked packets start with any mark
   * either version can tell from none, in both: a version that tests no mark treats them as
   * unmarked, and that is what it is compared with. Open connections and TEE copies start
   * with what the version itself makes (its connection marks, its TEE rules).
   */
  private int start(RulesetAnalysis a, LeakScenario s) {
    return switch (s) {
      case TUNNEL_GONE -> a.outputStart();
      case OPEN_CONNECTIONS, TEE_COPIES -> a.start(s.start());
      case MARKED_PACKETS -> space.markBits() == 0 ? Bdd.FALSE : a.buildOutputStart(space.stateIn(List.of(ConnState.NEW)),
          b.not(space.mark.masked(BigInteger.ZERO, BigInteger.valueOf(space.markBits()))), space.ctmark.eq(0));
      case FORWARDED -> a.forwardStart();
    };
  }

  /**
   * The fields a rule of either version may rewrite on the scenario's path, which the
   * comparison forgets (the destination and port always: their original copies stay).
   */
  private List<BitField> lost(LeakScenario s) {
    List<BitField> out = new ArrayList<>(List.of(space.dst, space.dport));
    boolean dnat = rewrites(a -> a instanceof TargetAction.Nat n && n.rewrite().isPresent());
    boolean marks = rewrites(a -> a instanceof TargetAction.Continue c && c.effects().stream()
        .anyMatch(e -> e instanceof TargetAction.MarkRewrite || e instanceof TargetAction.AnyMark));
    boolean notrack = rewrites(a -> a instanceof TargetAction.Continue c && c.effects().stream()
        .anyMatch(e -> e instanceof TargetAction.Notrack));
    if (dnat) out.add(space.dstType);
    if (marks) out.addAll(List.of(space.mark, space.ctmark));
    if (notrack) out.add(space.state);
    return out;
  }

  /**
   * Whether a rule of either version may rewrite a mark or destination on the OUTPUT path:
   * the kernel then routes the packet again, and the engine lets it leave through any
   * interface. The interface it starts with then says nothing about the one it leaves
   * through, so packets are compared by the interface they leave through (the same route in
   * both versions) and start from any.
   */
  private boolean reroutes(LeakScenario s) {
    return s.path() == Path.OUTPUT && rewrites(a -> a instanceof TargetAction.Nat n && n.rewrite().isPresent()
        || a instanceof TargetAction.Continue c && c.effects().stream()
            .anyMatch(e -> e instanceof TargetAction.MarkRewrite || e instanceof TargetAction.AnyMark));
  }

  private boolean rewrites(java.util.function.Predicate<TargetAction> kind) {
    for (RulesetAnalysis a : List.of(earlier, later)) {
      for (Table t : a.ruleset().tables()) {
        for (Chain c : t.chains()) {
          for (Rule r : c.rules()) if (kind.test(a.decoding().decode(t, r).action())) return true;
        }
      }
    }
    return false;
  }

  /** How packets at the end of their paths are taken back to where they started: the fields forgotten, the interface kept or not. */
  private record Comparing(List<BitField> lost, boolean byFinalInterface) {}

  /**
   * The packets of a start whose path ends in {@code set}: rewritten fields forgotten, then
   * the start's own values (but for the output interface, when the packet is routed again).
   */
  private int origin(int start, int set, Comparing how) {
    int s = set;
    for (BitField f : how.lost()) s = f.forget(s);
    return b.and(from(start, how), s);
  }

  /** The packets a start holds, as the comparison sees them. */
  private int from(int start, Comparing how) {
    return how.byFinalInterface() ? space.oif.forget(start) : start;
  }

  /** What {@code from} lets out that {@code other} stops (or does not have), one class per rule of {@code from}. */
  private List<LeakChange> changes(LeakScenario s, Walk from, RulesetAnalysis fromRules, Walk other,
      RulesetAnalysis otherRules, Comparing how, boolean letOut) {
    List<LeakChange> out = new ArrayList<>();
    if (from.out().isEmpty()) return out;
    int stops = keep(b.or(origin(other.start(), other.stopped(), how), b.not(from(other.start(), how))));
    for (Map.Entry<Decider, Integer> e : from.out().entrySet()) {
      int changed = b.and(origin(from.start(), e.getValue(), how), stops);
      if (changed == Bdd.FALSE) continue;
      int definite = space.definitely(changed);
      int base = definite != Bdd.FALSE ? definite : changed;
      boolean[] asg = space.first(space.prefer(base, preferences(s.path())));
      Packet witness = space.read(asg);
      UnknownOracle oracle = UnknownOracle.of(space.readUnknowns(asg));
      ConcreteInterpreter.Result there = new ConcreteInterpreter(fromRules.ruleset(), oracle).run(s.path(), witness);
      boolean exists = b.intersects(from(other.start(), how), space.point(witness));
      ConcreteInterpreter.Result elsewhere = new ConcreteInterpreter(otherRules.ruleset(), oracle).run(s.path(), witness);
      // where a rewritten field was forgotten the class may hold packets the versions treat alike:
      // a witness the two versions do not treat as the class says makes the change only possible
      boolean confirmed = leaves(there) && !(exists && leaves(elsewhere));
      out.add(new LeakChange(s, letOut, e.getKey(), witness, there.finalPacket(), definite != Bdd.FALSE && confirmed,
          there.steps(), exists ? elsewhere.steps() : List.of()));
    }
    return out;
  }

  private static boolean leaves(ConcreteInterpreter.Result r) {
    return r.verdict() == Verdict.ACCEPT && r.finalPacket().dstType() != AddrType.LOCAL;
  }

  /**
   * What makes a witness telling and replayable, most important first: the shape of the lab's
   * probes (a TCP SYN, a UDP datagram or an ICMP echo request of root from the default source),
   * an ordinary unicast destination, a familiar interface, then the usual values of the rest.
   */
  private List<Integer> preferences(Path path) {
    Family f = space.family();
    int shape = b.or(b.and(space.proto.eq(Packet.TCP), space.tcpFlags.eq(Packet.SYN)), space.proto.eq(Packet.UDP));
    shape = b.or(shape, b.and(space.proto.eq(Packet.icmpProto(f)),
        b.and(space.icmpType.eq(Packet.echoRequest(f)), space.icmpCode.eq(0))));
    int probe = b.and(shape, space.src.eq(defaults.source(path)));
    if (path == Path.OUTPUT) probe = b.and(probe, b.and(space.uid.eq(0), space.gid.eq(0)));
    List<Integer> out = new ArrayList<>();
    out.add(probe);
    // a mark a rule tests, rather than one no rule tells from another
    for (RulesetAnalysis a : List.of(later, earlier)) {
      for (Table t : a.ruleset().tables()) {
        for (Chain c : t.chains()) {
          for (Rule r : c.rules()) {
            for (Condition cond : a.decoding().decode(t, r).conditions()) {
              if (cond instanceof Condition.MarkIs m && !m.conn() && !m.negated() && m.value() != 0)
                out.add(space.mark.masked(BigInteger.valueOf(m.value()), BigInteger.valueOf(m.mask())));
            }
          }
        }
      }
    }
    out.add(ordinaryDestinations());
    out.add(hostAddresses());
    out.add(space.dstTypeIn(List.of(AddrType.UNICAST)));
    for (String n : defaults.interfaces()) out.add(space.oifIn(List.of(space.interfaces().classOf(n))));
    out.add(space.proto.eq(Packet.TCP));
    out.add(space.tcpFlags.eq(Packet.SYN));
    out.add(space.sport.eq(defaults.sourcePort()));
    out.add(space.origDport.eq(443));
    out.add(space.uid.eq(0));
    out.add(space.gid.eq(0));
    out.add(space.origDst.eq(defaults.destination()));
    return out;
  }

  /** Destinations a probe can be sent to: not multicast, broadcast, loopback, unspecified, link-local or the probes' own range. */
  private int ordinaryDestinations() {
    Family f = space.family();
    List<String> special = f == Family.IPV4
        ? List.of("0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/3", "169.254.0.0/16", "198.18.0.0/15")
        : List.of("ff00::/8", "fe80::/10", "::/96", "::ffff:0:0/96", "2001:2::/48");
    int bad = Bdd.FALSE;
    for (String c : special) {
      String[] parts = c.split("/");
      bad = b.or(bad, space.cidr(space.origDst, AddrType.cidr(f, parts[0], Integer.parseInt(parts[1]))));
    }
    return b.not(bad);
  }

  /** Destinations that look like a host: not an IPv4 address ending in .0 or .255, not an IPv6 one ending in :0. */
  private int hostAddresses() {
    Family f = space.family();
    BigInteger low = BigInteger.ONE.shiftLeft(f == Family.IPV4 ? 8 : 16).subtract(BigInteger.ONE);
    int network = space.origDst.masked(BigInteger.ZERO, low);
    return b.not(f == Family.IPV4 ? b.or(network, space.origDst.masked(low, low)) : network);
  }

  private int keep(int set) {
    kept.add(set);
    return set;
  }
}
