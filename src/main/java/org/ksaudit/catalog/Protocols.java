package org.ksaudit.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.model.Family;

/**
 * Protocol names for -p, as libxtables resolves them: its own short list first, then
 * /etc/protocols (getprotobyname), then a number 0..255. Names are case-insensitive.
 */
public final class Protocols {
  private static final Map<String, Integer> BUILTIN = Map.ofEntries(
      Map.entry("tcp", 6), Map.entry("sctp", 132), Map.entry("udp", 17), Map.entry("udplite", 136),
      Map.entry("icmp", 1), Map.entry("icmpv6", 58), Map.entry("ipv6-icmp", 58), Map.entry("esp", 50),
      Map.entry("ah", 51), Map.entry("ipv6-mh", 135), Map.entry("mh", 135), Map.entry("all", 0),
      Map.entry("dccp", 33), Map.entry("gre", 47), Map.entry("igmp", 2));
  private static final Map<String, Integer> ETC = load();

  private Protocols() {}

  /** Protocol number for a -p argument, if iptables would accept it. */
  public static Optional<Integer> number(String raw) {
    String s = raw.toLowerCase(Locale.ROOT);
    Integer n = BUILTIN.get(s);
    if (n == null) n = ETC.get(s);
    if (n != null) return Optional.of(n);
    Optional<Long> num = Numbers.parseUnsigned(s, 10);
    if (num.isPresent() && num.get() <= 255) return Optional.of((int) (long) num.get());
    return Optional.empty();
  }

  /**
   * The match module iptables loads implicitly for a protocol when it meets an unknown
   * option (so "-p tcp --dport 22" works without "-m tcp").
   */
  public static Optional<String> implicitModule(int number, Family family) {
    return switch (number) {
      case 6 -> Optional.of("tcp");
      case 17 -> Optional.of("udp");
      case 136 -> Optional.of("udplite");
      case 132 -> Optional.of("sctp");
      case 33 -> Optional.of("dccp");
      case 1 -> family == Family.IPV4 ? Optional.of("icmp") : Optional.empty();
      case 58 -> family == Family.IPV6 ? Optional.of("icmp6") : Optional.empty();
      case 50 -> Optional.of("esp");
      case 51 -> Optional.of("ah");
      case 135 -> family == Family.IPV6 ? Optional.of("mh") : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** Canonical lower-case name used by the analysis ("tcp", "udp", "icmp", "icmpv6", or the number). */
  public static String canonical(int number) {
    return switch (number) {
      case 6 -> "tcp";
      case 17 -> "udp";
      case 1 -> "icmp";
      case 58 -> "icmpv6";
      case 132 -> "sctp";
      case 136 -> "udplite";
      case 33 -> "dccp";
      case 0 -> "all";
      default -> Integer.toString(number);
    };
  }

  private static Map<String, Integer> load() {
    Map<String, Integer> m = new HashMap<>();
    Path p = Path.of("/etc/protocols");
    try {
      if (!Files.isReadable(p)) return m;
      for (String line : Files.readAllLines(p)) {
        int hash = line.indexOf('#');
        if (hash >= 0) line = line.substring(0, hash);
        String[] f = line.trim().split("\\s+");
        if (f.length < 2) continue;
        try {
          int n = Integer.parseInt(f[1]);
          m.putIfAbsent(f[0].toLowerCase(Locale.ROOT), n);
          for (int i = 2; i < f.length; i++) m.putIfAbsent(f[i].toLowerCase(Locale.ROOT), n);
        } catch (NumberFormatException e) {
          // malformed line: getprotobyname skips it too
        }
      }
    } catch (IOException | RuntimeException e) {
      // without /etc/protocols only the built-in names and numbers resolve, as on a minimal system
    }
    return m;
  }
}
