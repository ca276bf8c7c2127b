package org.ksaudit.parse;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.catalog.RuleView;
import org.ksaudit.model.Family;

/** What an extension's checks may see of a rule; the hook chains are filled in at COMMIT. */
record RuleFacts(
    Family family,
    String table,
    String chain,
    Optional<String> protocol,
    boolean protocolNegated,
    Map<String, String> options,
    Set<String> modules) {

  RuleView view(Set<String> hooks) {
    RuleFacts f = this;
    return new RuleView() {
      @Override public Family family() { return f.family; }
      @Override public String table() { return f.table; }
      @Override public String chain() { return f.chain; }
      @Override public Optional<String> protocol() { return f.protocol; }
      @Override public boolean protocolNegated() { return f.protocolNegated; }
      @Override public Set<String> optionsGiven() { return f.options.keySet(); }
      @Override public Optional<String> optionValue(String name) { return Optional.ofNullable(f.options.get(name)); }
      @Override public Set<String> hookChains() { return hooks; }
      @Override public Set<String> modules() { return f.modules; }
    };
  }
}
