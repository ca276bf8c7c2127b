package org.ksaudit.catalog;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;

/** Small DSL that keeps the catalogue readable: one line per option. */
final class ExtensionBuilder {
  private final String name;
  private Set<Family> families = EnumSet.allOf(Family.class);
  private final List<OptionSpec> options = new ArrayList<>();
  private final List<CrossCheck> lineChecks = new ArrayList<>();
  private final List<CrossCheck> ruleChecks = new ArrayList<>();
  private final List<CrossCheck> hookChecks = new ArrayList<>();
  private Set<String> tables = Set.of();

  ExtensionBuilder(String name) {
    this.name = name;
  }

  ExtensionBuilder only(Family f) {
    families = EnumSet.of(f);
    return this;
  }

  ExtensionBuilder tables(String... t) {
    tables = Set.of(t);
    return this;
  }

  /** Negatable option with a required value. */
  ExtensionBuilder neg(ValueParser p, String... names) {
    return add(new OptionSpec(List.of(names), ArgKind.REQUIRED, true, false, Optional.of(p), Optional.empty()));
  }

  /** Option with a required value that cannot be negated. */
  ExtensionBuilder val(ValueParser p, String... names) {
    return add(new OptionSpec(List.of(names), ArgKind.REQUIRED, false, false, Optional.of(p), Optional.empty()));
  }

  /** Option without a value; {@code negatable} as the extension allows. */
  ExtensionBuilder flag(boolean negatable, String... names) {
    return add(new OptionSpec(List.of(names), ArgKind.NONE, negatable, false, Optional.empty(), Optional.empty()));
  }

  /** Option whose value may only be attached ({@code --opt=value}). */
  ExtensionBuilder optionalVal(ValueParser p, String... names) {
    return add(new OptionSpec(List.of(names), ArgKind.OPTIONAL, false, false, Optional.of(p), Optional.empty()));
  }

  /** Option that takes two words. */
  ExtensionBuilder pair(boolean negatable, PairParser p, String... names) {
    return add(new OptionSpec(List.of(names), ArgKind.PAIR, negatable, false, Optional.empty(), Optional.of(p)));
  }

  /** Marks the option added last as one that may be given more than once. */
  ExtensionBuilder many() {
    OptionSpec last = options.remove(options.size() - 1);
    options.add(new OptionSpec(last.names(), last.arg(), last.negatable(), true, last.parser(), last.pairParser()));
    return this;
  }

  /** A check libxtables makes when the line is read, whatever the command. */
  ExtensionBuilder check(CrossCheck c) {
    lineChecks.add(c);
    return this;
  }

  /** A check the kernel makes on a rule it is given (-A, -I, -R), reachable or not. */
  ExtensionBuilder ruleCheck(CrossCheck c) {
    ruleChecks.add(c);
    return this;
  }

  /** A check the kernel makes on the finished table, knowing which built-in chains reach the rule. */
  ExtensionBuilder hookCheck(CrossCheck c) {
    hookChecks.add(c);
    return this;
  }

  private ExtensionBuilder add(OptionSpec o) {
    options.add(o);
    return this;
  }

  ExtensionSpec build() {
    return new ExtensionSpec(name, families, options, tables, lineChecks, ruleChecks, hookChecks);
  }
}
