package org.ksaudit.model;

import java.util.List;
import java.util.Optional;

/** One {@code *table} section, with its chains in declaration order. */
public record Table(String name, List<Chain> chains, SourcePos pos) {
  public Table {
    chains = List.copyOf(chains);
  }

  public Optional<Chain> chain(String chainName) {
    return chains.stream().filter(c -> c.name().equals(chainName)).findFirst();
  }

  public int ruleCount() {
    return chains.stream().mapToInt(c -> c.rules().size()).sum();
  }
}
