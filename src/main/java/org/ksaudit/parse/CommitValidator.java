package org.ksaudit.parse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.ksaudit.catalog.BadValue;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticSink;
import org.ksaudit.model.Family;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Target;

/**
 * What the kernel checks when a table is committed: jumps to built-in chains, jump loops
 * reachable from a built-in chain (a loop nothing reaches is accepted), and extensions used
 * from hooks they do not support (REJECT reached from PREROUTING, owner from INPUT).
 */
final class CommitValidator {
  private CommitValidator() {}

  static void validate(TableState t, Family family, DiagnosticSink sink, IntFunction<String> lines) {
    Map<String, List<Rule>> edges = new HashMap<>();
    for (TableState.ChainState c : t.chains.values()) {
      List<Rule> out = new ArrayList<>();
      for (Rule r : c.rules) {
        if (r.target().isEmpty()) continue;
        Target tg = r.target().get();
        String name = tg.name();
        if (!tg.isGoto() && (Catalog.STANDARD_TARGETS.contains(name) || Catalog.DEFAULT.target(name, family).isPresent())) continue;
        TableState.ChainState dest = t.chains.get(name);
        boolean builtin = dest != null ? dest.builtin : Catalog.builtinChains(t.name).contains(name);
        if (builtin) {
          if (r.complete()) error(sink, tg, lines, "cannot jump to built-in chain " + name, "jumps go to user chains only");
          continue;
        }
        if (dest == null) continue;
        out.add(r);
      }
      edges.put(c.name, out);
    }
    Map<String, Set<String>> hooks = hooks(t, edges);
    reportLoops(t, edges, hooks.keySet(), sink, lines);
    reportTooDeep(t, edges, hooks.keySet(), sink, lines);
    for (TableState.ChainState c : t.chains.values()) {
      Set<String> h = hooks.getOrDefault(c.name, Set.of());
      for (Rule r : c.rules) {
        for (DeferredCheck d : t.deferred.getOrDefault(r, List.of())) {
          Optional<BadValue> bad = d.check().check(d.view().withHooks(h));
          bad.ifPresent(b -> sink.add(Diagnostic.error(d.pos(), d.length(), b.getMessage(), b.hint(), d.sourceLine())));
        }
      }
    }
  }

  /** Every built-in chain from which each chain can be reached, following jumps and gotos. */
  private static Map<String, Set<String>> hooks(TableState t, Map<String, List<Rule>> edges) {
    Map<String, Set<String>> out = new HashMap<>();
    for (TableState.ChainState c : t.chains.values()) {
      if (!c.builtin) continue;
      Deque<String> work = new ArrayDeque<>();
      Set<String> seen = new HashSet<>();
      work.add(c.name);
      while (!work.isEmpty()) {
        String n = work.poll();
        if (!seen.add(n)) continue;
        out.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(c.name);
        for (Rule r : edges.getOrDefault(n, List.of())) work.add(r.target().get().name());
      }
    }
    return out;
  }

  /** Depth-first search over the chains built-in chains reach; a back edge closes a loop. */
  private static void reportLoops(TableState t, Map<String, List<Rule>> edges, Set<String> reachable, DiagnosticSink sink,
      IntFunction<String> lines) {
    Map<String, Integer> state = new HashMap<>();
    for (TableState.ChainState root : t.chains.values()) {
      if (!root.builtin || state.containsKey(root.name)) continue;
      Deque<String> path = new ArrayDeque<>();
      Deque<Iterator<Rule>> stack = new ArrayDeque<>();
      path.push(root.name);
      stack.push(edges.getOrDefault(root.name, List.of()).iterator());
      state.put(root.name, 1);
      while (!stack.isEmpty()) {
        Iterator<Rule> it = stack.peek();
        if (it.hasNext()) {
          Rule r = it.next();
          String n = r.target().get().name();
          int s = state.getOrDefault(n, 0);
          if (s == 1 && reachable.contains(n)) {
            reportLoop(path, n, r, sink, lines);
          } else if (s == 0) {
            state.put(n, 1);
            path.push(n);
            stack.push(edges.getOrDefault(n, List.of()).iterator());
          }
        } else {
          stack.pop();
          state.put(path.pop(), 2);
        }
      }
    }
  }

  /**
   * nf_tables follows at most {@link #NFT_MAX_DEPTH} - 1 jumps or gotos from a base chain
   * (NFT_JUMP_STACK_SIZE; a deeper chain: "Too many links"). Measured: a chain 15 jumps below
   * OUTPUT commits, 16 is refused, by jump or by goto, whatever order the lines come in; a
   * chain no built-in chain reaches is not counted; iptables-legacy-restore accepts 70 levels.
   * The longest path decides, so depths are relaxed in topological order over the chains
   * built-in chains reach (a loop is refused on its own and is left out here).
   */
  static final int NFT_MAX_DEPTH = 16;

  private static void reportTooDeep(TableState t, Map<String, List<Rule>> edges, Set<String> reachable, DiagnosticSink sink,
      IntFunction<String> lines) {
    Map<String, Integer> indegree = new HashMap<>();
    for (String c : reachable)
      for (Rule r : edges.getOrDefault(c, List.of())) indegree.merge(r.target().get().name(), 1, Integer::sum);
    Map<String, Integer> depth = new HashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    for (TableState.ChainState c : t.chains.values())
      if (c.builtin) {
        depth.put(c.name, 0);
        if (indegree.getOrDefault(c.name, 0) == 0) ready.add(c.name);
      }
    while (!ready.isEmpty()) {
      String c = ready.poll();
      int d = depth.get(c);
      for (Rule r : edges.getOrDefault(c, List.of())) {
        String next = r.target().get().name();
        if (d + 1 >= NFT_MAX_DEPTH) {
          error(sink, r.target().get(), lines, "chain " + next + " is " + (d + 1) + " jumps below a built-in chain:"
                  + " iptables-nft-restore refuses the table (Too many links; at most " + (NFT_MAX_DEPTH - 1) + ")",
              "flatten the chain tree; iptables-legacy-restore accepts it, iptables-nft-restore does not");
          return;
        }
        depth.merge(next, d + 1, Math::max);
        if (indegree.merge(next, -1, Integer::sum) == 0) ready.add(next);
      }
    }
  }

  private static void reportLoop(Deque<String> path, String back, Rule closing, DiagnosticSink sink, IntFunction<String> lines) {
    List<String> rev = new ArrayList<>(path);
    Collections.reverse(rev);
    List<String> cycle = new ArrayList<>(rev.subList(rev.indexOf(back), rev.size()));
    cycle.add(back);
    error(sink, closing.target().get(), lines, "jump loop: " + String.join(" -> ", cycle),
        "the kernel refuses a table whose chains jump in a circle");
  }

  private static void error(DiagnosticSink sink, Target tg, IntFunction<String> lines, String msg, String hint) {
    sink.add(Diagnostic.error(tg.pos(), Math.max(1, tg.name().length()), msg, hint, lines.apply(tg.pos().line())));
  }
}
