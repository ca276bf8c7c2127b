package org.ksaudit.model.value;

/** An interface name for -i / -o; a trailing '+' makes it match every name with that prefix. */
public record InterfaceName(String name) implements Value {
  public boolean wildcard() {
    return name.endsWith("+");
  }

  /** The fixed part: the whole name, or the prefix before '+'. */
  public String stem() {
    return wildcard() ? name.substring(0, name.length() - 1) : name;
  }

  public boolean matches(String iface) {
    return wildcard() ? iface.startsWith(stem()) : iface.equals(name);
  }
}
