package org.ksaudit.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code *table} section, with its chains in declaration order. Immutable; a class rather
 * than a record only to keep an index by name, because the engine looks a chain up at every
 * jump (a kube-proxy dump has tens of thousands of chains).
 */
public final class Table {
  private final String name;
  private final List<Chain> chains;
  private final SourcePos pos;
  private final Map<String, Chain> byName;

  public Table(String name, List<Chain> chains, SourcePos pos) {
    this.name = Objects.requireNonNull(name);
    this.chains = List.copyOf(chains);
    this.pos = Objects.requireNonNull(pos);
    Map<String, Chain> index = new HashMap<>();
    // the first declaration wins, as a linear search would find it
    for (Chain c : this.chains) index.putIfAbsent(c.name(), c);
    this.byName = index;
  }

  public String name() {
    return name;
  }

  public List<Chain> chains() {
    return chains;
  }

  public SourcePos pos() {
    return pos;
  }

  public Optional<Chain> chain(String chainName) {
    return Optional.ofNullable(byName.get(chainName));
  }

  public int ruleCount() {
    return chains.stream().mapToInt(c -> c.rules().size()).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Table t && name.equals(t.name) && chains.equals(t.chains) && pos.equals(t.pos);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, chains, pos);
  }

  @Override
  public String toString() {
    return "Table[name=" + name + ", chains=" + chains + ", pos=" + pos + "]";
  }
}
