package org.ksaudit.model.value;

/** An inclusive port range 0..65535. */
public record PortRange(int from, int to) {
  public PortRange {
    if (from < 0 || to > 65535 || from > to) throw new IllegalArgumentException(from + ":" + to);
  }

  public boolean contains(int port) {
    return port >= from && port <= to;
  }

  @Override
  public String toString() {
    return from == to ? Integer.toString(from) : from + ":" + to;
  }
}
