package org.ksaudit.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asks a namespace's routing which interface packets leave through, for many destinations in
 * one {@code ip -json -force -batch} process (one {@code ip route get} each would start a
 * process per destination, half a second a scenario on a loaded machine). A destination the
 * kernel cannot route (unreachable) has no interface.
 */
final class RouteLookup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RouteLookup() {}

  /**
   * The interface of each destination; {@code qualifier} is appended to every lookup
   * ({@code "from ADDR iif DEV"} for a forwarded packet, empty for the namespace's own).
   */
  static Map<String, Optional<String>> devices(Netns ns, Collection<String> destinations, String qualifier) {
    Set<String> dsts = new LinkedHashSet<>(destinations);
    Map<String, Optional<String>> out = new HashMap<>();
    for (String d : dsts) out.put(d, Optional.empty());
    if (dsts.isEmpty()) return out;
    StringBuilder in = new StringBuilder();
    for (String d : dsts) in.append("route get ").append(d).append(qualifier.isEmpty() ? "" : " " + qualifier).append('\n');
    // -force: an unroutable destination fails its line only; each line that succeeds prints one JSON array
    Exec.Result r = Exec.run(List.of("ip", "-json", "-n", ns.name(), "-force", "-batch", "-"), in.toString(), 10_000);
    for (String line : r.stdout().split("\n")) {
      if (line.isBlank()) continue;
      try {
        for (JsonNode route : JSON.readTree(line)) {
          String dst = route.path("dst").asText("");
          String dev = route.path("dev").asText("");
          if (dst.isEmpty() || dev.isEmpty()) continue;
          String key = LabAddress.canonical(dst);
          if (out.containsKey(key)) out.put(key, Optional.of(dev));
        }
      } catch (IOException | IllegalArgumentException e) {
        // a line that is not a route (a warning of ip) names no interface: its destination stays without one
      }
    }
    return out;
  }

  /** The names of the namespace's interfaces, as they are now. */
  static Set<String> interfaces(Netns ns) throws LabException {
    Exec.Result r = Exec.run(List.of("ip", "-json", "-n", ns.name(), "link", "show"), null, 10_000);
    if (!r.ok()) throw new LabException("cannot list the interfaces of " + ns.name() + ": " + r.firstLine());
    Set<String> names = new LinkedHashSet<>();
    try {
      for (JsonNode link : JSON.readTree(r.stdout())) names.add(link.path("ifname").asText());
    } catch (IOException e) {
      throw new LabException("cannot read the interfaces of " + ns.name() + ": " + e.getMessage());
    }
    return names;
  }
}
