package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.catalog.Suggest;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticSink;
import org.ksaudit.model.Family;
import org.ksaudit.model.Policy;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Target;

/** Runs one restore command (-A, -I, -D, -R, -N, -X, -F, -Z, -P, -E) against the open table. */
final class CommandApplier {
  private CommandApplier() {}

  static void apply(TableState t, RuleCommand cmd, Family family, DiagnosticSink sink, String sourceLine) {
    new CommandApplier.Run(t, cmd, family, sink, sourceLine).apply();
  }

  private record Run(TableState t, RuleCommand cmd, Family family, DiagnosticSink sink, String line) {
    void apply() {
      switch (cmd.kind()) {
        case APPEND -> existing().ifPresent(c -> add(c, c.rules.size()));
        case INSERT -> existing().ifPresent(c -> {
          int n = cmd.ruleNumber().orElse(1);
          if (n > c.rules.size() + 1) error("index of insertion too big (chain " + c.name + " has " + c.rules.size() + " rules)", null);
          else add(c, n - 1);
        });
        case DELETE -> existing().ifPresent(this::delete);
        case REPLACE -> existing().ifPresent(c -> {
          int n = cmd.ruleNumber().orElse(0);
          if (n < 1 || n > c.rules.size()) {
            error("index of replacement too big (chain " + c.name + " has " + c.rules.size() + " rules)", null);
            return;
          }
          c.rules.remove(n - 1);
          add(c, n - 1);
        });
        case NEW_CHAIN -> newChain();
        case DELETE_CHAIN -> deleteChain();
        case FLUSH -> {
          if (cmd.chain().isEmpty()) t.chains.values().forEach(c -> c.rules.clear());
          else existing().ifPresent(c -> c.rules.clear());
        }
        case ZERO, LIST, LIST_RULES, CHECK -> {
          if (cmd.chain().isPresent()) existing();
        }
        case POLICY -> policy();
        case RENAME_CHAIN -> rename();
      }
    }

    Optional<TableState.ChainState> existing() {
      String name = cmd.chain().orElse("");
      TableState.ChainState c = t.chains.get(name);
      if (c == null && Catalog.builtinChains(t.name).contains(name)) {
        // built-in chains exist without a declaration line
        c = new TableState.ChainState(name, true, Optional.empty(), cmd.chainPos(), false);
        t.chains.put(name, c);
      }
      if (c == null) {
        String hint = name.endsWith("\r") ? RulesetListener.crlfHint()
            : Suggest.closest(name, t.chains.keySet()).map(s -> "did you mean \"" + s + "\"?")
                .orElse("declare it first with \":" + name + " - [0:0]\" or \"-N " + name + "\"");
        error("chain \"" + name.replace("\r", "\\r") + "\" does not exist in table \"" + t.name + "\"", hint);
        return Optional.empty();
      }
      return Optional.of(c);
    }

    void add(TableState.ChainState c, int index) {
      cmd.rule().ifPresent(r -> {
        c.rules.add(index, r);
        t.deferred.put(r, cmd.deferred());
      });
    }

    void delete(TableState.ChainState c) {
      if (cmd.ruleNumber().isPresent()) {
        int n = cmd.ruleNumber().get();
        if (n > c.rules.size()) error("index of deletion too big (chain " + c.name + " has " + c.rules.size() + " rules)", null);
        else c.rules.remove(n - 1);
        return;
      }
      Optional<Rule> spec = cmd.rule();
      if (spec.isEmpty()) return;
      RuleKey key = RuleKey.of(spec.get());
      for (int k = 0; k < c.rules.size(); k++) {
        if (RuleKey.of(c.rules.get(k)).equals(key)) {
          c.rules.remove(k);
          return;
        }
      }
      error("bad rule (does a matching rule exist in that chain?)", null);
    }

    void newChain() {
      String name = cmd.chain().orElse("");
      if (t.chains.containsKey(name) || Catalog.builtinChains(t.name).contains(name)) {
        error("chain \"" + name + "\" already exists", null);
        return;
      }
      if (Catalog.STANDARD_TARGETS.contains(name) || Catalog.DEFAULT.target(name, family).isPresent()) {
        error("chain name \"" + name + "\" clashes with a target name", null);
        return;
      }
      t.chains.put(name, new TableState.ChainState(name, false, Optional.empty(), cmd.chainPos(), true));
    }

    void deleteChain() {
      if (cmd.chain().isEmpty()) {
        t.chains.values().removeIf(c -> !c.builtin);
        return;
      }
      existing().ifPresent(c -> {
        if (c.builtin) {
          error("cannot delete built-in chain " + c.name, null);
          return;
        }
        t.chains.remove(c.name);
      });
    }

    void policy() {
      existing().ifPresent(c -> {
        String pol = cmd.extra().orElse("");
        if (!c.builtin) {
          error("cannot set a policy on user chain \"" + c.name + "\"", "only built-in chains have policies");
          return;
        }
        if (!pol.equals("ACCEPT") && !pol.equals("DROP")) {
          error("bad policy \"" + pol + "\" (only ACCEPT or DROP)", "add a final rule \"-A " + c.name + " -j " + pol + "\" instead");
          return;
        }
        c.policy = Optional.of(Policy.valueOf(pol));
      });
    }

    void rename() {
      existing().ifPresent(c -> {
        String to = cmd.extra().orElse("");
        if (c.builtin) {
          error("cannot rename built-in chain " + c.name, null);
          return;
        }
        if (t.chains.containsKey(to)) {
          error("chain \"" + to + "\" already exists", null);
          return;
        }
        TableState.ChainState renamed = new TableState.ChainState(to, false, Optional.empty(), c.pos, true);
        renamed.rules.addAll(c.rules);
        t.chains.remove(c.name);
        t.chains.put(to, renamed);
        for (TableState.ChainState other : t.chains.values()) {
          List<Rule> updated = new ArrayList<>();
          for (Rule r : other.rules) updated.add(retarget(r, c.name, to));
          other.rules.clear();
          other.rules.addAll(updated);
        }
      });
    }

    private Rule retarget(Rule r, String from, String to) {
      if (r.target().isEmpty() || !r.target().get().name().equals(from)) return r;
      Target old = r.target().get();
      Rule moved = new Rule(r.pos(), r.chain(), r.text(), r.matches(),
          Optional.of(new Target(to, old.isGoto(), old.options(), old.pos())), r.complete());
      List<DeferredCheck> d = t.deferred.remove(r);
      if (d != null) t.deferred.put(moved, d);
      return moved;
    }

    void error(String message, String hint) {
      sink.add(Diagnostic.error(cmd.chainPos(), cmd.chainLength(), message, hint, line));
    }
  }
}
