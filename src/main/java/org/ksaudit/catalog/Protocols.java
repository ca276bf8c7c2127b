package org.ksaudit.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.model.Family;

/**
 * Protocol names and numbers as libxtables resolves them (xtables_parse_protocol): a number
 * 0-255 in C syntax, "all", a name from /etc/protocols (getprotobyname, case-sensitive), then
 * libxtables' own short list.
 */
public final class Protocols {
  private static final Map<String, Integer> BUILTIN = Map.ofEntries(
      Map.entry("tcp", 6), Map.entry("sctp", 132), Map.entry("udp", 17), Map.entry("udplite", 136),
      Map.entry("icmp", 1), Map.entry("icmpv6", 58), Map.entry("ipv6-icmp", 58), Map.entry("esp", 50),
      Map.entry("ah", 51), Map.entry("ipv6-mh", 135), Map.entry("mh", 135), Map.entry("all", 0),
      Map.entry("dccp", 33), Map.entry("gre", 47), Map.entry("igmp", 2));
  private static final Map<String, Integer> ETC_NAMES = new HashMap<>();
  /** getprotobynumber: the first name /etc/protocols gives each number. */
  private static final Map<Integer, String> ETC_NUMBERS = new HashMap<>();

  static {
    load();
  }

  private Protocols() {}

  /** Protocol number for a protocol argument, if iptables would accept it. */
  public static Optional<Integer> number(String raw) {
    Optional<Long> num = Numbers.xtables(raw, 0, 255);
    if (num.isPresent()) return Optional.of((int) (long) num.get());
    if (raw.equals("all")) return Optional.of(0);
    Integer n = ETC_NAMES.get(raw);
    if (n == null) n = BUILTIN.get(raw);
    return Optional.ofNullable(n);
  }

  /**
   * The match module iptables loads implicitly for "-p PROTO" when it meets an option nobody
   * knows (so "-p tcp --dport 22" works without "-m tcp"): the protocol's name as written, or
   * for a number the name /etc/protocols gives it.
   */
  public static String implicitModuleName(String protocolArgument) {
    Optional<Long> num = Numbers.xtables(protocolArgument, 0, 255);
    if (num.isEmpty()) return alias(protocolArgument);
    int n = (int) (long) num.get();
    String name = ETC_NUMBERS.get(n);
    if (name == null && n != 0) {
      for (Map.Entry<String, Integer> e : BUILTIN.entrySet()) if (e.getValue() == n) name = e.getKey();
    }
    return name == null ? "" : alias(name);
  }

  /** libxtables' one alias for match names: the ICMPv6 spellings all load icmp6. */
  public static String alias(String moduleName) {
    return switch (moduleName) {
      case "icmpv6", "ipv6-icmp", "icmp6" -> "icmp6";
      default -> moduleName;
    };
  }

  /** Whether the implicit module applies in this family at all (icmp6 only in IPv6, icmp only in IPv4). */
  public static boolean implicitInFamily(String module, Family family) {
    return !(module.equals("icmp6") && family == Family.IPV4 || module.equals("icmp") && family == Family.IPV6);
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

  private static void load() {
    Path p = Path.of("/etc/protocols");
    try {
      if (!Files.isReadable(p)) return;
      for (String line : Files.readAllLines(p)) {
        int hash = line.indexOf('#');
        if (hash >= 0) line = line.substring(0, hash);
        String[] f = line.trim().split("\\s+");
        if (f.length < 2) continue;
        try {
          int n = Integer.parseInt(f[1]);
          ETC_NAMES.putIfAbsent(f[0], n);
          ETC_NUMBERS.putIfAbsent(n, f[0]);
          for (int i = 2; i < f.length; i++) ETC_NAMES.putIfAbsent(f[i], n);
        } catch (NumberFormatException e) {
          // malformed line: getprotobyname skips it too
        }
      }
    } catch (IOException | RuntimeException e) {
      // without /etc/protocols only the built-in names and numbers resolve, as on a minimal system
    }
  }
}
