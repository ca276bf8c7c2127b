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

/**
 * Runs one restore command (-A, -I, -D, -R, -N, -X, -F, -Z, -P, -E, -C, -L, -S) against the
 * open table, refusing what both backends refuse at that line: a chain that does not exist
 * (yet), a jump to something that is neither a target nor a chain declared so far, a rule to
 * delete that is not there, a chain to delete that is still used.
 */
final class CommandApplier {
  private CommandApplier() {}

  static void apply(TableState t, RuleCommand cmd, Family family, DiagnosticSink sink, String sourceLine) {
    new CommandApplier.Run(t, cmd, family, sink, sourceLine).apply();
  }

  private record Run(TableState t, RuleCommand cmd, Family family, DiagnosticSink sink, String line) {
    void apply() {
      switch (cmd.kind()) {
        case APPEND -> existing().ifPresent(c -> {
          if (targetResolves()) add(c, c.rules.size());
        });
        case INSERT -> existing().ifPresent(c -> {
          int n = cmd.ruleNumber().orElse(1);
          if (n > c.rules.size() + 1) error("index of insertion too big (chain " + c.name + " has " + c.rules.size() + " rules)", null);
          else if (targetResolves()) add(c, n - 1);
        });
        case DELETE -> existing().ifPresent(this::delete);
        case CHECK -> existing().ifPresent(c -> {
          if (cmd.rule().isPresent() && find(c, cmd.rule().get()) < 0)
            error("bad rule (does a matching rule exist in that chain?)", "-C only checks; it fails the restore when the rule is missing");
        });
        case REPLACE -> existing().ifPresent(c -> error("iptables-nft-restore 1.8 crashes on -R (replace) in a restore file",
            "delete the rule with -D and insert the new one with -I"));
        case NEW_CHAIN -> newChain();
        case DELETE_CHAIN -> deleteChain();
        case FLUSH -> {
          if (cmd.chain().isEmpty()) t.chains.values().forEach(c -> c.rules.clear());
          else existing().ifPresent(c -> c.rules.clear());
        }
        case ZERO -> zero();
        case LIST, LIST_RULES -> {
          if (cmd.chain().isPresent()) existing();
        }
        case POLICY -> policy();
        case RENAME_CHAIN -> existing().ifPresent(c -> error("iptables-nft-restore cannot rename a chain created in the same restore",
            "declare the chain under its final name"));
      }
    }

    Optional<TableState.ChainState> existing() {
      String name = cmd.chain().orElse("");
      TableState.ChainState c = t.chains.get(name);
      if (c == null && Catalog.builtinChains(t.name).contains(name)) {
        c = new TableState.ChainState(name, true, Optional.empty(), cmd.chainPos(), false);
        t.chains.put(name, c);
      }
      if (c == null && Catalog.ALL_BUILTIN.contains(name)) {
        error("chain " + name + " is a built-in chain of other tables, not of table \"" + t.name + "\"",
            "built-in chains of " + t.name + ": " + String.join(", ", new java.util.TreeSet<>(Catalog.builtinChains(t.name))));
        return Optional.empty();
      }
      if (c == null) {
        String hint = name.contains("\r") ? RulesetListener.crlfHint()
            : Suggest.closest(name, t.chains.keySet()).map(s -> "did you mean \"" + s + "\"?")
                .orElse("declare it first with \":" + name + " - [0:0]\" or \"-N " + name + "\"");
        error("chain \"" + RuleInterpreter.visible(name) + "\" does not exist in table \"" + t.name + "\"", hint);
        return Optional.empty();
      }
      return Optional.of(c);
    }

    /**
     * A target that is not an extension names a chain, which must exist when the line is read
     * (iptables-legacy: "Couldn't load target", iptables-nft: "Chain does not exist").
     */
    boolean targetResolves() {
      Optional<Target> tg = cmd.rule().flatMap(Rule::target);
      if (tg.isEmpty() || cmd.targetIsExtension()) return true;
      String name = tg.get().name();
      boolean chain = t.chains.containsKey(name) || Catalog.builtinChains(t.name).contains(name);
      if (chain) return true;
      if (!cmd.hadErrors()) sink.add(Diagnostic.error(tg.get().pos(), Math.max(1, name.length()),
          (tg.get().isGoto() ? "goto target \"" : "target or chain \"") + RuleInterpreter.visible(name)
              + "\" does not exist" + (tg.get().isGoto() ? " (a goto needs a user chain)" : ""),
          undefinedHint(name, tg.get().isGoto()), line));
      return cmd.hadErrors();
    }

    private String undefinedHint(String name, boolean isGoto) {
      if (name.contains("\r")) return RulesetListener.crlfHint();
      String up = name.toUpperCase();
      if (Catalog.DEFAULT.targetInOtherFamily(name, family))
        return "target " + name + " only exists for " + (family == Family.IPV4 ? "IPv6 (ip6tables)" : "IPv4 (iptables)");
      if (isGoto && (Catalog.STANDARD_TARGETS.contains(name) || Catalog.DEFAULT.target(name, family).isPresent()))
        return "write \"-j " + name + "\"";
      if (!up.equals(name) && (Catalog.STANDARD_TARGETS.contains(up) || Catalog.DEFAULT.target(up, family).isPresent()))
        return "targets are upper-case: \"-j " + up + "\"";
      List<String> names = new ArrayList<>(t.chains.keySet());
      names.addAll(Catalog.STANDARD_TARGETS);
      return Suggest.closest(name, names).map(s -> "did you mean \"" + s + "\"?")
          .orElse("declare the chain before this line with \":" + name + " - [0:0]\"");
    }

    void add(TableState.ChainState c, int index) {
      cmd.rule().ifPresent(r -> {
        r.target().ifPresent(tg -> t.jumpedTo.add(tg.name()));
        c.rules.add(index, r);
        t.deferred.put(r, cmd.deferred());
      });
    }

    void delete(TableState.ChainState c) {
      if (cmd.ruleNumber().isPresent()) {
        int n = cmd.ruleNumber().get();
        if (n > c.rules.size()) error("index of deletion too big (chain " + c.name + " has " + c.rules.size() + " rules)", null);
        else t.deferred.remove(c.rules.remove(n - 1));
        return;
      }
      Optional<Rule> spec = cmd.rule();
      if (spec.isEmpty()) return;
      int k = find(c, spec.get());
      if (k < 0) error("bad rule (does a matching rule exist in that chain?)", null);
      else t.deferred.remove(c.rules.remove(k));
    }

    private int find(TableState.ChainState c, Rule spec) {
      RuleKey key = RuleKey.of(spec);
      for (int k = 0; k < c.rules.size(); k++) if (RuleKey.of(c.rules.get(k)).equals(key)) return k;
      return -1;
    }

    void newChain() {
      String name = cmd.chain().orElse("");
      if (t.chains.containsKey(name) || Catalog.builtinChains(t.name).contains(name)) {
        error("chain \"" + name + "\" already exists", null);
        return;
      }
      t.chains.put(name, new TableState.ChainState(name, false, Optional.empty(), cmd.chainPos(), true));
    }

    void deleteChain() {
      if (cmd.chain().isEmpty()) {
        for (TableState.ChainState c : List.copyOf(t.chains.values())) {
          if (c.builtin) continue;
          if (!c.rules.isEmpty() || referenced(c.name) || t.jumpedTo.contains(c.name)) {
            error("cannot delete chain \"" + c.name + "\": it " + (c.rules.isEmpty() ? "is still used by a rule" : "still has rules"),
                "flush the chains and remove the jumps first");
            return;
          }
        }
        t.chains.values().removeIf(c -> !c.builtin);
        return;
      }
      existing().ifPresent(c -> {
        if (c.builtin) {
          error("cannot delete built-in chain " + c.name, null);
        } else if (!c.rules.isEmpty()) {
          error("cannot delete chain \"" + c.name + "\": it still has rules", "flush it first with \"-F " + c.name + "\"");
        } else if (referenced(c.name)) {
          error("cannot delete chain \"" + c.name + "\": a rule still jumps to it", "remove the jump first");
        } else if (t.jumpedTo.contains(c.name)) {
          error("cannot delete chain \"" + c.name + "\": a rule of this restore jumped to it",
              "iptables-nft-restore cannot delete it in the same transaction; leave the chain out of the file");
        } else {
          t.chains.remove(c.name);
        }
      });
    }

    private boolean referenced(String chain) {
      for (TableState.ChainState c : t.chains.values())
        for (Rule r : c.rules)
          if (r.target().isPresent() && r.target().get().name().equals(chain)) return true;
      return false;
    }

    /**
     * -Z: iptables-nft-restore 1.8 crashes on "-Z CHAIN NUMBER", and finds no built-in chain the
     * file has not declared yet (it creates them only when a rule or a declaration needs them).
     */
    void zero() {
      if (cmd.chain().isEmpty()) return;
      boolean declared = t.chains.containsKey(cmd.chain().get());
      existing().ifPresent(c -> {
        if (cmd.ruleNumber().isPresent()) error("iptables-nft-restore 1.8 crashes on \"-Z CHAIN NUMBER\"", "zero the whole chain");
        else if (!declared) error("iptables-nft-restore finds no chain " + c.name + " to zero before it is declared or used",
            "declare it first with \":" + c.name + " ACCEPT [0:0]\"");
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
          error("bad policy \"" + RuleInterpreter.visible(pol) + "\" (only ACCEPT or DROP)",
              pol.contains("\r") ? RulesetListener.crlfHint() : "add a final rule \"-A " + c.name + " -j " + pol + "\" instead");
          return;
        }
        c.policy = Optional.of(Policy.valueOf(pol));
      });
    }

    void error(String message, String hint) {
      if (cmd.hadErrors()) return;
      sink.add(Diagnostic.error(cmd.chainPos(), cmd.chainLength(), message, hint, line));
    }
  }
}
