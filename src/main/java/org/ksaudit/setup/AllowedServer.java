package org.ksaudit.setup;

import java.util.List;
import java.util.Optional;

/**
 * One rule's allowance for VPN traffic past the tunnel, read as the server it is for.
 *
 * @param host the one address it allows (a range's first host), or empty when it allows any host
 * @param range the range it allows, when it names one rather than a host
 * @param ports the destination ports it allows, VPN ports first; empty when any port
 * @param proto udp or tcp, or empty when any protocol
 * @param origin the rule
 */
public record AllowedServer(Optional<String> host, Optional<String> range, List<Integer> ports, Optional<String> proto, Origin origin) {
  public AllowedServer {
    ports = List.copyOf(ports);
  }
}
