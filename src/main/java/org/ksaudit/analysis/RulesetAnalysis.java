package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.InterfaceName;

/**
 * One ruleset with its packet space and engine, in the scenario "the tunnel is gone": tunnel
 * interfaces do not exist, and any other interface except loopback may carry a packet to any
 * destination. Builds the start sets of that scenario and caches what is computed from them.
 */
public final class RulesetAnalysis {
  private static final InterfaceName LOOPBACK = new InterfaceName("lo");

  private final Ruleset ruleset;
  private final Mentions mentions;
  private final Set<InterfaceName> tunnels;
  private final Set<InterfaceName> notTunnels;
  private final RuleDecoding decoding;
  private final PacketSpace space;
  private final SetEngine engine;
  private final Map<Path, Map<Start, SetEngine.Outcome>> leaks = new EnumMap<>(Path.class);
  private Reachability reachability;
  private int outputStart = -1;
  private int anyDestination = -1;
  /** Whether the OUTPUT scenario was walked already (its starts may be forgotten since). */
  private boolean outputWalked;

  /**
   * Which packets of the OUTPUT scenario a leak computation starts from. Each is a class of
   * packets that really leaves when the rules let it: the kernel routes it out of a physical
   * interface once the tunnel's routes are gone.
   */
  public enum Start {
    /** The first packet of a new connection, without a mark: what any application sends. */
    NEW_CONNECTIONS,
    /**
     * Packets of connections that were open when the tunnel went down: conntrack keeps their
     * entries (state ESTABLISHED or RELATED) and the sockets keep sending. No mark; connection
     * mark 0, or one the rules may have given the connection on its earlier packets (see
     * {@link #openConnectionMarks}).
     */
    OPEN_CONNECTIONS,
    /**
     * The first packet of a new connection carrying a non-zero packet mark, as WireGuard's
     * socket and any process with CAP_NET_ADMIN (SO_MARK) can set from the start; only marks
     * the rules can tell from no mark (see {@link #testedMarkBits}).
     */
    MARKED_PACKETS,
    /**
     * Copies a TEE rule sends to its gateway. The kernel gives a copy the "untracked"
     * conntrack entry (state UNTRACKED, no connection mark), keeps the packet mark, and sends
     * it with ip_local_out, so it crosses the OUTPUT hooks again (TEE does not copy a copy)
     * through whatever interface routes to the gateway. The header is the original's at a TEE
     * rule: any packet that rule's own matches take (the chains that lead to it may take
     * fewer: copies are "possible" leaks). Walked only when a rule uses TEE.
     */
    TEE_COPIES
  }

  /**
   * @param tunnels tunnel interface patterns ({@code +} wildcard)
   * @param names concrete interface names the caller will use (probes, trace)
   */
  public RulesetAnalysis(Ruleset ruleset, Collection<InterfaceName> tunnels, Collection<String> names) {
    this(ruleset, tunnels, List.of(), names);
  }

  /**
   * @param tunnels tunnel interface patterns ({@code +} wildcard)
   * @param notTunnels names that are never the tunnel, even where a tunnel pattern covers them
   * @param names concrete interface names the caller will use (probes, trace)
   */
  public RulesetAnalysis(Ruleset ruleset, Collection<InterfaceName> tunnels, Collection<InterfaceName> notTunnels,
      Collection<String> names) {
    this(ruleset, tunnels, notTunnels, new RuleDecoding(ruleset), names);
  }

  private RulesetAnalysis(Ruleset ruleset, Collection<InterfaceName> tunnels, Collection<InterfaceName> notTunnels,
      RuleDecoding decoding, Collection<String> names) {
    this(ruleset, tunnels, notTunnels, decoding, new PacketSpace(ruleset.family(),
        InterfaceUniverse.of(patterns(List.of(Mentions.of(ruleset)), tunnels, notTunnels), names), decoding.markBits(),
        LeadingField.of(List.of(decoding))));
  }

  /**
   * An analysis in a space it shares with another ruleset's (see {@link RulesetComparison}):
   * the space must have a class for every interface pattern of {@link #patterns} and a
   * variable for every mark bit the decoding tests.
   */
  RulesetAnalysis(Ruleset ruleset, Collection<InterfaceName> tunnels, Collection<InterfaceName> notTunnels,
      RuleDecoding decoding, PacketSpace space) {
    this.ruleset = ruleset;
    this.mentions = Mentions.of(ruleset);
    this.tunnels = Set.copyOf(tunnels);
    this.notTunnels = Set.copyOf(notTunnels);
    this.decoding = decoding;
    this.space = space;
    this.engine = new SetEngine(space, decoding);
    space.addRoots(this::keptSets);
  }

  /** The interface patterns an analysis tells apart: what the rules mention, the tunnels, the names that are not, loopback. */
  static List<InterfaceName> patterns(List<Mentions> mentioned, Collection<InterfaceName> tunnels,
      Collection<InterfaceName> notTunnels) {
    List<InterfaceName> patterns = new ArrayList<>();
    for (Mentions m : mentioned) patterns.addAll(m.interfaces());
    patterns.addAll(tunnels);
    patterns.addAll(notTunnels);
    patterns.add(LOOPBACK);
    return patterns;
  }

  public Ruleset ruleset() {
    return ruleset;
  }

  public Mentions mentions() {
    return mentions;
  }

  PacketSpace space() {
    return space;
  }

  SetEngine engine() {
    return engine;
  }

  /** A rule as the engine reads it: its conditions and what its target does. */
  public RuleDecoder.Decoded decode(Table table, Rule rule) {
    return engine.decode(table, rule);
  }

  /** Nodes the packet space's store holds (for benchmarks). */
  public int storeSize() {
    return space.bdd().nodeCount();
  }

  /** A scope for the packet sets the questions below answer with; close it when they are no longer needed. */
  public SetScope openScope() {
    return new SetScope(space);
  }

  /**
   * Which packets each rule (or policy) of the path's decisive stage lets out in the scenario
   * "the tunnel is gone", from a start (FORWARD has only new connections: {@code start} is
   * ignored there). Packets routed to a local address are no leaks and are left out.
   */
  public Map<Decider, PacketSet> letOut(SetScope scope, Path path, Start start) {
    Map<Decider, Integer> by = leaks(path, start).acceptedBy();
    Map<Decider, PacketSet> out = new java.util.LinkedHashMap<>();
    by.forEach((d, set) -> out.put(d, scope.wrap(set)));
    return out;
  }

  /** Walks a path once, so that {@link #letOut} finds it done (the audit walks FORWARD on a thread of its own). */
  public void walk(Path path) {
    leaks(path);
  }

  /** The packets a rule's matches take, as a stage of built-in chain {@code hook} sees them. */
  public PacketSet matchedBy(SetScope scope, Table table, Rule rule, String hook) {
    return scope.wrap(engine.conditionOf(table, rule, StageView.of(hook)));
  }

  /** Every original destination the OUTPUT scenario starts with: what "any destination" means. */
  public PacketSet anyDestination(SetScope scope) {
    return scope.wrap(anyDestination());
  }

  /** The interfaces a packet can leave through when the tunnel is gone, one name per class the rules tell apart. */
  public List<String> routableInterfaces() {
    return routableClasses().stream().map(space.interfaces()::representative).toList();
  }

  /** Of {@link #routableInterfaces}, those some packet of the set leaves through. */
  public List<String> leavesThrough(PacketSet set) {
    int o = space.oif.project(set.node());
    Bdd b = space.bdd();
    List<String> out = new ArrayList<>();
    for (int cls : routableClasses()) if (b.and(o, space.oif.eq(cls)) != Bdd.FALSE) out.add(space.interfaces().representative(cls));
    return out;
  }

  /** One name for each class of interfaces the rules tell apart. */
  public List<String> interfaceClasses() {
    InterfaceUniverse u = space.interfaces();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < u.size(); i++) out.add(u.representative(i));
    return out;
  }

  /** A member of a non-empty set that leaks from {@code start} on {@code path}, replayed (see {@link Example}). */
  public Example example(PacketSet set, Start start, Path path) {
    return Example.of(decoding, space, set.node(), start, path);
  }

  /** The rules as the engine reads them, shared by the engines of this analysis. */
  RuleDecoding decoding() {
    return decoding;
  }

  public boolean isTunnel(String name) {
    return tunnels.stream().anyMatch(t -> t.matches(name)) && notTunnels.stream().noneMatch(t -> t.matches(name));
  }

  /** Interface classes a packet can leave through when the tunnel is gone: not a tunnel, not lo, not none. */
  Set<Integer> routableClasses() {
    Set<Integer> out = new LinkedHashSet<>();
    InterfaceUniverse u = space.interfaces();
    for (int i = 0; i < u.size(); i++) {
      String n = u.representative(i);
      if (n.isEmpty() || LOOPBACK.matches(n) || isTunnel(n)) continue;
      out.add(i);
    }
    return out;
  }

  int routable() {
    return space.oifIn(routableClasses());
  }

  /**
   * Destinations a packet leaving through a real interface can have, with the address type
   * the kernel gives them: multicast and limited broadcast are what they are; loopback and
   * "this network" never leave; any other address may be unicast or a subnet broadcast.
   */
  int remoteDestinations() {
    Bdd b = space.bdd();
    Family f = space.family();
    if (f == Family.IPV4) {
      int mcast = space.cidr(space.dst, AddrType.cidr(f, "224.0.0.0", 4));
      int bcast = space.dst.eq(BigInteger.valueOf(0xffffffffL));
      int local = b.or(space.cidr(space.dst, AddrType.cidr(f, "127.0.0.0", 8)), space.cidr(space.dst, AddrType.cidr(f, "0.0.0.0", 8)));
      int other = b.diff(b.diff(b.diff(Bdd.TRUE, mcast), bcast), local);
      return b.or(b.or(b.and(mcast, space.dstTypeIn(List.of(AddrType.MULTICAST))),
              b.and(bcast, space.dstTypeIn(List.of(AddrType.BROADCAST)))),
          b.and(other, space.dstTypeIn(List.of(AddrType.UNICAST, AddrType.BROADCAST))));
    }
    int mcast = space.cidr(space.dst, AddrType.cidr(f, "ff00::", 8));
    int local = b.or(space.dst.eq(BigInteger.ONE), space.dst.eq(BigInteger.ZERO));
    int other = b.diff(b.diff(Bdd.TRUE, mcast), local);
    return b.or(b.and(mcast, space.dstTypeIn(List.of(AddrType.MULTICAST))),
        b.and(other, space.dstTypeIn(List.of(AddrType.UNICAST))));
  }

  /**
   * The OUTPUT scenario: the first packet of any new connection a local process (any uid, no
   * mark) opens to any remote destination, leaving through any routable interface.
   */
  int outputStart() {
    if (outputStart < 0) outputStart = buildOutputStart();
    return outputStart;
  }

  /** Every original destination the OUTPUT scenario starts with: what "any destination" means. */
  int anyDestination() {
    if (anyDestination < 0) anyDestination = space.origDst.project(outputStart());
    return anyDestination;
  }

  /** The start of a scenario of the OUTPUT path (see {@link Start}). */
  int start(Start start) {
    return switch (start) {
      case NEW_CONNECTIONS -> outputStart();
      case OPEN_CONNECTIONS -> buildOutputStart(space.stateIn(List.of(ConnState.ESTABLISHED, ConnState.RELATED)),
          space.mark.eq(0), openConnectionMarks());
      case MARKED_PACKETS -> buildOutputStart(space.stateIn(List.of(ConnState.NEW)),
          space.bdd().not(space.mark.masked(BigInteger.ZERO, BigInteger.valueOf(testedMarkBits()))), space.ctmark.eq(0));
      // a copy may lose its socket (owner matches then fail): either way
      case TEE_COPIES -> space.bdd().and(teeCopied(), space.socket.forget(buildOutputStart(
          space.stateIn(List.of(ConnState.UNTRACKED)), Bdd.TRUE, space.ctmark.eq(0))));
    };
  }

  /**
   * The connection marks an ordinary connection can carry: conntrack starts every entry at 0
   * (a related one takes its master's), and only rules change it (CONNMARK), possibly from
   * the packet mark (--save-mark), which an ordinary process's packets start without and only
   * rules change (MARK, CONNMARK --restore-mark). The least fixed point of those rewrites over
   * (packet mark, connection mark) pairs, each applied under its rule's own mark tests and
   * nothing else (a rule's other matches and the chains leading to it may take fewer packets,
   * so this holds at least every mark a connection can get), and with every later packet
   * starting again without a packet mark. Without such rules it is 0: an ordinary connection
   * does not satisfy {@code -m connmark --mark 0xe1f1} (measured with NordVPN-style rules). A
   * mark a privileged process writes into the conntrack table (ctnetlink) is not an ordinary
   * connection's.
   */
  int openConnectionMarks() {
    Bdd b = space.bdd();
    SymbolicCompiler compiler = new SymbolicCompiler(space);
    StageView any = new StageView(true, true);
    List<MarkWriter> writers = new ArrayList<>();
    for (Table t : ruleset.tables()) {
      for (Chain c : t.chains()) {
        for (Rule r : c.rules()) {
          RuleDecoder.Decoded d = decoding.decode(t, r);
          if (!(d.action() instanceof TargetAction.Continue k)) continue;
          List<TargetAction.Effect> marks = k.effects().stream()
              .filter(e -> e instanceof TargetAction.MarkRewrite || e instanceof TargetAction.AnyMark).toList();
          if (marks.isEmpty()) continue;
          int when = Bdd.TRUE;
          for (Condition cond : d.conditions()) if (cond instanceof Condition.MarkIs) when = b.and(when, compiler.condition(cond, any));
          writers.add(new MarkWriter(when, marks));
        }
      }
    }
    int reached = b.and(space.mark.eq(0), space.ctmark.eq(0));
    while (true) {
      int next = b.or(reached, b.and(space.mark.forget(reached), space.mark.eq(0)));
      for (MarkWriter w : writers) {
        int after = b.and(reached, w.when());
        for (TargetAction.Effect e : w.effects()) after = compiler.apply(after, e);
        next = b.or(next, after);
      }
      if (next == reached) return space.mark.forget(reached);
      reached = next;
    }
  }

  /** A rule that rewrites a mark: its own mark tests, and its rewrites. */
  private record MarkWriter(int when, List<TargetAction.Effect> effects) {}

  /** Headers a TEE rule copies: the union of what every TEE rule's own matches take. */
  private int teeCopied() {
    Bdd b = space.bdd();
    int out = Bdd.FALSE;
    for (Table t : ruleset.tables()) {
      for (Chain c : t.chains()) {
        for (Rule r : c.rules()) {
          if (isTee(r)) out = b.or(out, engine.conditionOf(t, r, new StageView(true, true)));
        }
      }
    }
    return out;
  }

  private static boolean isTee(Rule r) {
    return r.target().filter(t -> t.name().equals("TEE")).isPresent();
  }

  /** Whether a start can have packets at all: marked ones only when a rule tests a mark, copies only when a rule uses TEE. */
  private boolean walks(Start st) {
    return switch (st) {
      case MARKED_PACKETS -> testedMarkBits() != 0;
      case TEE_COPIES -> ruleset.tables().stream().flatMap(t -> t.chains().stream()).flatMap(c -> c.rules().stream())
          .anyMatch(RulesetAnalysis::isTee);
      default -> true;
    };
  }

  /**
   * The mark bits any rule tests ({@code -m mark}, {@code -m connmark}). Rules rewrite marks
   * bit by bit (MARK, CONNMARK), so a mark without any of these bits fares exactly as no mark
   * does: the marked scenario needs only marks with one of them set, and none when no rule
   * tests a mark. Far fewer packets than every non-zero mark, at no loss.
   */
  public long testedMarkBits() {
    return decoding.markBits();
  }

  private int buildOutputStart() {
    return buildOutputStart(space.stateIn(List.of(ConnState.NEW)), space.mark.eq(0), space.ctmark.eq(0));
  }

  int buildOutputStart(int states, int marks, int ctmarks) {
    Bdd b = space.bdd();
    int s = space.valid();
    s = b.and(s, routable());
    s = b.and(s, space.iifIn(List.of(0)));
    s = b.and(s, states);
    s = b.and(s, space.socket.eq(1));
    s = b.and(s, marks);
    s = b.and(s, ctmarks);
    s = b.and(s, space.fragment.eq(0));
    s = b.and(s, space.srcTypeIn(List.of(AddrType.LOCAL, AddrType.BROADCAST)));
    s = b.and(s, remoteDestinations());
    s = b.and(s, space.dst.sameAs(space.origDst));
    s = b.and(s, space.dport.sameAs(space.origDport));
    return s;
  }

  /** The FORWARD scenario: new connections arriving on any non-tunnel interface, routed out of any routable one. */
  int forwardStart() {
    Bdd b = space.bdd();
    Set<Integer> in = new LinkedHashSet<>(routableClasses());
    int s = space.valid();
    s = b.and(s, routable());
    s = b.and(s, space.iifIn(in));
    s = b.and(s, space.stateIn(List.of(ConnState.NEW)));
    s = b.and(s, space.socket.eq(0));
    s = b.and(s, space.mark.eq(0));
    s = b.and(s, space.ctmark.eq(0));
    s = b.and(s, space.fragment.eq(0));
    s = b.and(s, space.srcTypeIn(List.of(AddrType.UNICAST)));
    s = b.and(s, remoteDestinations());
    s = b.and(s, space.dst.sameAs(space.origDst));
    s = b.and(s, space.dport.sameAs(space.origDport));
    return s;
  }

  /**
   * What the rules let out on a path in the scenario: accepted packets by the rule (or policy)
   * of the decisive stage that let them through. Packets routed to a local address are not
   * leaks and are left out.
   */
  SetEngine.Outcome leaks(Path path) {
    return leaks(path, Start.NEW_CONNECTIONS);
  }

  /**
   * What the rules let out on the OUTPUT path from one start (FORWARD has only new
   * connections: {@code start} is ignored there).
   */
  SetEngine.Outcome leaks(Path path, Start start) {
    Start st = path == Path.FORWARD ? Start.NEW_CONNECTIONS : start;
    Map<Start, SetEngine.Outcome> byStart = leaks.computeIfAbsent(path, p -> new EnumMap<>(Start.class));
    SetEngine.Outcome known = byStart.get(st);
    if (known != null) return known;
    // the first OUTPUT request walks every start at once; one forgotten since is walked alone
    List<Start> starts = path == Path.OUTPUT && !outputWalked ? List.of(Start.values()) : List.of(st);
    if (path == Path.OUTPUT) outputWalked = true;
    byStart.putAll(walk(path, starts));
    return byStart.get(st);
  }

  /**
   * One walk of the rules for several starts: each start's packets carry their own value of
   * the {@link PacketSpace#scenario} tag, which no rule can see, and the outcome is split by
   * it afterwards. One walk costs little more than the first, where a walk per start would
   * cost that many times as much on a large ruleset (kube-proxy's nat chains). A single start
   * is walked untagged, so its sets need no splitting.
   */
  private Map<Start, SetEngine.Outcome> walk(Path path, List<Start> starts) {
    Bdd b = space.bdd();
    List<Start> walked = starts.stream().filter(this::walks).toList();
    boolean tagged = walked.size() > 1;
    int start = Bdd.FALSE;
    for (Start st : walked) {
      int from = path == Path.FORWARD ? forwardStart() : start(st);
      start = b.or(start, tagged ? b.and(from, space.scenario.eq(st.ordinal())) : from);
    }
    SetEngine.Outcome o = engine.run(path, start, SetEngine.Routing.anyOf(routable()), Recorder.NONE);
    int notLocal = b.not(space.dstTypeIn(List.of(AddrType.LOCAL)));
    Map<Start, SetEngine.Outcome> out = new EnumMap<>(Start.class);
    for (Start st : starts) {
      if (!walked.contains(st)) {
        out.put(st, new SetEngine.Outcome(Map.of(), Map.of()));
        continue;
      }
      int only = tagged ? space.scenario.eq(st.ordinal()) : Bdd.TRUE;
      IntUnaryOperator untag = set -> tagged ? space.scenario.forget(set) : set;
      Map<Decider, Integer> by = new java.util.LinkedHashMap<>();
      int kept = b.and(only, notLocal);
      o.acceptedBy().forEach((d, s) -> {
        int l = untag.applyAsInt(b.and(s, kept));
        if (l != Bdd.FALSE) by.put(d, l);
      });
      // only the new-connection scenario's verdicts have users; the others' would only hold memory
      Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
      if (st == Start.NEW_CONNECTIONS) o.verdicts().forEach((v, s) -> verdicts.put(v, untag.applyAsInt(b.and(s, only))));
      out.put(st, new SetEngine.Outcome(verdicts, by));
    }
    return out;
  }

  /** Drops a cached OUTPUT outcome once its user has taken what it needs (memory on large rulesets). */
  public void forgetLeaks(Start start) {
    Map<Start, SetEngine.Outcome> byStart = leaks.get(Path.OUTPUT);
    if (byStart != null) byStart.remove(start);
  }

  /** The sets this analysis caches, which the engine's collections must keep. */
  private List<Integer> keptSets() {
    List<Integer> out = new java.util.ArrayList<>();
    if (outputStart >= 0) out.add(outputStart);
    if (anyDestination >= 0) out.add(anyDestination);
    for (Map<Start, SetEngine.Outcome> m : leaks.values()) {
      for (SetEngine.Outcome o : m.values()) {
        out.addAll(o.verdicts().values());
        out.addAll(o.acceptedBy().values());
      }
    }
    return out;
  }

  /** Every place a walk of this analysis (leaks, reachability) stopped at a limit of the engine. */
  public Set<AnalysisLimit> limits() {
    Set<AnalysisLimit> out = new LinkedHashSet<>(engine.limits());
    if (reachability != null) out.addAll(reachability.limits());
    return out;
  }

  public Reachability reachability() {
    if (reachability == null) reachability = Reachability.compute(this);
    return reachability;
  }

}
