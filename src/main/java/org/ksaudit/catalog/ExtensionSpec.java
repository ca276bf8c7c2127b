package org.ksaudit.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * A match module or a target: its name, the families it exists in, its options, the tables
 * it may be used in (empty: all) and its cross-option checks.
 */
public record ExtensionSpec(
    String name, Set<Family> families, List<OptionSpec> options, Set<String> tables, List<CrossCheck> checks) {
  public ExtensionSpec {
    families = Set.copyOf(families);
    options = List.copyOf(options);
    tables = Set.copyOf(tables);
    checks = List.copyOf(checks);
  }

  public Optional<OptionSpec> option(String name) {
    return options.stream().filter(o -> o.names().contains(name)).findFirst();
  }
}
