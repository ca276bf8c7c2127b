package org.ksaudit.model.value;

import java.util.List;

/** A list of symbolic names (conntrack states, addrtype types, TCP flags, ...), upper-cased. */
public record NameSet(List<String> names) implements Value {
  public NameSet {
    names = List.copyOf(names);
  }

  public boolean has(String name) {
    return names.contains(name);
  }
}
