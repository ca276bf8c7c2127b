package org.ksaudit.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.ksaudit.model.Family;

/**
 * Seeded killswitch-shaped rulesets, written the way guides, VPN clients and users write them:
 * policies, loopback, the tunnel (a name, a prefix or a custom name), the VPN server (exact,
 * too broad, by port only, by range or multiport, declared with --endpoint or not), DNS to a
 * resolver (on the tunnel or everywhere, rewritten by DNAT, exempted from conntrack), LAN
 * ranges (declared with --allow-lan or not), connections in state ESTABLISHED, ICMP, NTP,
 * wg-quick's fwmark exemption, mangle marks tested in filter, user chains reached by -j and -g
 * with RETURN, and a tail that refuses the rest. Each piece has a tight form and loose forms;
 * how often the loose ones are taken varies per ruleset, so clean and leaking rulesets both
 * come often. Every ruleset is meant to load with both backends.
 *
 * <p>Not generated here, each covered by tests of its own with the kernel as the judge: an
 * IPv6 file without an IPv4 file ({@code MissingFamilyTest}), uplink names that look like
 * tunnels such as {@code pppoe-wan} ({@code OpenWrtUplinkTest}, {@code OpenWrtKernelTest}), a
 * table declared twice ({@code LoadedTablesKernelTest}) and ICMPv6 in an IPv4 file
 * ({@code FamilyDetectionTest}, the oracle's {@code family.v4.cases}).
 */
final class KillswitchGenerator {
  private final Random rnd;

  KillswitchGenerator(long seed) {
    rnd = new Random(seed);
  }

  /** One ruleset pair (the IPv6 file may be missing) with the command-line options it is audited with. */
  record Generated(Optional<String> v4, Optional<String> v6, List<String> options) {}

  private static final List<String> SERVERS4 = List.of("198.51.100.1", "203.0.113.10", "192.0.2.77");
  private static final List<String> SERVERS6 = List.of("2001:db8:5::1", "2001:db8::10", "2001:db8:77::2");
  private static final List<String> RESOLVERS4 = List.of("10.8.0.1", "10.45.16.1", "192.168.1.1", "203.0.113.53", "9.9.9.9");
  private static final List<String> RESOLVERS6 = List.of("fd00::53", "2001:db8::53", "2001:db8:53::1");
  private static final List<String> LANS4 = List.of("192.168.1.0/24", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
      "100.64.0.0/10", "192.168.1.128/25", "10.1.2.0/31");
  private static final List<String> LANS6 = List.of("fd00::/8", "fc00::/7", "fd12:3456::/48", "2001:db8:1::/64");
  private static final List<String> UPLINKS = List.of("eth0", "wlan0");
  private static final List<Integer> PORTS = List.of(1194, 51820, 443, 1195, 4500);

  private double loose;
  private Family family;
  private String tunnel;
  private String server;
  private String proto;
  private int port;

  Generated next() {
    loose = List.of(0.0, 0.0, 0.1, 0.3, 0.6).get(rnd.nextInt(5));
    tunnel = pick(List.of("tun0", "tun0", "wg0", "tun+", "proton0"));
    proto = rnd.nextInt(3) == 0 ? "tcp" : "udp";
    port = pick(PORTS);
    List<String> options = new ArrayList<>();
    if (tunnel.equals("proton0") && rnd.nextBoolean()) options.addAll(List.of("--tunnel", "proton0"));
    family = Family.IPV4;
    server = pick(SERVERS4);
    String lan4 = pick(LANS4);
    if (rnd.nextInt(3) == 0) options.addAll(List.of("--endpoint", server + ":" + port + "/" + proto));
    if (rnd.nextInt(4) == 0) options.addAll(List.of("--allow-lan", lan4));
    String v4 = ruleset(lan4);
    Optional<String> v6 = Optional.empty();
    int kind6 = rnd.nextInt(10);
    if (kind6 < 6) {
      family = Family.IPV6;
      server = pick(SERVERS6);
      String lan6 = pick(LANS6);
      if (rnd.nextInt(4) == 0) options.addAll(List.of("--endpoint", "[" + server + "]:" + port + "/" + proto));
      if (rnd.nextInt(5) == 0) options.addAll(List.of("--allow-lan", lan6));
      v6 = Optional.of(ruleset(lan6));
    } else if (kind6 < 9) {
      v6 = Optional.of(dropAllButLoopback());
    }
    if (rnd.nextInt(3) == 0) options.addAll(List.of("--format", "json"));
    return new Generated(Optional.of(v4), v6, options);
  }

  private boolean isLoose() {
    return rnd.nextDouble() < loose;
  }

  private <T> T pick(List<T> l) {
    return l.get(rnd.nextInt(l.size()));
  }

  private String dropAllButLoopback() {
    return "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A OUTPUT -o lo -j ACCEPT\nCOMMIT\n";
  }

  private boolean v6() {
    return family == Family.IPV6;
  }

  private String ruleset(String lan) {
    List<List<String>> pieces = new ArrayList<>();
    List<String> mangle = new ArrayList<>();
    List<String> nat = new ArrayList<>();
    List<String> raw = new ArrayList<>();
    String tun = tunnel;
    String up = pick(UPLINKS);
    pieces.add(List.of(isLoose() ? "-A OUTPUT -o lo -j ACCEPT" : rnd.nextBoolean() ? "-A OUTPUT -o lo -j ACCEPT" : "-A OUTPUT -d " + (v6() ? "::1" : "127.0.0.0/8") + " -j ACCEPT"));
    pieces.add(List.of("-A OUTPUT -o " + tun + " -j ACCEPT"));
    pieces.add(endpoint(up, tun, mangle));
    if (rnd.nextInt(3) > 0) pieces.add(dns(tun, nat, raw));
    if (rnd.nextInt(3) == 0) pieces.add(lan(lan, up));
    if (rnd.nextBoolean()) pieces.add(established(tun));
    if (rnd.nextInt(3) == 0) pieces.add(icmp(tun));
    if (rnd.nextInt(4) == 0) pieces.add(List.of("-A OUTPUT" + (isLoose() ? "" : " -o " + tun) + " -p udp -m udp --dport 123 -j ACCEPT"));
    if (rnd.nextInt(4) == 0) pieces.add(markAllowance(mangle, tun));
    Collections.shuffle(pieces.subList(1, pieces.size()), rnd);
    if (isLoose() && pieces.size() > 2) Collections.swap(pieces, 0, pieces.size() - 1);

    boolean policyDrop = !isLoose() || rnd.nextBoolean();
    List<String> tail = new ArrayList<>();
    if (!policyDrop || rnd.nextBoolean()) tail.add(refuseTheRest(tun));
    if (rnd.nextInt(5) == 0 && tun.equals("wg0")) {
      tail.add(0, "-A OUTPUT ! -o wg0 -m mark ! --mark 0xca6c -m addrtype ! --dst-type LOCAL -j REJECT");
    }

    StringBuilder sb = new StringBuilder();
    if (!raw.isEmpty()) table(sb, "raw", List.of("PREROUTING", "OUTPUT"), List.of(), raw);
    if (!mangle.isEmpty()) table(sb, "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"), List.of(), mangle);
    if (rnd.nextInt(4) == 0) nat.add("-A POSTROUTING -o " + up + " -j MASQUERADE");
    if (!nat.isEmpty()) table(sb, "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"), List.of(), nat);

    List<String> chains = new ArrayList<>();
    List<String> rules = new ArrayList<>();
    rules.add("-A INPUT -i lo -j ACCEPT");
    rules.add("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
    int shape = rnd.nextInt(4);
    if (shape == 0) {
      // everything in a user chain reached with -j; the tail in OUTPUT after it
      chains.add("ks-allow");
      rules.add("-A OUTPUT -j ks-allow");
      for (List<String> p : pieces) for (String r : p) rules.add(r.replace("-A OUTPUT ", "-A ks-allow "));
      rules.addAll(tail);
    } else if (shape == 1) {
      // uplink traffic sent with -g to a chain of its own: what it does not accept meets OUTPUT's policy
      chains.add("ks-uplink");
      rules.add("-A OUTPUT -o lo -j ACCEPT");
      rules.add("-A OUTPUT -o " + tun + " -j ACCEPT");
      rules.add("-A OUTPUT -o " + up + " -g ks-uplink");
      for (List<String> p : pieces.subList(2, pieces.size())) for (String r : p) rules.add(r.replace("-A OUTPUT ", "-A ks-uplink "));
      if (!isLoose()) rules.add("-A ks-uplink -j DROP");
      rules.addAll(tail);
      if (!policyDrop && !isLoose()) rules.add("-A OUTPUT ! -o " + tun + " -j DROP");
    } else if (shape == 2) {
      // a guard chain that RETURNs what may pass and refuses the rest
      chains.add("ks-guard");
      for (List<String> p : pieces) for (String r : p) rules.add(r.replace("-j ACCEPT", "-j RETURN").replace("-A OUTPUT ", "-A ks-guard "));
      rules.add("-A ks-guard -j " + (isLoose() ? "RETURN" : "REJECT"));
      rules.add("-A OUTPUT -j ks-guard");
      rules.add("-A OUTPUT -j ACCEPT");
      policyDrop = rnd.nextBoolean();
    } else {
      for (List<String> p : pieces) rules.addAll(p);
      rules.addAll(tail);
    }
    List<String> filterChains = new ArrayList<>(chains);
    if (rnd.nextInt(6) == 0) {
      filterChains.add("ks-forward");
      rules.add("-A FORWARD -j ks-forward");
      rules.add("-A ks-forward -i docker0 -o " + tun + " -j ACCEPT");
      rules.add("-A ks-forward -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
      if (isLoose()) rules.add("-A ks-forward -i docker0 -j ACCEPT");
    }
    sb.append("*filter\n:INPUT ").append(rnd.nextBoolean() ? "DROP" : "ACCEPT").append(" [0:0]\n:FORWARD ")
        .append(rnd.nextInt(3) > 0 ? "DROP" : "ACCEPT").append(" [0:0]\n:OUTPUT ").append(policyDrop ? "DROP" : "ACCEPT").append(" [0:0]\n");
    for (String c : filterChains) sb.append(':').append(c).append(" - [0:0]\n");
    for (String r : rules) sb.append(r).append('\n');
    sb.append("COMMIT\n");
    return sb.toString();
  }

  private static void table(StringBuilder sb, String name, List<String> builtins, List<String> chains, List<String> rules) {
    sb.append('*').append(name).append('\n');
    for (String b : builtins) sb.append(':').append(b).append(" ACCEPT [0:0]\n");
    for (String c : chains) sb.append(':').append(c).append(" - [0:0]\n");
    for (String r : rules) sb.append(r).append('\n');
    sb.append("COMMIT\n");
  }

  private String host(String a) {
    return a + (rnd.nextBoolean() ? "" : v6() ? "/128" : "/32");
  }

  private List<String> endpoint(String up, String tun, List<String> mangle) {
    String match = " -p " + proto + " -m " + proto + " --dport " + port;
    String oif = rnd.nextBoolean() ? " -o " + up : "";
    if (!isLoose()) return List.of("-A OUTPUT" + oif + " -d " + host(server) + match + " -j ACCEPT");
    return switch (rnd.nextInt(7)) {
      case 0 -> List.of("-A OUTPUT" + oif + match + " -j ACCEPT");
      case 1 -> List.of("-A OUTPUT" + oif + " -d " + server + (v6() ? "/64" : "/24") + match + " -j ACCEPT");
      case 2 -> List.of("-A OUTPUT" + oif + " -d " + host(server) + " -j ACCEPT");
      case 3 -> List.of("-A OUTPUT" + oif + " -p " + proto + " -m multiport --dports " + port + ",443,53 -d " + host(server) + " -j ACCEPT");
      case 4 -> List.of("-A OUTPUT" + oif + " -p " + proto + " -m iprange --dst-range " + server + "-" + bump(server) + match.substring(match.indexOf(" --dport")) + " -j ACCEPT");
      case 5 -> List.of("-A OUTPUT ! -o " + tun + " -p " + proto + " ! --dport " + port + " -j ACCEPT");
      default -> {
        mangle.add("-A OUTPUT -d " + host(server) + " -p " + proto + " -j MARK --set-xmark 0x1/0xffffffff");
        yield List.of("-A OUTPUT -m mark --mark 0x1" + oif + " -j ACCEPT");
      }
    };
  }

  /** The address a few above the server's, for a range. */
  private String bump(String a) {
    if (v6()) return a.substring(0, a.lastIndexOf(':') + 1) + "ff";
    return a.substring(0, a.lastIndexOf('.') + 1) + "99";
  }

  private List<String> dns(String tun, List<String> nat, List<String> raw) {
    String r = v6() ? pick(RESOLVERS6) : pick(RESOLVERS4);
    String p = rnd.nextInt(3) == 0 ? "tcp" : "udp";
    int dport = rnd.nextInt(5) == 0 ? 853 : 53;
    if (rnd.nextInt(5) == 0) nat.add("-A OUTPUT -p udp -m udp --dport 53 -j DNAT --to-destination " + (v6() ? "[" + r + "]:53" : r + ":53"));
    if (rnd.nextInt(6) == 0) raw.add("-A OUTPUT -p udp --dport 53 -j " + (rnd.nextBoolean() ? "NOTRACK" : "CT --notrack"));
    if (!isLoose()) return List.of("-A OUTPUT -o " + tun + " -d " + host(r) + " -p " + p + " -m " + p + " --dport " + dport + " -j ACCEPT");
    return switch (rnd.nextInt(4)) {
      case 0 -> List.of("-A OUTPUT -d " + host(r) + " -j ACCEPT");
      case 1 -> List.of("-A OUTPUT -p " + p + " -m " + p + " --dport " + dport + " -j ACCEPT");
      case 2 -> List.of("-A OUTPUT -d " + host(r) + " -p udp --dport 53 -j ACCEPT", "-A OUTPUT -d " + host(r) + " -p tcp --dport 53 -j ACCEPT");
      default -> List.of("-A OUTPUT ! -o " + tun + " -p " + p + " --dport " + dport + " -j ACCEPT");
    };
  }

  private List<String> lan(String lan, String up) {
    if (!isLoose()) return List.of("-A OUTPUT -o " + up + " -d " + lan + " -j ACCEPT");
    return switch (rnd.nextInt(3)) {
      case 0 -> List.of("-A OUTPUT -d " + lan + " -j ACCEPT");
      case 1 -> List.of("-A OUTPUT ! -d " + lan + " -o " + up + " -p tcp -j ACCEPT");
      default -> List.of("-A OUTPUT -o " + up + " -d " + lan + " -p udp -j ACCEPT", "-A OUTPUT -d " + (v6() ? "fe80::/10" : "169.254.0.0/16") + " -j ACCEPT");
    };
  }

  private List<String> established(String tun) {
    String m = rnd.nextBoolean() ? " -m conntrack --ctstate ESTABLISHED,RELATED" : " -m state --state ESTABLISHED,RELATED";
    return List.of("-A OUTPUT" + (isLoose() ? "" : " -o " + tun) + m + " -j ACCEPT");
  }

  private List<String> icmp(String tun) {
    String p = v6() ? " -p ipv6-icmp" : " -p icmp";
    if (!isLoose()) {
      return List.of("-A OUTPUT -o " + tun + p + " -j ACCEPT");
    }
    return List.of("-A OUTPUT" + p + (rnd.nextBoolean() ? (v6() ? " -m icmp6 --icmpv6-type echo-request" : " -m icmp --icmp-type echo-request") : "")
        + " -j ACCEPT");
  }

  private List<String> markAllowance(List<String> mangle, String tun) {
    String mark = pick(List.of("0x2", "0x4000/0x4000", "0x10"));
    String set = mark.contains("/") ? "--set-xmark " + mark : "--set-mark " + mark;
    if (isLoose()) {
      mangle.add("-A OUTPUT -m owner --uid-owner " + pick(List.of("0", "1000", "0-65535")) + " -j MARK " + set);
      return List.of("-A OUTPUT -m mark --mark " + mark + " -j ACCEPT");
    }
    mangle.add("-A OUTPUT -o " + tun + " -j MARK " + set);
    mangle.add("-A OUTPUT -j CONNMARK --save-mark");
    return List.of("-A OUTPUT -o " + tun + " -m mark --mark " + mark + " -j ACCEPT");
  }

  private String refuseTheRest(String tun) {
    String not = " ! -o " + tun;
    return switch (rnd.nextInt(5)) {
      case 0 -> "-A OUTPUT" + not + " -j DROP";
      case 1 -> "-A OUTPUT -j REJECT --reject-with " + (v6() ? "icmp6-adm-prohibited" : "icmp-net-prohibited");
      case 2 -> "-A OUTPUT" + not + " -j REJECT";
      case 3 -> "-A OUTPUT" + not + " -m comment --comment killswitch -j DROP";
      default -> "-A OUTPUT -j DROP";
    };
  }
}
