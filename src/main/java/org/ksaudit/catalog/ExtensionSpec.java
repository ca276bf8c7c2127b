package org.ksaudit.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * A match module or a target: its name, the families it exists in, its options, the tables it
 * may be used in (empty: all), the checks iptables makes once the line is read
 * ({@code lineChecks}: libxtables' final checks and the kernel's per-rule checks) and the
 * checks the kernel makes on the finished table ({@code hookChecks}: which built-in chains
 * reach the rule).
 */
public record ExtensionSpec(
    String name,
    Set<Family> families,
    List<OptionSpec> options,
    Set<String> tables,
    List<CrossCheck> lineChecks,
    List<CrossCheck> ruleChecks,
    List<CrossCheck> hookChecks) {
  public ExtensionSpec {
    families = Set.copyOf(families);
    options = List.copyOf(options);
    tables = Set.copyOf(tables);
    lineChecks = List.copyOf(lineChecks);
    ruleChecks = List.copyOf(ruleChecks);
    hookChecks = List.copyOf(hookChecks);
  }

  public Optional<OptionSpec> option(String optionName) {
    for (OptionSpec o : options) if (o.names().contains(optionName)) return Optional.of(o);
    return Optional.empty();
  }
}
