package org.ksaudit.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.value.Value;

/**
 * What an extension's checks see of the rule it sits in: the family, table and chain, the
 * protocol given with -p (its number, and whether it is negated), the extension's own options,
 * every match of the rule, and, for checks run on the finished table, the built-in chains that
 * reach the rule's chain (the chain itself when it is built-in, nothing when unreachable).
 */
public record RuleView(
    Family family,
    String table,
    String chain,
    Optional<Integer> protocol,
    boolean protocolNegated,
    List<Option> options,
    List<Match> matches,
    Set<String> hookChains) {
  public RuleView {
    options = List.copyOf(options);
    matches = List.copyOf(matches);
    hookChains = Set.copyOf(hookChains);
  }

  public boolean has(String optionName) {
    return options.stream().anyMatch(o -> o.name().equals(optionName));
  }

  public Optional<Value> value(String optionName) {
    return options.stream().filter(o -> o.name().equals(optionName)).map(Option::value).findFirst();
  }

  /** True when -p names exactly this protocol number, not negated. */
  public boolean protocolIs(int number) {
    return protocol.isPresent() && protocol.get() == number && !protocolNegated;
  }

  public RuleView withHooks(Set<String> hooks) {
    return new RuleView(family, table, chain, protocol, protocolNegated, options, matches, hooks);
  }
}
