package org.ksaudit.model;

import java.util.List;
import java.util.Optional;

/**
 * A chain: built-in chains carry a policy, user chains ({@code :NAME -}) do not and
 * fall back to their caller when a packet runs off their end.
 */
public record Chain(String name, Optional<Policy> policy, List<Rule> rules, SourcePos pos) {
  public Chain {
    rules = List.copyOf(rules);
  }

  public boolean builtin() {
    return policy.isPresent();
  }
}
