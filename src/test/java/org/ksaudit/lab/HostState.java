package org.ksaudit.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the lab must never change on the host: its interfaces, addresses, routes and policy
 * rules, its iptables rules in both backends, its resolver, its forwarding switches and the
 * shared wireguard-go socket directory. Counters and save-time comments are left out, as they
 * change with the host's own traffic.
 */
record HostState(Map<String, String> parts) {
  static final Path WIREGUARD_SOCKETS = Path.of("/run/wireguard");

  static HostState now() throws IOException {
    Map<String, String> p = new TreeMap<>();
    p.put("links", links());
    p.put("addresses", out("ip", "-o", "addr", "show"));
    p.put("routes4", out("ip", "-4", "route", "show", "table", "all"));
    p.put("routes6", out("ip", "-6", "route", "show", "table", "all"));
    p.put("rules4", out("ip", "-4", "rule", "show"));
    p.put("rules6", out("ip", "-6", "rule", "show"));
    for (String save : List.of("iptables-nft-save", "ip6tables-nft-save", "iptables-legacy-save", "ip6tables-legacy-save")) {
      if (Exec.onPath(save)) p.put(save, out(save).replaceAll("(?m)^#.*\n", "").replaceAll("\\[\\d+:\\d+\\]", "[]"));
    }
    p.put("resolv.conf", Files.readString(Path.of("/etc/resolv.conf")));
    p.put("ip_forward", Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")));
    p.put("ipv6 forwarding", Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/forwarding")));
    p.put("/run/wireguard", wireguardSockets());
    return new HostState(p);
  }

  /** The host's interface names, one a line. */
  static String links() {
    List<String> names = new ArrayList<>();
    for (String l : out("ip", "-o", "link", "show").split("\n")) {
      String[] f = l.split(":\\s+", 3);
      if (f.length > 1) names.add(f[1]);
    }
    return String.join("\n", names);
  }

  /** The entries of the host's /run/wireguard, one a line (empty when it does not exist). */
  static String wireguardSockets() throws IOException {
    if (!Files.isDirectory(WIREGUARD_SOCKETS)) return "";
    try (Stream<Path> s = Files.list(WIREGUARD_SOCKETS)) {
      return String.join("\n", s.map(x -> x.getFileName().toString()).sorted().toList());
    }
  }

  private static String out(String... command) {
    Exec.Result r = Exec.run(command);
    if (!r.ok()) throw new AssertionError(String.join(" ", command) + " failed: " + r.firstLine());
    return r.stdout();
  }

  /** The parts that differ from {@code other}, each with both versions. */
  String differences(HostState other) {
    StringBuilder b = new StringBuilder();
    for (String k : parts.keySet()) {
      if (!parts.get(k).equals(other.parts.get(k))) {
        b.append("== ").append(k).append(" before:\n").append(parts.get(k)).append("\n== after:\n").append(other.parts.get(k)).append('\n');
      }
    }
    return b.toString();
  }
}
