package org.ksaudit.analysis;

import java.util.Optional;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;

/**
 * What decided a packet's fate in a table: a rule, the policy of a built-in chain, or (when
 * the ruleset does not have the table or chain) the kernel's default, which accepts.
 */
public record Decider(String table, String chain, Optional<Rule> rule, Optional<Chain> policyOf) {
  public static Decider rule(String table, String chain, Rule r) {
    return new Decider(table, chain, Optional.of(r), Optional.empty());
  }

  public static Decider policy(String table, Chain c) {
    return new Decider(table, c.name(), Optional.empty(), Optional.of(c));
  }

  public static Decider absent(String table, String chain) {
    return new Decider(table, chain, Optional.empty(), Optional.empty());
  }

  public boolean isPolicy() {
    return policyOf.isPresent();
  }

  public boolean isAbsent() {
    return rule.isEmpty() && policyOf.isEmpty();
  }
}
