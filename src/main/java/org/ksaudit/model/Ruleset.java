package org.ksaudit.model;

import java.util.List;
import java.util.Optional;

/** The final state of one iptables-save / ip6tables-save file, after all its commands. */
public record Ruleset(String file, Family family, List<Table> tables) {
  public Ruleset {
    tables = List.copyOf(tables);
  }

  public Optional<Table> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public int ruleCount() {
    return tables.stream().mapToInt(Table::ruleCount).sum();
  }
}
