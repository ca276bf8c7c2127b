package org.ksaudit.parse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.ksaudit.catalog.BadValue;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.catalog.Suggest;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticSink;
import org.ksaudit.model.Family;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Target;

/**
 * What the kernel checks when a table is committed, and iptables-restore --test does not:
 * jumps to chains that do not exist, jumps to built-in chains, jump loops, and extensions
 * used from hooks they do not support (REJECT reached from PREROUTING, owner from INPUT).
 */
final class CommitValidator {
  private CommitValidator() {}

  static void validate(TableState t, Family family, DiagnosticSink sink, IntFunction<String> lines) {
    Map<String, List<String>> edges = new HashMap<>();
    for (TableState.ChainState c : t.chains.values()) {
      List<String> out = new ArrayList<>();
      for (Rule r : c.rules) {
        if (r.target().isEmpty()) continue;
        Target tg = r.target().get();
        String name = tg.name();
        if (isExtensionOrStandard(name, family) && !tg.isGoto()) continue;
        if (Catalog.STANDARD_TARGETS.contains(name) && tg.isGoto()) {
          error(sink, tg, lines, "cannot goto a standard target (" + name + ")", "use \"-j " + name + "\"");
          continue;
        }
        TableState.ChainState dest = t.chains.get(name);
        if (dest == null) {
          error(sink, tg, lines, "chain \"" + name.replace("\r", "\\r") + "\" does not exist (jump target)", undefinedHint(name, t));
          continue;
        }
        if (dest.builtin) {
          error(sink, tg, lines, "cannot jump to built-in chain " + name, "jumps go to user chains only");
          continue;
        }
        out.add(name);
      }
      edges.put(c.name, out);
    }
    reportLoops(t, edges, sink, lines);
    Map<String, Set<String>> hooks = hooks(t, edges);
    for (TableState.ChainState c : t.chains.values()) {
      Set<String> h = hooks.getOrDefault(c.name, Set.of());
      for (Rule r : c.rules) {
        for (DeferredCheck d : t.deferred.getOrDefault(r, List.of())) {
          Optional<BadValue> bad = d.check().check(d.facts().view(h));
          bad.ifPresent(b -> sink.add(Diagnostic.error(d.pos(), d.length(), b.getMessage(), b.hint(), d.sourceLine())));
        }
      }
    }
  }

  private static boolean isExtensionOrStandard(String name, Family family) {
    return Catalog.STANDARD_TARGETS.contains(name) || Catalog.DEFAULT.target(name, family).isPresent();
  }

  private static String undefinedHint(String name, TableState t) {
    if (name.endsWith("\r")) return RulesetListener.crlfHint();
    String up = name.toUpperCase();
    if (!up.equals(name) && (Catalog.STANDARD_TARGETS.contains(up) || Catalog.DEFAULT.target(up, Family.IPV4).isPresent()))
      return "targets are upper-case: \"-j " + up + "\"";
    Set<String> names = new LinkedHashSet<>(t.chains.keySet());
    names.addAll(Catalog.STANDARD_TARGETS);
    return Suggest.closest(name, names).map(s -> "did you mean \"" + s + "\"?")
        .orElse("declare the chain with \":" + name + " - [0:0]\"");
  }

  /** Every built-in chain from which each chain can be reached, following jumps and gotos. */
  private static Map<String, Set<String>> hooks(TableState t, Map<String, List<String>> edges) {
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
        work.addAll(edges.getOrDefault(n, List.of()));
      }
    }
    return out;
  }

  private static void reportLoops(TableState t, Map<String, List<String>> edges, DiagnosticSink sink, IntFunction<String> lines) {
    Map<String, Integer> state = new HashMap<>();
    for (String start : edges.keySet()) {
      if (state.getOrDefault(start, 0) != 0) continue;
      Deque<String> path = new ArrayDeque<>();
      Deque<java.util.Iterator<String>> stack = new ArrayDeque<>();
      path.push(start);
      stack.push(edges.getOrDefault(start, List.of()).iterator());
      state.put(start, 1);
      while (!stack.isEmpty()) {
        java.util.Iterator<String> it = stack.peek();
        if (it.hasNext()) {
          String n = it.next();
          int s = state.getOrDefault(n, 0);
          if (s == 1) {
            reportLoop(t, path, n, sink, lines);
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

  private static void reportLoop(TableState t, Deque<String> path, String back, DiagnosticSink sink, IntFunction<String> lines) {
    List<String> cycle = new ArrayList<>();
    List<String> rev = new ArrayList<>(path);
    java.util.Collections.reverse(rev);
    int from = rev.indexOf(back);
    for (int k = from; k < rev.size(); k++) cycle.add(rev.get(k));
    cycle.add(back);
    String last = rev.get(rev.size() - 1);
    for (Rule r : t.chains.get(last).rules) {
      if (r.target().isPresent() && r.target().get().name().equals(back)) {
        error(sink, r.target().get(), lines, "jump loop: " + String.join(" -> ", cycle),
            "the kernel refuses a table whose chains jump in a circle");
        return;
      }
    }
  }

  private static void error(DiagnosticSink sink, Target tg, IntFunction<String> lines, String msg, String hint) {
    sink.add(Diagnostic.error(tg.pos(), Math.max(1, tg.name().length()), msg, hint, lines.apply(tg.pos().line())));
  }
}
