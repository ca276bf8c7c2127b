package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ksaudit.model.Family;

/**
 * Random but loadable rulesets for property tests: every table of the OUTPUT path, user chains
 * reached by -j and -g (never in a loop), marks set in mangle and tested later, DNAT in nat,
 * NOTRACK in raw, and now and then a match the engine cannot interpret. The kernel tests load
 * them too, so their floors are met by the repository alone.
 */
public final class RandomRulesets {
  private final Random rnd;
  private final Family family;
  private final boolean unknowns;

  public RandomRulesets(Random rnd, Family family, boolean unknowns) {
    this.rnd = rnd;
    this.family = family;
    this.unknowns = unknowns;
  }

  static final List<String> INTERFACES = List.of("eth0", "wlan0", "tun0", "wg0", "tun7", "e9");

  private static final List<String> V4 = List.of("10.1.0.0/16", "10.1.2.3", "192.168.1.0/24", "203.0.113.0/28",
      "198.51.100.1", "0.0.0.0/0", "127.0.0.1", "224.0.0.0/4");
  private static final List<String> V6 = List.of("2001:db8::/32", "2001:db8::53", "fd00::/8", "fe80::/10", "::1",
      "2001:db8:1::/48", "ff00::/8", "::/0");
  private static final List<String> RANGES4 = List.of("10.1.2.0-10.1.2.255", "203.0.113.5-203.0.113.9");
  private static final List<String> RANGES6 = List.of("2001:db8::1-2001:db8::ff", "fd00::5-fd00::9");
  private static final List<String> PORTS = List.of("53", "443", "1194", "1000:2000", "51820", "80");
  private static final List<String> MARKS = List.of("0x1", "0xca6c", "0x4000/0x4000", "0x2/0x3", "0");

  private <T> T pick(List<T> l) {
    return l.get(rnd.nextInt(l.size()));
  }

  public String generate() {
    StringBuilder sb = new StringBuilder();
    table(sb, "raw", List.of("OUTPUT"), 0, rnd.nextInt(3));
    table(sb, "mangle", List.of("OUTPUT", "POSTROUTING"), rnd.nextInt(2), rnd.nextInt(5));
    table(sb, "nat", List.of("OUTPUT", "POSTROUTING"), 0, rnd.nextInt(4));
    table(sb, "filter", List.of("OUTPUT"), rnd.nextInt(3), 2 + rnd.nextInt(9));
    return sb.toString();
  }

  private void table(StringBuilder sb, String table, List<String> builtins, int userChains, int rules) {
    if (rules == 0 && rnd.nextBoolean()) return;
    sb.append('*').append(table).append('\n');
    for (String b : builtins) {
      String policy = table.equals("filter") && rnd.nextBoolean() ? "DROP" : "ACCEPT";
      sb.append(':').append(b).append(' ').append(policy).append(" [0:0]\n");
    }
    List<String> users = new ArrayList<>();
    for (int i = 0; i < userChains; i++) users.add("user" + i);
    for (String u : users) sb.append(':').append(u).append(" - [0:0]\n");
    for (int i = 0; i < rules; i++) {
      String chain = pick(builtins);
      sb.append(rule(table, chain, chain, users, -1)).append('\n');
    }
    for (int k = 0; k < users.size(); k++) {
      int n = 1 + rnd.nextInt(4);
      for (int i = 0; i < n; i++) sb.append(rule(table, users.get(k), "OUTPUT", users, k)).append('\n');
    }
    sb.append("COMMIT\n");
  }

  /** One rule; {@code self} is the index of a user chain (jumps only go to later ones: no loops). */
  private String rule(String table, String chain, String hook, List<String> users, int self) {
    StringBuilder r = new StringBuilder("-A ").append(chain);
    boolean ports = false;
    boolean tcp = false;
    int proto = rnd.nextInt(7);
    switch (proto) {
      case 0 -> {
        r.append(" -p tcp");
        tcp = true;
      }
      case 1 -> r.append(" -p udp");
      case 2 -> {
        r.append(rnd.nextBoolean() ? " -p tcp -m tcp" : " -p tcp").append(rnd.nextInt(4) == 0 ? " !" : "").append(" --dport ")
            .append(pick(PORTS));
        ports = true;
        tcp = true;
      }
      case 3 -> {
        r.append(" -p udp -m udp").append(rnd.nextInt(4) == 0 ? " !" : "").append(" --dport ").append(pick(PORTS));
        ports = true;
      }
      case 4 -> {
        r.append(" -p udp -m multiport --dports 53,443,1000:2000");
        ports = true;
      }
      case 5 -> r.append(family == Family.IPV4 ? " -p icmp -m icmp --icmp-type 8" : " -p ipv6-icmp -m icmp6 --icmpv6-type 128");
      default -> {}
    }
    int extra = rnd.nextInt(3);
    List<Integer> kinds = new ArrayList<>();
    for (int i = 0; i < (unknowns ? 11 : 10); i++) kinds.add(i);
    java.util.Collections.shuffle(kinds, rnd);
    for (int i = 0; i < extra; i++) {
      switch (kinds.get(i)) {
        case 0 -> r.append(rnd.nextInt(3) == 0 ? " !" : "").append(" -o ").append(pick(List.of("eth0", "tun0", "tun+", "wlan0", "e+")));
        case 1 -> {
          boolean negated = rnd.nextInt(3) == 0;
          String dst = pick(family == Family.IPV4 ? V4 : V6);
          // iptables-nft 1.8.9 refuses a negated /0 ("RULE_APPEND failed (Invalid argument)"), legacy loads it
          r.append(negated && !dst.endsWith("/0") ? " !" : "").append(" -d ").append(dst);
        }
        case 2 -> r.append(" -m iprange").append(rnd.nextInt(3) == 0 ? " !" : "").append(" --dst-range ")
            .append(pick(family == Family.IPV4 ? RANGES4 : RANGES6));
        case 3 -> r.append(" -m mark").append(rnd.nextInt(3) == 0 ? " !" : "").append(" --mark ").append(pick(MARKS));
        case 4 -> r.append(" -m conntrack --ctstate ").append(pick(List.of("NEW", "ESTABLISHED,RELATED", "INVALID", "UNTRACKED")));
        case 5 -> r.append(" -m owner").append(rnd.nextInt(3) == 0 ? " !" : "").append(" --uid-owner ").append(pick(List.of("0", "1000", "1000-2000")));
        case 6 -> r.append(" -m addrtype").append(rnd.nextInt(3) == 0 ? " !" : "").append(" --dst-type ")
            .append(pick(List.of("LOCAL", "UNICAST", "MULTICAST")));
        case 7 -> r.append(" -m connmark --mark ").append(pick(List.of("0x5", "0x1/0x1")));
        case 8 -> r.append(" -m comment --comment x").append(rnd.nextInt(100));
        case 9 -> r.append(" -m state --state ").append(pick(List.of("NEW", "ESTABLISHED")));
        default -> r.append(" -m limit --limit 3/min");
      }
    }
    r.append(target(table, chain, hook, users, self, ports, tcp));
    return r.toString();
  }

  private String target(String table, String chain, String hook, List<String> users, int self, boolean ports, boolean tcp) {
    List<String> later = users.subList(Math.min(self + 1, users.size()), users.size());
    int k = rnd.nextInt(10);
    if (!later.isEmpty() && k < 2) return (k == 0 ? " -j " : " -g ") + pick(later);
    if (k == 2 && self >= 0) return " -j RETURN";
    if (k == 3) return rnd.nextBoolean() ? " -j LOG --log-prefix ks" : "";
    return switch (table) {
      case "raw" -> pick(List.of(" -j NOTRACK", " -j CT --notrack", " -j ACCEPT", " -j DROP"));
      case "mangle" -> pick(List.of(" -j MARK --set-xmark 0x1/0x3", " -j MARK --set-mark 0xca6c", " -j MARK --or-mark 0x4000",
          " -j MARK --and-mark 0xfffffffe", " -j MARK --xor-mark 0x3", " -j CONNMARK --set-mark 0x5",
          " -j CONNMARK --save-mark", " -j CONNMARK --restore-mark", " -j ACCEPT", " -j DROP"));
      case "nat" -> chain.equals("POSTROUTING") || hook.equals("POSTROUTING")
          ? pick(List.of(" -j MASQUERADE", " -j ACCEPT"))
          : pick(ports
              ? List.of(" -j DNAT --to-destination " + dnatTarget(true), " -j DNAT --to-destination " + dnatTarget(false), " -j ACCEPT")
              : List.of(" -j DNAT --to-destination " + dnatTarget(false), " -j ACCEPT"));
      default -> pick(tcp
          ? List.of(" -j ACCEPT", " -j DROP", " -j REJECT", " -j REJECT --reject-with tcp-reset", " -j MARK --set-mark 0x2")
          : List.of(" -j ACCEPT", " -j DROP", " -j REJECT", " -j MARK --set-mark 0x2"));
    };
  }

  private String dnatTarget(boolean withPort) {
    String a = family == Family.IPV4 ? pick(List.of("10.1.2.3", "198.51.100.1", "127.0.0.1"))
        : pick(List.of("2001:db8::53", "fd00::7", "::1"));
    if (!withPort) return a;
    String port = pick(List.of("53", "8443"));
    return family == Family.IPV4 ? a + ":" + port : "[" + a + "]:" + port;
  }
}
