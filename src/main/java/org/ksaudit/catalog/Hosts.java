package org.ksaudit.catalog;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IpText;

/**
 * The names iptables resolves without DNS on the machine that loads the rules: /etc/hosts
 * (through getaddrinfo) and, for IPv4 networks, /etc/networks (getnetbyname). Any other name
 * needs DNS at load time, which ksaudit reports instead of resolving.
 */
public final class Hosts {
  private static final Map<String, List<BigInteger>> V4 = new HashMap<>();
  private static final Map<String, List<BigInteger>> V6 = new HashMap<>();
  private static final Map<String, Long> NETWORKS = new HashMap<>();

  static {
    readHosts();
    readNetworks();
    // glibc answers these even without /etc/hosts entries
    V4.putIfAbsent("localhost", List.of(BigInteger.valueOf(0x7f000001L)));
    V6.putIfAbsent("localhost", List.of(BigInteger.ONE));
  }

  private Hosts() {}

  public static List<BigInteger> lookup(String name, Family family) {
    return (family == Family.IPV4 ? V4 : V6).getOrDefault(name, List.of());
  }

  /** getnetbyname: a network name from /etc/networks, as a host-order IPv4 address. */
  public static Optional<Long> network(String name) {
    return Optional.ofNullable(NETWORKS.get(name));
  }

  private static void readHosts() {
    for (String[] f : fields(Path.of("/etc/hosts"))) {
      Optional<BigInteger> v4 = Inet4.aton(f[0]).map(BigInteger::valueOf);
      Optional<BigInteger> v6 = IpText.parseV6(f[0]);
      for (int i = 1; i < f.length; i++) {
        String name = f[i];
        v4.ifPresent(a -> add(V4, name, a));
        v6.ifPresent(a -> add(V6, name, a));
      }
    }
  }

  private static void add(Map<String, List<BigInteger>> m, String name, BigInteger a) {
    List<BigInteger> l = m.computeIfAbsent(name, k -> new ArrayList<>());
    if (!l.contains(a)) l.add(a);
  }

  private static void readNetworks() {
    for (String[] f : fields(Path.of("/etc/networks"))) {
      if (f.length < 2) continue;
      Optional<Long> net = networkNumber(f[1]);
      if (net.isPresent()) {
        NETWORKS.putIfAbsent(f[0], net.get());
        for (int i = 2; i < f.length; i++) NETWORKS.putIfAbsent(f[i], net.get());
      }
    }
  }

  /** inet_network: "127", "169.254" or "169.254.0.0", as the number getnetbyname reports (not shifted). */
  private static Optional<Long> networkNumber(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length > 4) return Optional.empty();
    long v = 0;
    for (String p : parts) {
      Optional<Long> b = Numbers.digits(p, 10);
      if (b.isEmpty() || b.get() > 255) return Optional.empty();
      v = (v << 8) | b.get();
    }
    return Optional.of(v);
  }

  private static List<String[]> fields(Path p) {
    List<String[]> out = new ArrayList<>();
    try {
      if (!Files.isReadable(p)) return out;
      for (String line : Files.readAllLines(p)) {
        int hash = line.indexOf('#');
        if (hash >= 0) line = line.substring(0, hash);
        line = line.strip();
        if (line.isEmpty()) continue;
        out.add(line.split("\\s+"));
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable file resolves nothing, as on a machine without it
    }
    return out;
  }
}
