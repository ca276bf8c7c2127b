package org.ksaudit.catalog;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ksaudit.model.Family;

/** Small DSL that keeps the catalogue readable: one line per option. */
final class ExtensionBuilder {
  private final String name;
  private Set<Family> families = EnumSet.allOf(Family.class);
  private final List<OptionSpec> options = new ArrayList<>();
  private final List<CrossCheck> checks = new ArrayList<>();
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
    options.add(new OptionSpec(List.of(names), ArgKind.REQUIRED, true, p));
    return this;
  }

  /** Option with a required value that cannot be negated. */
  ExtensionBuilder val(ValueParser p, String... names) {
    options.add(new OptionSpec(List.of(names), ArgKind.REQUIRED, false, p));
    return this;
  }

  /** Option without a value; {@code negatable} as the extension allows. */
  ExtensionBuilder flag(boolean negatable, String... names) {
    options.add(new OptionSpec(List.of(names), ArgKind.NONE, negatable, null));
    return this;
  }

  ExtensionBuilder optionalVal(ValueParser p, String... names) {
    options.add(new OptionSpec(List.of(names), ArgKind.OPTIONAL, false, p));
    return this;
  }

  ExtensionBuilder check(CrossCheck c) {
    checks.add(c);
    return this;
  }

  ExtensionSpec build() {
    return new ExtensionSpec(name, families, options, tables, checks);
  }
}
