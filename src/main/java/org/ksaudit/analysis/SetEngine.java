package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Policy;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;

/**
 * Evaluates a ruleset for sets of packets: every path stage in kernel order, every chain with
 * its full semantics (policies, -j and -g, RETURN, falling off a user chain, targets that
 * rewrite the packet for later rules). The result says, for each verdict, which packets get it,
 * and which packets each rule or policy of the path's decisive stage lets through.
 */
public final class SetEngine {
  /**
   * How deep the engine follows jumps. The nf_tables backend refuses 16 or more nested jumps,
   * but the legacy backend loads thousands (it only refuses loops); past this depth what a
   * chain does is unknown (see {@link #beyondLimit}).
   */
  public static final int MAX_DEPTH = 100;
  /**
   * How many rules one run or exploration visits before it stops following jumps. Chains that
   * jump to the same chain from several rules, level after level, make a number of paths
   * that grows exponentially with the depth (three jumps per level over 15 levels, which
   * both backends load, are 14 million paths); the kernel, following one packet, never pays
   * for that, the set engine would. The largest real rulesets stay far below (a 100,000-line
   * kube-proxy dump visits about 100,000 rules per walk).
   */
  public static final long MAX_VISITS = 2_000_000;

  private final PacketSpace space;
  private final Bdd b;
  private final Ruleset ruleset;
  private final SymbolicCompiler compiler;
  private final RuleDecoding decoding;
  private final Map<StageView, Map<Rule, Integer>> conditions = new HashMap<>();
  private final Map<String, Boolean> rewrites = new HashMap<>();
  private final int newState;

  // What a collection of unused BDD nodes must keep: the sets of the run in progress and of every
  // chain being walked. Only the walk's safe point collects, and it updates these first.
  private final java.util.ArrayDeque<int[]> frames = new java.util.ArrayDeque<>();
  private final List<Map<?, Integer>> runMaps = new ArrayList<>();
  private final List<Integer> runSets = new ArrayList<>();
  /**
   * Exploration only: for each user chain, the set it was last entered with and the packets
   * that came back. Built-in chains of one table often jump to the same chain with the same
   * packets (kube-proxy's nat PREROUTING and OUTPUT both send every new connection to
   * KUBE-SERVICES); a second walk would record nothing new, so its result is taken from here.
   */
  private final Map<Chain, Explored> explored = new IdentityHashMap<>();
  private final Map<Chain, Boolean> viewSensitive = new IdentityHashMap<>();
  /** Rule visits of the run or exploration in progress (see {@link #MAX_VISITS}). */
  private long visits;
  /** Every place a walk of this engine stopped at a limit, and the chains it did not enter there. */
  private final Set<AnalysisLimit> limits = new LinkedHashSet<>();
  private final Set<Chain> notFollowed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  /** A user chain's last exploration: entered with {@code in} by a stage with {@code view}, {@code back} came back. */
  private record Explored(StageView view, int in, int back) {}

  /** An engine reading the rules through a decoding it may share with other engines of one thread. */
  public SetEngine(PacketSpace space, RuleDecoding decoding) {
    Ruleset ruleset = decoding.ruleset();
    if (space.family() != ruleset.family()) throw new IllegalArgumentException("family mismatch");
    this.space = space;
    this.b = space.bdd();
    this.decoding = decoding;
    this.ruleset = ruleset;
    this.compiler = new SymbolicCompiler(space);
    this.newState = space.stateIn(Set.of(ConnState.NEW));
    space.addRoots(() -> List.of(newState));
    space.onCollect(conditions::clear);
  }

  public PacketSpace space() {
    return space;
  }

  public Ruleset ruleset() {
    return ruleset;
  }

  /**
   * How routing picks the output interface after a rewrite: kept (a socket bound to its
   * device, as the lab's probes are), or any of {@code routable} (the leak scenario).
   */
  public record Routing(boolean reroute, int routable) {
    public static final Routing FIXED = new Routing(false, Bdd.FALSE);

    public static Routing anyOf(int routable) {
      return new Routing(true, routable);
    }
  }

  /** Which packets get each verdict, and which of the accepted ones each decisive rule or policy let through. */
  public record Outcome(Map<Verdict, Integer> verdicts, Map<Decider, Integer> acceptedBy) {
    public int get(Verdict v) {
      return verdicts.getOrDefault(v, Bdd.FALSE);
    }
  }

  /**
   * Runs a path. The node store may be collected during the run: sets the caller holds across
   * it stay valid only when they are the start set or registered with {@link PacketSpace#addRoots}.
   */
  public Outcome run(Path path, int start, Routing routing, Recorder recorder) {
    Map<Decider, Integer> flows = new LinkedHashMap<>();
    Decider none = Decider.absent("", "");
    flows.put(none, start);
    Map<Verdict, Integer> stopped = new EnumMap<>(Verdict.class);
    runSets.clear();
    runSets.add(start);
    runSets.add(routing.routable());
    runMaps.clear();
    runMaps.add(stopped);
    visits = 0;
    try {
      return stages(path, flows, stopped, routing, recorder);
    } finally {
      runMaps.clear();
      runSets.clear();
    }
  }

  private Outcome stages(Path path, Map<Decider, Integer> flows, Map<Verdict, Integer> stopped, Routing routing,
      Recorder recorder) {
    for (Path.Stage stage : path.stages()) {
      boolean decisive = stage.equals(path.decisive());
      Optional<Table> table = ruleset.table(stage.table());
      Optional<Chain> chain = table.flatMap(t -> t.chain(stage.chain()));
      Map<Decider, Integer> next = new LinkedHashMap<>();
      runMaps.add(flows);
      runMaps.add(next);
      for (Map.Entry<Decider, Integer> flow : flows.entrySet()) {
        int set = flow.getValue();
        if (set == Bdd.FALSE) continue;
        if (chain.isEmpty()) {
          merge(next, decisive ? Decider.absent(stage.table(), stage.chain()) : flow.getKey(), set);
          continue;
        }
        int enter = set;
        if (stage.natOnly()) {
          enter = b.and(set, newState);
          int bypass = b.diff(set, enter);
          if (bypass != Bdd.FALSE) merge(next, flow.getKey(), bypass);
        }
        if (enter == Bdd.FALSE) continue;
        Sink sink = new Sink(decisive);
        runMaps.add(sink.accepted);
        runMaps.add(sink.stopped);
        walk(new Ctx(table.get(), stage.view(), recorder, sink, false), chain.get(), enter, 0);
        forget(sink.stopped);
        forget(sink.accepted);
        for (Map.Entry<Decider, Integer> a : sink.accepted.entrySet()) {
          merge(next, decisive ? a.getKey() : flow.getKey(), a.getValue());
        }
        sink.stopped.forEach((v, s) -> stopped.merge(v, s, b::or));
      }
      if (stage.reroutes() && routing.reroute() && rewrites(table)) {
        next.replaceAll((d, s) -> b.replace(s, space.oif.varSet(), routing.routable()));
      }
      forget(next);
      forget(flows);
      flows = next;
    }
    Map<Verdict, Integer> verdicts = new EnumMap<>(stopped);
    verdicts.put(Verdict.ACCEPT, b.orAll(flows.values().stream().mapToInt(Integer::intValue).toArray()));
    flows.values().removeIf(s -> s == Bdd.FALSE);
    return new Outcome(verdicts, flows);
  }

  /**
   * Walks one chain of a table with the given packets as a hook would, only for the
   * recorder's sake (which packets enter each chain, which rules match); verdicts are dropped.
   */
  public void explore(Table table, Chain chain, int start, Recorder recorder) {
    Sink sink = new Sink(false);
    runMaps.add(sink.accepted);
    runMaps.add(sink.stopped);
    visits = 0;
    try {
      walk(new Ctx(table, StageView.of(chain.name()), recorder, sink, true), chain, start, 0);
    } finally {
      runMaps.clear();
    }
  }

  /** The packets a rule's matches take, as a stage with the given view sees them. */
  public int conditionOf(Table table, Rule r, StageView view) {
    return condition(decode(table, r), view);
  }

  private void merge(Map<Decider, Integer> m, Decider d, int set) {
    m.merge(d, set, b::or);
  }

  /** Collects a stage's decisions: per decider when the stage is decisive, per verdict always. */
  private final class Sink {
    final boolean byDecider;
    final Map<Decider, Integer> accepted = new LinkedHashMap<>();
    final Map<Verdict, Integer> stopped = new EnumMap<>(Verdict.class);
    private final Decider any = Decider.absent("", "");

    Sink(boolean byDecider) {
      this.byDecider = byDecider;
    }

    void decide(Decider d, Verdict v, int set) {
      if (set == Bdd.FALSE) return;
      if (v == Verdict.ACCEPT) accepted.merge(byDecider ? d : any, set, b::or);
      else stopped.merge(v, set, b::or);
    }
  }

  /**
   * {@code exploring}: only the recorder's observations count (which packets enter a chain,
   * which rules match), so verdicts are not collected and a DNAT's rewrite, which only the
   * accepted packets would carry on, is not computed (on kube-proxy's nat chains that was a
   * third of the work of exploring).
   */
  private record Ctx(Table table, StageView view, Recorder recorder, Sink sink, boolean exploring) {}

  private void decide(Ctx ctx, Decider d, Verdict v, int set) {
    if (!ctx.exploring()) ctx.sink().decide(d, v, set);
  }

  /** Walks a chain; returns the packets that come back to the caller (RETURN or falling off a user chain). */
  private int walk(Ctx ctx, Chain chain, int set, int depth) {
    int[] frame = {set, set, Bdd.FALSE};
    frames.push(frame);
    try {
      return walkRules(ctx, chain, set, depth, frame);
    } finally {
      frames.pop();
    }
  }

  private int walkRules(Ctx ctx, Chain chain, int set, int depth, int[] frame) {
    ctx.recorder().entered(ctx.table().name(), chain, set);
    int cur = set;
    int returned = Bdd.FALSE;
    for (Rule r : chain.rules()) {
      if (cur == Bdd.FALSE) break;
      frame[1] = cur;
      frame[2] = returned;
      visits++;
      if (b.collectionDue()) collect();
      RuleDecoder.Decoded d = decode(ctx.table(), r);
      int cond = condition(d, ctx.view());
      long parts = b.split(cur, cond);
      int m = Bdd.inside(parts);
      if (m == Bdd.FALSE) continue;
      ctx.recorder().matched(ctx.table().name(), r, m);
      cur = Bdd.outside(parts);
      Decider here = Decider.rule(ctx.table().name(), chain.name(), r);
      TargetAction action = d.action();
      if (action instanceof TargetAction.Terminal t) {
        decide(ctx, here, t.verdict(), m);
      } else if (action instanceof TargetAction.Return) {
        returned = b.or(returned, m);
      } else if (action instanceof TargetAction.Jump j) {
        Optional<Chain> target = ctx.table().chain(j.chain());
        Optional<AnalysisLimit.Kind> limit = depth >= MAX_DEPTH ? Optional.of(AnalysisLimit.Kind.DEPTH)
            : visits > MAX_VISITS ? Optional.of(AnalysisLimit.Kind.WORK) : Optional.empty();
        if (target.isEmpty()) {
          unknownVerdict(ctx, here, m, new UnknownKey(r.pos(), UnknownKey.VERDICT, "the verdict of -j " + j.chain()));
        } else if (limit.isPresent()) {
          int back = beyondLimit(ctx, here, new AnalysisLimit(limit.get(), ctx.table().name(), chain.name(), j.chain(),
              r.target().map(t -> t.pos()).orElse(r.pos())),
              target.get(), m);
          if (j.isGoto()) returned = b.or(returned, back);
          else cur = b.or(cur, back);
        } else {
          frame[1] = cur;
          frame[2] = returned;
          int back = ctx.exploring() ? exploreJump(ctx, target.get(), m, depth + 1) : walk(ctx, target.get(), m, depth + 1);
          if (j.isGoto()) returned = b.or(returned, back);
          else cur = b.or(cur, back);
        }
      } else if (action instanceof TargetAction.Continue c) {
        int after = m;
        for (TargetAction.Effect e : c.effects()) {
          after = compiler.apply(after, e);
          // a mark the engine cannot compute may be any: what follows from it is only possible
          if (e instanceof TargetAction.AnyMark) {
            after = b.and(after, b.ithVar(space.unknown(new UnknownKey(r.pos(), UnknownKey.REWRITE, "the mark -j "
                + r.target().map(t -> t.name()).orElse("") + " sets"))));
          }
        }
        cur = b.or(cur, after);
      } else if (action instanceof TargetAction.Nat n && !ctx.exploring()) {
        int after = n.rewrite().isPresent()
            ? compiler.rewriteDst(m, n.rewrite().get(), new UnknownKey(r.pos(), UnknownKey.REWRITE, "the address DNAT picks"))
            : m;
        decide(ctx, here, Verdict.ACCEPT, after);
      } else if (action instanceof TargetAction.UnknownVerdict u) {
        unknownVerdict(ctx, here, m, u.key());
      }
    }
    if (chain.builtin()) {
      int rest = b.or(cur, returned);
      if (rest != Bdd.FALSE) ctx.recorder().policy(ctx.table().name(), chain, rest);
      Verdict v = chain.policy().get() == Policy.DROP ? Verdict.DROP : Verdict.ACCEPT;
      decide(ctx, Decider.policy(ctx.table().name(), chain), v, rest);
      return Bdd.FALSE;
    }
    return b.or(cur, returned);
  }

  /**
   * A jump the engine does not follow because a limit is reached: the chain may accept, drop
   * or return any of the packets, and may have changed what its rules can change (marks in
   * any table, the conntrack state in raw, the destination in nat). Returns the packets that
   * may come back. A leak walk marks each outcome with an unknown, so what follows from it is
   * only ever "possible"; an exploration takes every packet as coming back, so no rule after
   * the jump is thought unreachable because of it.
   */
  private int beyondLimit(Ctx ctx, Decider here, AnalysisLimit limit, Chain target, int m) {
    limits.add(limit);
    notFollowed.add(target);
    int any = anyRewrite(ctx.table().name(), m);
    if (ctx.exploring()) return any;
    String what = "what -j " + limit.target() + " does (" + limit.describe() + ")";
    int accepts = b.ithVar(space.unknown(new UnknownKey(limit.at(), UnknownKey.VERDICT, what)));
    int returns = b.ithVar(space.unknown(new UnknownKey(limit.at(), UnknownKey.VERDICT, what)));
    decide(ctx, here, Verdict.ACCEPT, b.and(any, accepts));
    decide(ctx, here, Verdict.DROP, b.diff(m, accepts));
    return b.and(b.diff(any, accepts), returns);
  }

  /** The packets with every field forgotten that a chain of the table may rewrite. */
  private int anyRewrite(String table, int set) {
    int out = space.ctmark.forget(space.mark.forget(set));
    if (table.equals("raw")) out = space.state.forget(out);
    if (table.equals("nat")) out = space.dstType.forget(space.dport.forget(space.dst.forget(out)));
    return out;
  }

  /** Every place a walk of this engine stopped at one of its limits. */
  public Set<AnalysisLimit> limits() {
    return java.util.Collections.unmodifiableSet(limits);
  }

  /** The chains a walk of this engine reached but did not enter because of a limit. */
  public Set<Chain> notFollowed() {
    return java.util.Collections.unmodifiableSet(notFollowed);
  }

  /**
   * A jump while exploring: the same chain entered with the same packets, seen the same way, as
   * last time returns what it returned then. Exploration only records which rules match and which packets enter
   * each chain, and the repeated walk would record the same (up to the names of fresh
   * unknowns, which no rule can test); the leak walks, whose unknowns must stay apart, always walk.
   */
  private int exploreJump(Ctx ctx, Chain target, int m, int depth) {
    Explored last = explored.get(target);
    if (last != null && last.in() == m && (last.view().equals(ctx.view()) || !viewSensitive(ctx.table(), target))) {
      return last.back();
    }
    int back = walk(ctx, target, m, depth);
    explored.put(target, new Explored(ctx.view(), m, back));
    return back;
  }

  /**
   * Whether what a chain (with the chains it jumps to) does depends on the stage's view: only
   * interface matches do. A chain being decided is taken as sensitive, which ends a loop.
   */
  private boolean viewSensitive(Table table, Chain chain) {
    return viewSensitive(table, chain, 0);
  }

  /** Past {@link #MAX_DEPTH} a chain is taken as sensitive (walked again), as a chain being decided is. */
  private boolean viewSensitive(Table table, Chain chain, int depth) {
    Boolean known = viewSensitive.get(chain);
    if (known != null) return known;
    if (depth >= MAX_DEPTH) return true;
    viewSensitive.put(chain, true);
    boolean sensitive = false;
    for (Rule r : chain.rules()) {
      RuleDecoder.Decoded d = decode(table, r);
      sensitive = d.conditions().stream().anyMatch(c -> c instanceof Condition.IfaceIs)
          || d.action() instanceof TargetAction.Jump j
              && table.chain(j.chain()).map(c -> viewSensitive(table, c, depth + 1)).orElse(false);
      if (sensitive) break;
    }
    viewSensitive.put(chain, sensitive);
    return sensitive;
  }

  /** Stops keeping a map's sets (by identity: two maps may hold equal contents). */
  private void forget(Map<?, Integer> m) {
    runMaps.removeIf(x -> x == m);
  }

  /** Frees the nodes no set in use needs; compiled conditions are made again when needed. */
  private void collect() {
    List<Integer> roots = new ArrayList<>();
    roots.addAll(runSets);
    for (Map<?, Integer> m : runMaps) roots.addAll(m.values());
    for (int[] f : frames) for (int x : f) roots.add(x);
    for (Explored e : explored.values()) {
      roots.add(e.in());
      roots.add(e.back());
    }
    space.collect(roots);
  }

  private void unknownVerdict(Ctx ctx, Decider here, int set, UnknownKey key) {
    if (ctx.exploring()) return;
    int u = b.ithVar(space.unknown(key));
    decide(ctx, here, Verdict.ACCEPT, b.and(set, u));
    decide(ctx, here, Verdict.DROP, b.diff(set, u));
  }

  public RuleDecoder.Decoded decode(Table table, Rule r) {
    return decoding.decode(table, r);
  }

  /** Rules without unknowns compile once per view; the others anew on every visit (fresh unknowns). */
  private int condition(RuleDecoder.Decoded d, StageView view) {
    if (d.conditions().stream().anyMatch(RuleDecoder::mentionsUnknown)) return compiler.conjunction(d.conditions(), view);
    Map<Rule, Integer> cache = conditions.computeIfAbsent(view, v -> new IdentityHashMap<>());
    Integer c = cache.get(d.rule());
    if (c == null) {
      c = compiler.conjunction(d.conditions(), view);
      cache.put(d.rule(), c);
    }
    return c;
  }

  /** Whether a table has targets that change a packet's mark or destination (and so its route). */
  private boolean rewrites(Optional<Table> table) {
    if (table.isEmpty()) return false;
    return rewrites.computeIfAbsent(table.get().name(), n -> table.get().chains().stream()
        .flatMap(c -> c.rules().stream())
        .map(r -> decode(table.get(), r).action())
        .anyMatch(a -> a instanceof TargetAction.Nat nat && nat.rewrite().isPresent()
            || a instanceof TargetAction.Continue c && c.effects().stream().anyMatch(e ->
                e instanceof TargetAction.MarkRewrite m && !m.conn() || e instanceof TargetAction.AnyMark am && !am.conn())));
  }
}
