package org.ksaudit.setup;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Policy;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.AddressList;
import org.ksaudit.model.value.AddressRange;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.IpText;
import org.ksaudit.model.value.MarkValue;
import org.ksaudit.model.value.NumberRange;
import org.ksaudit.model.value.PortList;
import org.ksaudit.model.value.PortRange;
import org.ksaudit.model.value.Text;

/**
 * Reads the VPN setup out of the rules: only what the filter rules reached from OUTPUT let out
 * counts (a Docker or FORWARD rule is no VPN allowance).
 *
 * <ul>
 *   <li>The server is an allowance past the tunnel to one host (or any host) on a VPN port
 *       (OpenVPN, WireGuard, IKE, L2TP, PPTP, 443), to one public host on any port, or to one
 *       host on a port its {@code --comment} names as the VPN's. A rule that lets out DNS, NTP or
 *       DHCP is never one, whatever else it allows.
 *   <li>The kind follows the tunnel's name ({@code wg*}, {@code tun*}/{@code tap*}), then the
 *       server's port, then wg-quick's mark 0xca6c; IPsec policy matches, ESP/AH and IKE's
 *       ports mean IPsec.
 *   <li>The uplink is the interface the server rule names; the resolver, a stub at
 *       127.0.0.53 or one address allowed for DNS; the owners, the uid or gid the server or the
 *       DNS rules single out.
 * </ul>
 */
public final class SetupInference {
  private SetupInference() {}

  /** Ports VPN services use: OpenVPN (1194-1199, and 443 to pass HTTPS-only firewalls), WireGuard, IKE, L2TP, PPTP. */
  private static final List<Integer> VPN_PORTS = List.of(1194, 1195, 1196, 1197, 1198, 1199, 51820, 443, 500, 4500, 1701, 1723);
  /** DNS, DNS over TLS, NTP, DHCP, DHCPv6, NetBIOS, mDNS: an allowance of any of these is not the VPN's. */
  private static final Set<Integer> NOT_VPN = Set.of(53, 853, 123, 67, 68, 546, 547, 137, 138, 139, 5353);
  private static final Pattern VPN_WORDS = Pattern.compile("(?i)vpn|wireguard|\\bwg|tunnel|endpoint|server");
  private static final List<String> TUNNEL_STEMS = List.of("tun", "tap", "wg", "ppp", "vpn", "proton", "nordlynx", "mullvad", "pia", "ipsec", "xfrm");
  private static final long WG_QUICK_MARK = 51820;
  private static final List<Cidr> NOT_PUBLIC = List.of(cidr("10.0.0.0", 8), cidr("172.16.0.0", 12), cidr("192.168.0.0", 16),
      cidr("127.0.0.0", 8), cidr("169.254.0.0", 16), cidr("224.0.0.0", 3), cidr("0.0.0.0", 8));

  public static RulesSetup infer(List<Ruleset> rulesets) {
    List<Rule> rules = new ArrayList<>();
    List<Rule> accepts = new ArrayList<>();
    // the lab's VPN and its resolver run over IPv4: their addresses come from the IPv4 rules
    Set<Rule> ipv4 = new java.util.HashSet<>();
    java.util.Map<Rule, Optional<String>> viaOif = new java.util.HashMap<>();
    for (Ruleset rs : rulesets) {
      boolean acceptPolicy = rs.table("filter").flatMap(t -> t.chain("OUTPUT")).flatMap(Chain::policy)
          .map(p -> p == Policy.ACCEPT).orElse(true);
      for (Reached x : outputRules(rs)) {
        rules.add(x.rule());
        viaOif.put(x.rule(), x.viaOif());
        if (allows(x.rule(), acceptPolicy)) accepts.add(x.rule());
        if (rs.family() == Family.IPV4) ipv4.add(x.rule());
      }
    }
    List<Rule> denies = rules.stream().filter(r -> target(r).equals("DROP") || target(r).equals("REJECT")).toList();
    List<String> cannotTell = new ArrayList<>();

    List<Part<String>> tunnels = tunnels(accepts, denies);
    Set<String> tunnelNames = new LinkedHashSet<>();
    tunnels.forEach(t -> tunnelNames.add(t.value()));

    List<Candidate> candidates = new ArrayList<>();
    for (Rule r : accepts) {
      if (!ipv4.contains(r)) continue;
      candidate(r, viaOif.get(r), tunnelNames).ifPresent(candidates::add);
    }
    int best = candidates.stream().mapToInt(Candidate::rank).min().orElse(Integer.MAX_VALUE);
    List<Candidate> chosen = candidates.stream().filter(c -> c.rank() == best).toList();
    List<AllowedServer> servers = chosen.stream().map(Candidate::server).toList();
    Optional<Candidate> first = chosen.stream().findFirst();

    Optional<Part<VpnKind>> kind = kind(rules, tunnels, first);
    Optional<Part<String>> uplink = first.flatMap(c -> viaOif.get(c.rule()).map(n -> new Part<>(n, Origin.rule(c.rule().pos()))));
    if (uplink.isEmpty()) {
      // no server rule names one: the interface the other allowances past the tunnel use
      uplink = accepts.stream().filter(r -> viaOif.get(r).map(n -> !n.startsWith("lo") && !tunnelLike(n, tunnelNames)).orElse(false))
          .findFirst().map(r -> new Part<>(viaOif.get(r).get(), Origin.rule(r.pos())));
    }

    // a mark matters only where no server rule lets the VPN out: a split-tunnel mark is not the VPN's
    Optional<Part<Long>> clientMark = candidates.isEmpty() ? clientMark(accepts, denies, tunnelNames) : Optional.empty();
    Optional<Part<Long>> clientUid = first.flatMap(c -> owner(c.rule(), "--uid-owner"));
    Optional<Part<Long>> clientGid = first.flatMap(c -> owner(c.rule(), "--gid-owner"));

    List<Rule> dnsRules = rules.stream().filter(r -> ports(r).map(p -> p.contains(53)).orElse(false)).toList();
    Optional<Part<Long>> resolverUid = resolverOwner(dnsRules, "--uid-owner");
    Optional<Part<Long>> resolverGid = resolverOwner(dnsRules, "--gid-owner");
    Optional<Part<String>> stub = rules.stream().filter(r -> singleHost(r).map("127.0.0.53"::equals).orElse(false)).findFirst()
        .map(r -> new Part<>("127.0.0.53", Origin.rule(r.pos())));
    Optional<String> serverHost = first.flatMap(c -> c.server().host());
    Optional<Part<String>> vpnDns = vpnDns(accepts.stream().filter(ipv4::contains).toList(), tunnelNames, serverHost);

    if (candidates.isEmpty() && clientMark.isEmpty()) {
      cannotTell.add("no rule lets a VPN server's traffic out past the tunnel: pass --endpoint or --vpn-config");
    } else if (first.isPresent() && first.get().server().host().isEmpty()) {
      cannotTell.add("the rules allow the VPN port to any host (" + first.get().server().origin().where()
          + "): the server's address is the lab's choice; pass --endpoint or --vpn-config to name it");
    }
    if (kind.isEmpty()) cannotTell.add("no tunnel name, VPN port or mark says which VPN this is: pass --tunnel-kind or --vpn-config");
    return new RulesSetup(kind, servers, tunnels, uplink, vpnDns, stub, clientMark, clientUid, clientGid, resolverUid, resolverGid, cannotTell);
  }

  /**
   * A rule read as a VPN server allowance, with its rank (lower is more telling): 0 one host on
   * a VPN port or on ports a comment names as the VPN's, 1 one public host on any port, 2 a
   * range on a VPN port, 3 a VPN port to any host.
   */
  private record Candidate(AllowedServer server, int rank, Rule rule) {}

  private static Optional<Candidate> candidate(Rule r, Optional<String> oif, Set<String> tunnelNames) {
    if (oif.map(n -> n.startsWith("lo") || tunnelLike(n, tunnelNames)).orElse(false)) return Optional.empty();
    if (core(r, "--out-interface").map(Option::negated).orElse(false)) return Optional.empty();
    Optional<String> proto = protocol(r);
    if (proto.isPresent() && !proto.get().equals("udp") && !proto.get().equals("tcp")) return Optional.empty();
    Optional<Option> dst = core(r, "--destination");
    if (dst.map(Option::negated).orElse(false)) return Optional.empty();
    Optional<String> host = singleHost(r);
    Optional<Cidr> subnet = dst.map(o -> ((AddressList) o.value()).cidrs()).filter(cs -> cs.size() == 1).map(cs -> cs.get(0))
        .filter(c -> c.family() == Family.IPV4 && c.prefix() >= 16 && c.prefix() < 32);
    Optional<String> range = subnet.map(Cidr::toString);
    // a range's first host stands for the provider's pool: any of its addresses passes the rule
    Optional<String> rangeHost = subnet.map(c -> IpText.format(Family.IPV4, c.address().add(BigInteger.ONE)));
    Optional<Option> ipRange = r.match("iprange").flatMap(m -> m.option("--dst-range"));
    if (ipRange.isPresent()) {
      if (ipRange.get().negated() || dst.isPresent() || !(ipRange.get().value() instanceof AddressRange ar) || ar.family() != Family.IPV4) {
        return Optional.empty();
      }
      range = Optional.of(IpText.format(Family.IPV4, ar.from()) + "-" + IpText.format(Family.IPV4, ar.to()));
      rangeHost = Optional.of(IpText.format(Family.IPV4, ar.from()));
    }
    if (dst.isPresent() && host.isEmpty() && range.isEmpty()) return Optional.empty();
    if (r.matches().stream().anyMatch(m -> m.option("--sport").or(() -> m.option("--sports")).isPresent())) return Optional.empty();
    Optional<PortList> ports = ports(r);
    if (ports.map(p -> NOT_VPN.stream().anyMatch(p::contains)).orElse(false)) return Optional.empty();
    List<Integer> vpnPorts = ports.map(p -> VPN_PORTS.stream().filter(p::contains).toList()).orElse(List.of());
    boolean named = comment(r).map(c -> VPN_WORDS.matcher(c).find()).orElse(false);
    int rank;
    if (host.isPresent() && (!vpnPorts.isEmpty() || (named && ports.isPresent()))) rank = 0;
    else if (host.isPresent() && ports.isEmpty() && publicAddress(host.get())) rank = 1;
    else if (range.isPresent() && !vpnPorts.isEmpty()) rank = 2;
    else if (dst.isEmpty() && ipRange.isEmpty() && !vpnPorts.isEmpty()) rank = 3;
    else return Optional.empty();
    List<Integer> listed = new ArrayList<>(vpnPorts);
    ports.ifPresent(p -> p.ranges().stream().map(PortRange::from).filter(x -> !listed.contains(x)).forEach(listed::add));
    Optional<String> server = host.isPresent() ? host : rangeHost;
    return Optional.of(new Candidate(new AllowedServer(server, range, listed, proto, Origin.rule(r.pos())), rank, r));
  }

  private static Optional<Part<VpnKind>> kind(List<Rule> rules, List<Part<String>> tunnels, Optional<Candidate> server) {
    Optional<Integer> port = server.flatMap(c -> c.server().ports().stream().findFirst());
    Origin serverOrigin = server.map(c -> c.server().origin()).orElse(null);
    if (port.isPresent() && (port.get() == 500 || port.get() == 4500)) return Optional.of(new Part<>(VpnKind.IPSEC, serverOrigin));
    Optional<Part<String>> tunnel = tunnels.stream().filter(t -> t.value().startsWith("wg") || t.value().startsWith("tun") || t.value().startsWith("tap"))
        .findFirst();
    if (tunnel.isEmpty()) {
      Optional<Rule> ipsec = rules.stream().filter(SetupInference::ipsec).findFirst();
      if (ipsec.isPresent()) return Optional.of(new Part<>(VpnKind.IPSEC, Origin.rule(ipsec.get().pos())));
    }
    if (tunnel.isPresent()) {
      return Optional.of(new Part<>(tunnel.get().value().startsWith("wg") ? VpnKind.WIREGUARD : VpnKind.OPENVPN, tunnel.get().origin()));
    }
    if (port.isPresent() && port.get() == 51820) return Optional.of(new Part<>(VpnKind.WIREGUARD, serverOrigin));
    if (port.isPresent() && (port.get() >= 1194 && port.get() <= 1199 || port.get() == 443)) return Optional.of(new Part<>(VpnKind.OPENVPN, serverOrigin));
    return rules.stream().filter(r -> r.match("mark").flatMap(m -> m.option("--mark")).map(o -> ((MarkValue) o.value()).value() == WG_QUICK_MARK).orElse(false))
        .findFirst().map(r -> new Part<>(VpnKind.WIREGUARD, Origin.rule(r.pos())));
  }

  private static boolean ipsec(Rule r) {
    boolean policy = r.match("policy").flatMap(m -> m.option("--pol")).map(o -> ((Text) o.value()).text().equals("ipsec")).orElse(false);
    boolean esp = protocol(r).map(p -> p.equals("esp") || p.equals("ah")).orElse(false);
    return policy || esp;
  }

  /**
   * The tunnel as the rules name it: the one interface a deny rule exempts ({@code ! -o
   * proton0 -j DROP}), or an accepted output interface that looks like a tunnel.
   */
  private static List<Part<String>> tunnels(List<Rule> accepts, List<Rule> denies) {
    List<Part<String>> names = new ArrayList<>();
    for (Rule r : denies) {
      core(r, "--out-interface").filter(Option::negated).ifPresent(o -> {
        InterfaceName n = (InterfaceName) o.value();
        if (!n.stem().startsWith("lo") && !uplinkName(n.stem())) add(names, n, r);
      });
    }
    for (Rule r : accepts) {
      core(r, "--out-interface").filter(o -> !o.negated()).ifPresent(o -> {
        InterfaceName n = (InterfaceName) o.value();
        if (TUNNEL_STEMS.stream().anyMatch(s -> n.stem().startsWith(s)) && !uplinkName(n.stem())) add(names, n, r);
      });
    }
    return names;
  }

  /** Router and modem uplinks, never a tunnel: OpenWrt's pppoe-wan, wan, LTE and WWAN modems. */
  private static boolean uplinkName(String stem) {
    return stem.startsWith("pppoe-") || stem.startsWith("wan") || stem.startsWith("lte") || stem.startsWith("wwan")
        || stem.startsWith("rmnet") || stem.startsWith("3g-");
  }

  private static void add(List<Part<String>> names, InterfaceName n, Rule r) {
    String name = n.wildcard() ? n.stem() + "0" : n.name();
    if (names.stream().noneMatch(p -> p.value().equals(name))) names.add(new Part<>(name, Origin.rule(r.pos())));
  }

  private static boolean tunnelLike(String name, Set<String> tunnelNames) {
    return tunnelNames.contains(name) || name.startsWith("tun") || name.startsWith("wg") || name.startsWith("tap");
  }

  /**
   * The mark that lets packets out past the tunnel: an allowance for marked packets ({@code -m
   * mark --mark 0xe1f1 -j ACCEPT}, or the connection mark), or the mark a deny rule exempts
   * ({@code -m mark ! --mark 0xca6c -j REJECT}).
   */
  private static Optional<Part<Long>> clientMark(List<Rule> accepts, List<Rule> denies, Set<String> tunnelNames) {
    for (Rule r : accepts) {
      if (outInterface(r).map(n -> n.startsWith("lo") || tunnelLike(n, tunnelNames)).orElse(false)) continue;
      Optional<Long> m = mark(r, false);
      if (m.isPresent()) return Optional.of(new Part<>(m.get(), Origin.rule(r.pos())));
    }
    for (Rule r : denies) {
      Optional<Long> m = mark(r, true);
      if (m.isPresent()) return Optional.of(new Part<>(m.get(), Origin.rule(r.pos())));
    }
    return Optional.empty();
  }

  private static Optional<Long> mark(Rule r, boolean negated) {
    for (String module : List.of("mark", "connmark")) {
      Optional<Option> o = r.match(module).flatMap(m -> m.option("--mark"));
      if (o.isPresent() && o.get().negated() == negated && o.get().value() instanceof MarkValue v && v.mask() == MarkValue.FULL && v.value() != 0) {
        return Optional.of(v.value());
      }
    }
    return Optional.empty();
  }

  /** The uid or gid a DNS allowance is for, or the one a DNS deny rule exempts ({@code ! --uid-owner}). */
  private static Optional<Part<Long>> resolverOwner(List<Rule> dnsRules, String option) {
    for (Rule r : dnsRules) {
      Optional<Option> o = r.match("owner").flatMap(m -> m.option(option));
      if (o.isEmpty() || !(o.get().value() instanceof NumberRange n) || n.from() != n.to()) continue;
      String t = target(r);
      boolean allows = t.equals("ACCEPT") && !o.get().negated();
      boolean exempts = (t.equals("DROP") || t.equals("REJECT")) && o.get().negated();
      if (allows || exempts) return Optional.of(new Part<>(n.from(), Origin.rule(r.pos())));
    }
    return Optional.empty();
  }

  private static Optional<Part<Long>> owner(Rule r, String option) {
    return r.match("owner").flatMap(m -> m.option(option)).filter(o -> !o.negated() && o.value() instanceof NumberRange n && n.from() == n.to())
        .map(o -> new Part<>(((NumberRange) o.value()).from(), Origin.rule(r.pos())));
  }

  /**
   * The VPN's resolver: one address allowed for DNS, through the tunnel first; else one private
   * address allowed on any port (a resolver inside the VPN's range), never the server or loopback.
   */
  private static Optional<Part<String>> vpnDns(List<Rule> accepts, Set<String> tunnelNames, Optional<String> server) {
    List<Rule> dns = accepts.stream().filter(r -> ports(r).map(p -> p.contains(53)).orElse(false)).toList();
    List<Rule> ordered = new ArrayList<>(dns.stream().filter(r -> outInterface(r).map(n -> tunnelLike(n, tunnelNames)).orElse(false)).toList());
    ordered.addAll(dns);
    ordered.addAll(accepts.stream().filter(r -> ports(r).isEmpty() && protocol(r).isEmpty() && singleHost(r).map(h -> !publicAddress(h)).orElse(false)).toList());
    for (Rule r : ordered) {
      Optional<String> h = singleHost(r).filter(a -> !a.startsWith("127.") && !server.map(a::equals).orElse(false));
      if (h.isPresent()) return Optional.of(new Part<>(h.get(), Origin.rule(r.pos())));
    }
    return Optional.empty();
  }

  /**
   * A filter rule OUTPUT reaches, with the output interface of the jump that led to its chain
   * (OpenWrt's fw3 sends {@code -o pppoe-wan} to {@code zone_wan_output}, whose rules name none).
   */
  private record Reached(Rule rule, Optional<String> viaOif) {}

  /** The filter rules of every chain OUTPUT reaches by -j or -g, in the order they are met. */
  private static List<Reached> outputRules(Ruleset rs) {
    Optional<Table> filter = rs.table("filter");
    if (filter.isEmpty()) return List.of();
    List<Reached> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    Deque<Reached> todo = new ArrayDeque<>();
    todo.add(new Reached(null, Optional.empty()));
    while (!todo.isEmpty()) {
      Reached via = todo.poll();
      String name = via.rule() == null ? "OUTPUT" : target(via.rule());
      if (!seen.add(name)) continue;
      Optional<Chain> c = filter.get().chain(name);
      if (c.isEmpty()) continue;
      for (Rule r : c.get().rules()) {
        Optional<String> oif = outInterface(r).filter(n -> !n.isEmpty()).or(via::viaOif);
        out.add(new Reached(r, oif));
        if (filter.get().chain(target(r)).isPresent()) todo.add(new Reached(r, oif));
      }
    }
    return out;
  }

  /** ACCEPT, and RETURN from a user chain when OUTPUT's policy is ACCEPT: both let the packet out. */
  private static boolean allows(Rule r, boolean acceptPolicy) {
    String t = target(r);
    return t.equals("ACCEPT") || (acceptPolicy && t.equals("RETURN") && !r.chain().equals("OUTPUT"));
  }

  private static String target(Rule r) {
    return r.target().map(t -> t.name()).orElse("");
  }

  private static Optional<Option> core(Rule r, String name) {
    return r.match(Match.CORE).flatMap(m -> m.option(name));
  }

  /** The output interface a rule names (a wildcard as its first device, eth+ as eth0); empty string for a negated one. */
  private static Optional<String> outInterface(Rule r) {
    return core(r, "--out-interface").map(o -> {
      if (o.negated()) return "";
      InterfaceName n = (InterfaceName) o.value();
      return n.wildcard() ? n.stem() + "0" : n.name();
    });
  }

  private static Optional<String> protocol(Rule r) {
    return core(r, "--protocol").filter(o -> !o.negated()).map(o -> switch (((Text) o.value()).text().toLowerCase(Locale.ROOT)) {
      case "17" -> "udp";
      case "6" -> "tcp";
      case "50" -> "esp";
      case "51" -> "ah";
      default -> ((Text) o.value()).text().toLowerCase(Locale.ROOT);
    });
  }

  /** The destination ports a rule allows (--dport, --dports, multiport), when it names any. */
  private static Optional<PortList> ports(Rule r) {
    for (Match m : r.matches()) {
      Optional<Option> o = m.option("--dport").or(() -> m.option("--dports")).or(() -> m.option("--destination-ports"))
          .or(() -> m.option("--destination-port"));
      if (o.isPresent() && !o.get().negated() && o.get().value() instanceof PortList pl) return Optional.of(pl);
    }
    return Optional.empty();
  }

  private static Optional<String> comment(Rule r) {
    return r.match("comment").flatMap(m -> m.option("--comment")).map(o -> ((Text) o.value()).text());
  }

  /** The one address a rule's -d names (a /32), or empty. */
  private static Optional<String> singleHost(Rule r) {
    return core(r, "--destination").filter(o -> !o.negated()).map(o -> ((AddressList) o.value()).cidrs())
        .filter(cs -> cs.size() == 1 && cs.get(0).prefix() == cs.get(0).family().bits())
        .map(cs -> IpText.format(cs.get(0).family(), cs.get(0).address()));
  }

  private static boolean publicAddress(String address) {
    Optional<BigInteger> a = IpText.parseV4(address);
    return a.isPresent() && NOT_PUBLIC.stream().noneMatch(c -> c.contains(a.get()));
  }

  private static Cidr cidr(String address, int prefix) {
    return new Cidr(Family.IPV4, IpText.parseV4(address).orElseThrow(), prefix);
  }
}
