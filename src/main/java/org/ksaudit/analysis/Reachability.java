package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.IdentityHashMap;
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
 * is dead, and the first earlier rule that takes packets it would match is named as the cause.
 */
public final class Reachability {
  /**
   * A rule that never matches: {@code by} is the earlier rule of its chain that takes its
   * packets (absent when no packet reaching the chain matches it at all); {@code sameEffect}
   * says whether that rule does what this one would (redundant) or something else (shadowing).
   * {@code chainUnused} is set when no built-in chain ever reaches the rule's chain.
   */
  public record Dead(Table table, Chain chain, Rule rule, Optional<Rule> by, boolean sameEffect, boolean chainUnused) {}

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
    PacketSpace s = new PacketSpace(a.space().family(), a.space().interfaces(), a.space().markBits());
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
          if (!c.rules().isEmpty()) out.add(new Dead(t, c, c.rules().get(0), Optional.empty(), false, true));
          continue;
        }
        List<Rule> rules = c.rules();
        for (int i = 0; i < rules.size(); i++) {
          Rule r = rules.get(i);
          if (matched.contains(r)) continue;
          int wants = b.and(in, engine.conditionOf(t, r, both));
          if (wants == Bdd.FALSE) {
            out.add(new Dead(t, c, r, Optional.empty(), false, false));
            continue;
          }
          // rules that keep what they take are the likely cause; a -j whose chain may return comes second
          Optional<Rule> by = Optional.empty();
          for (boolean jumps : new boolean[] {false, true}) {
            for (int k = 0; k < i && by.isEmpty(); k++) {
              Rule q = rules.get(k);
              TargetAction act = engine.decode(t, q).action();
              if (act instanceof TargetAction.Continue) continue;
              boolean isJump = act instanceof TargetAction.Jump j && !j.isGoto();
              if (isJump != jumps) continue;
              if (b.and(wants, engine.conditionOf(t, q, both)) != Bdd.FALSE) by = Optional.of(q);
            }
          }
          boolean same = by.isPresent() && sameEffect(by.get(), r);
          out.add(new Dead(t, c, r, by, same, false));
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
