package org.ksaudit.setup;

import java.util.Objects;

/** One part of the setup (an address, a name, a uid) and where it came from. */
public record Part<T>(T value, Origin origin) {
  public Part {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(origin, "origin");
  }

  @Override
  public String toString() {
    return value + " " + origin;
  }
}
