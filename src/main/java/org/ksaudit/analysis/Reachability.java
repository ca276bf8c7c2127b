package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Table;

/**
 * Rules that never take a packet. Each built-in chain is explored with every packet its hook
 * can see (the nat table only the first packet of a connection); a rule that matched nothing
 * is dead, and the rule that really takes the packets it would match is named as the cause:
 * the packets are followed from the start of its chain, into the chains earlier rules jump
 * to, to the first rule that keeps them (a verdict, a RETURN or goto that leaves the chain).
 */
public final class Reachability {
  /**
   * A rule that never matches: {@code by} is the rule that takes its packets before they reach
   * it, in its own chain or in a chain an earlier rule jumps to, and {@code byChain} that rule's
   * chain (both absent when no packet reaching the chain matches it at all); {@code sameEffect}
   * says whether that rule does what this one would (redundant) or something else (shadowing).
   * {@code chainUnused} is set when no built-in chain ever reaches the rule's chain.
   */
  public record Dead(Table table, Chain chain, Rule rule, Optional<Rule> by, Optional<Chain> byChain, boolean sameEffect,
      boolean chainUnused) {}

  private final List<Dead> dead;
  private final Set<Chain> policyReached;
  private final Set<AnalysisLimit> limits;

  private Reachability(List<Dead> dead, Set<Chain> policyReached, Set<AnalysisLimit> limits) {
    this.dead = List.copyOf(dead);
    this.policyReached = policyReached;
    this.limits = Set.copyOf(limits);
  }

  /** Where the exploration stopped at a limit of the engine; nothing beyond those places is in {@link #dead()}. */
  public Set<AnalysisLimit> limits() {
    return limits;
  }

  public List<Dead> dead() {
    return dead;
  }

  /** Whether some packet reaches the end of a built-in chain, where its policy decides. */
  public boolean policyReached(Chain c) {
    return policyReached.contains(c);
  }

  static Reachability compute(RulesetAnalysis a) {
    // A store of its own, dropped when this returns: the result holds no sets, and on a large
    // ruleset the millions of nodes of this exploration would otherwise stay allocated beside
    // the leak analyses' stores until the audit ends.
    PacketSpace s = new PacketSpace(a.space().family(), a.space().interfaces(), a.space().markBits(), a.space().leading());
    Bdd b = s.bdd();
    SetEngine engine = new SetEngine(s, a.decoding());
    Map<Chain, Integer> entered = new IdentityHashMap<>();
    Set<Rule> matched = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Chain> policies = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    s.addRoots(entered::values);
    Recorder rec = new Recorder() {
      @Override
      public void entered(String table, Chain chain, int set) {
        entered.merge(chain, set, b::or);
      }

      @Override
      public void matched(String table, Rule rule, int set) {
        matched.add(rule);
      }

      @Override
      public void policy(String table, Chain chain, int set) {
        policies.add(chain);
      }
    };
    for (Table t : a.ruleset().tables()) {
      for (Chain c : t.chains()) {
        if (!c.builtin()) continue;
        int start = s.valid();
        if (t.name().equals("nat")) start = b.and(start, s.stateIn(List.of(ConnState.NEW)));
        engine.explore(t, c, start, rec);
      }
    }
    List<Dead> out = new ArrayList<>();
    StageView both = new StageView(true, true);
    Set<Chain> beyond = beyondLimits(a, engine.notFollowed());
    for (Table t : a.ruleset().tables()) {
      for (Chain c : t.chains()) {
        if (beyond.contains(c)) continue;
        Integer in = entered.get(c);
        if (in == null) {
          if (!c.rules().isEmpty()) out.add(new Dead(t, c, c.rules().get(0), Optional.empty(), Optional.empty(), false, true));
          continue;
        }
        List<Rule> rules = c.rules();
        for (int i = 0; i < rules.size(); i++) {
          Rule r = rules.get(i);
          if (matched.contains(r)) continue;
          int wants = b.and(in, engine.conditionOf(t, r, both));
          if (wants == Bdd.FALSE) {
            out.add(new Dead(t, c, r, Optional.empty(), Optional.empty(), false, false));
            continue;
          }
          Optional<Taker> by = new Blame(engine, t).taker(c, i, wants);
          boolean same = by.isPresent() && sameEffect(by.get().rule(), r);
          out.add(new Dead(t, c, r, by.map(Taker::rule), by.map(Taker::chain), same, false));
        }
      }
    }
    return new Reachability(out, policies, engine.limits());
  }

  /**
   * The chains an exploration did not enter at a limit, and every chain they jump to: what
   * reaches them, and so which of their rules match, is unknown. A worklist, not recursion:
   * the legacy backend loads chains nested thousands deep.
   */
  private static Set<Chain> beyondLimits(RulesetAnalysis a, Set<Chain> notFollowed) {
    Set<Chain> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    if (notFollowed.isEmpty()) return out;
    Map<Chain, Table> tables = new IdentityHashMap<>();
    for (Table t : a.ruleset().tables()) for (Chain c : t.chains()) tables.put(c, t);
    java.util.ArrayDeque<Chain> work = new java.util.ArrayDeque<>(notFollowed);
    while (!work.isEmpty()) {
      Chain c = work.pop();
      if (!out.add(c)) continue;
      Table t = tables.get(c);
      for (Rule r : c.rules()) {
        if (a.decoding().decode(t, r).action() instanceof TargetAction.Jump j) t.chain(j.chain()).ifPresent(work::push);
      }
    }
    return out;
  }

  /** A rule that keeps packets, and its chain. */
  private record Taker(Rule rule, Chain chain) {}

  /**
   * Follows the packets a dead rule would match from the start of its chain, as the kernel
   * would (rule effects on marks aside), to the rules that keep them: a verdict anywhere below,
   * or a RETURN or goto of the chain itself, which sends them back to its caller; a jump whose
   * chain returns the packets keeps nothing. The one that keeps the largest share is named
   * (a blanket ACCEPT rather than the loopback rule before it that keeps lo's share). Past a
   * budget of rule visits (a huge chain tree) it falls back to the first earlier rule of the
   * chain that takes any.
   */
  private static final class Blame {
    private static final int BUDGET = 20_000;
    private final SetEngine engine;
    private final Table table;
    private final Bdd b;
    private final StageView both = new StageView(true, true);
    private final Map<Rule, Taker> takers = new LinkedHashMap<>();
    private final Map<Rule, Integer> kept = new IdentityHashMap<>();
    private int visits;

    Blame(SetEngine engine, Table table) {
      this.engine = engine;
      this.table = table;
      this.b = engine.space().bdd();
    }

    Optional<Taker> taker(Chain chain, int dead, int wants) {
      walk(chain, chain.rules().subList(0, dead), wants, 0, true);
      if (!takers.isEmpty() && visits <= BUDGET) {
        Taker best = null;
        double most = -1;
        for (Taker k : takers.values()) {
          double share = share(kept.get(k.rule()), new HashMap<>());
          if (share > most) {
            best = k;
            most = share;
          }
        }
        return Optional.of(best);
      }
      for (Rule q : chain.rules().subList(0, dead)) {
        if (b.and(wants, engine.conditionOf(table, q, both)) != Bdd.FALSE && !(engine.decode(table, q).action() instanceof TargetAction.Continue)) {
          return Optional.of(new Taker(q, chain));
        }
      }
      return Optional.empty();
    }

    /** Walks rules with packets; records the rules that keep some; returns what goes back to the caller of a called chain. */
    private int walk(Chain chain, List<Rule> rules, int set, int depth, boolean top) {
      int cur = set;
      int back = Bdd.FALSE;
      for (Rule q : rules) {
        if (cur == Bdd.FALSE || ++visits > BUDGET) return Bdd.FALSE;
        int m = b.and(cur, engine.conditionOf(table, q, both));
        if (m == Bdd.FALSE) continue;
        TargetAction a = engine.decode(table, q).action();
        if (a instanceof TargetAction.Continue) continue;
        cur = b.diff(cur, m);
        Optional<Chain> target = a instanceof TargetAction.Jump j ? table.chain(j.chain()) : Optional.empty();
        if (a instanceof TargetAction.Jump j && target.isPresent() && depth < SetEngine.MAX_DEPTH) {
          int returned = walk(target.get(), target.get().rules(), m, depth + 1, false);
          if (!j.isGoto()) cur = b.or(cur, returned);
          else if (top && returned != Bdd.FALSE) keep(q, chain, returned);
          else back = b.or(back, returned);
        } else if (a instanceof TargetAction.Return && !top) {
          back = b.or(back, m);
        } else {
          keep(q, chain, m);
        }
      }
      return b.or(back, cur);
    }

    private void keep(Rule q, Chain chain, int set) {
      takers.putIfAbsent(q, new Taker(q, chain));
      kept.merge(q, set, b::or);
    }

    /** The fraction of all assignments a set holds: a measure of how many of the packets it is. */
    private double share(int set, Map<Integer, Double> memo) {
      if (set == Bdd.FALSE) return 0;
      if (set == Bdd.TRUE) return 1;
      Double known = memo.get(set);
      if (known != null) return known;
      double s = (share(b.low(set), memo) + share(b.high(set), memo)) / 2;
      memo.put(set, s);
      return s;
    }
  }

  /** Two rules do the same thing when they have the same target with the same options. */
  private static boolean sameEffect(Rule a, Rule b) {
    return effect(a).equals(effect(b));
  }

  private static List<Object> effect(Rule r) {
    if (r.target().isEmpty()) return List.of();
    List<Object> e = new ArrayList<>();
    e.add(r.target().get().name());
    e.add(r.target().get().isGoto());
    for (org.ksaudit.model.Option o : r.target().get().options()) e.add(List.of(o.name(), o.negated(), o.value()));
    return e;
  }
}
