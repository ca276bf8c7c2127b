package org.ksaudit.check;

import java.util.Objects;

/** One kind of packet a finding's rule lets out, in words: "DNS (UDP) to 141.98.255.0/24". */
public record Traffic(TrafficKind kind, String text) {
  public Traffic {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
  }
}
