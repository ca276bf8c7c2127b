package org.ksaudit.catalog;

import java.util.Optional;
import org.ksaudit.model.Family;

/**
 * What a value parser may need to know about the rule being read at the moment the option is
 * parsed: the family and the protocol given with -p so far (some extensions, like multiport,
 * look at it then and there).
 */
public record ValueContext(Family family, Optional<Integer> protocol, boolean protocolNegated) {
  /** The protocol's canonical name ("tcp", "udp", ...) for service lookups. */
  public Optional<String> protocolName() {
    return protocol.map(Protocols::canonical);
  }
}
