package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.List;

/**
 * The values a witness takes where its set leaves a choice, so that it looks like what a user
 * would send and the lab can replay: the source address of a local packet and of a forwarded
 * one, the source port, the interface names tried first, and a destination (of a
 * documentation range) for a set that leaves any.
 */
public record WitnessDefaults(BigInteger localSource, BigInteger forwardSource, int sourcePort, List<String> interfaces,
    BigInteger destination) {
  public WitnessDefaults {
    interfaces = List.copyOf(interfaces);
  }

  BigInteger source(Path path) {
    return path == Path.FORWARD ? forwardSource : localSource;
  }
}
