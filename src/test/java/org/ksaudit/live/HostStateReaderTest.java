package org.ksaudit.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.check.Sysctl;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IpText;
import org.ksaudit.parse.Backend;

/** The readers of each command's output, on outputs in the shape iproute2 6.1, nft 1.0.6 and resolvectl 252 print. */
class HostStateReaderTest {
  @Test
  void linksKeepTheirAddressesScopesAndState() {
    String json = "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\"LOWER_UP\"],\"addr_info\":[{\"family\":\"inet\","
        + "\"local\":\"127.0.0.1\",\"prefixlen\":8,\"scope\":\"host\"}]},{\"ifindex\":2,\"ifname\":\"eth0\",\"flags\":[\"BROADCAST\","
        + "\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"addr_info\":[{\"family\":\"inet\",\"local\":\"192.0.2.10\",\"prefixlen\":24,"
        + "\"scope\":\"global\"},{\"family\":\"inet6\",\"local\":\"2001:db8::10\",\"prefixlen\":64,\"scope\":\"global\"},"
        + "{\"family\":\"inet6\",\"local\":\"fe80::1\",\"prefixlen\":64,\"scope\":\"link\"}]},{\"ifindex\":3,\"ifname\":\"wlan0\","
        + "\"flags\":[\"BROADCAST\"],\"addr_info\":[]}]";
    List<HostLink> links = HostStateReader.links(json);
    assertEquals(List.of("lo", "eth0", "wlan0"), links.stream().map(HostLink::name).toList());
    assertTrue(links.get(1).up());
    assertFalse(links.get(2).up(), "UP is a flag of its own: BROADCAST alone is down");
    assertEquals(List.of(true, true, false), links.get(1).addresses().stream().map(HostLink.Address::global).toList());
    assertEquals(Family.IPV6, links.get(1).addresses().get(1).family());
  }

  @Test
  void theLongestPrefixWinsAndTunnelRoutesVanishWithTheTunnel() {
    String v4 = "[{\"dst\":\"default\",\"gateway\":\"192.0.2.1\",\"dev\":\"eth0\",\"flags\":[]},{\"dst\":\"0.0.0.0/1\","
        + "\"gateway\":\"10.8.0.1\",\"dev\":\"tun0\",\"flags\":[]},{\"dst\":\"192.0.2.0/24\",\"dev\":\"eth0\",\"protocol\":\"kernel\","
        + "\"scope\":\"link\",\"prefsrc\":\"192.0.2.10\",\"flags\":[]},{\"dst\":\"198.51.100.0/24\",\"dev\":\"wlan0\",\"flags\":[]},"
        + "{\"type\":\"blackhole\",\"dst\":\"203.0.113.0/24\",\"flags\":[]},{\"type\":\"local\",\"dst\":\"192.0.2.10\",\"dev\":\"eth0\","
        + "\"table\":\"local\",\"protocol\":\"kernel\",\"scope\":\"host\",\"prefsrc\":\"192.0.2.10\",\"flags\":[]}]";
    HostState host = state(List.of(), HostStateReader.routes(v4, Family.IPV4), List.of(), List.of());
    assertEquals(6, host.routes().size());
    assertEquals(Optional.of("eth0"), device(host, "9.9.9.9", 0, 0), "without the tunnel, 0.0.0.0/1 via tun0 is gone and the default route takes 9.9.9.9");
    assertEquals(Optional.of("tun0"), Routing.lookup(host, Family.IPV4, ip("9.9.9.9"), 0, 0, d -> false).get(0).device(),
        "/1 beats /0 while it exists");
    assertEquals(Optional.of("wlan0"), device(host, "198.51.100.53", 0, 0));
    assertEquals(Routing.Outcome.DROPPED, only(host, "203.0.113.7", 0, 0).outcome(), "a blackhole route sends nowhere");
    assertEquals(Routing.Outcome.LOCAL, only(host, "192.0.2.10", 0, 0).outcome(), "the local table comes first");
    assertEquals(Optional.of(ip("192.0.3.0")), Routing.onlyDefaultRoutesTake(host, Family.IPV4, d -> d.equals("tun0")),
        "each documentation address has a route of its own (blackhole, wlan0, eth0): the first address after eth0's /24,"
            + " as tun0's /1 is gone with the tunnel");
    assertEquals(Optional.empty(), Routing.onlyDefaultRoutesTake(host, Family.IPV6, d -> false), "no IPv6 routes");
  }

  /** wg-quick with Table=auto, FwMark=51820 (0xca6c), and a uidrange rule to a table of its own, as iproute2 6.1 prints them. */
  private static final String WG_RULES = "[{\"priority\":0,\"src\":\"all\",\"table\":\"local\"},{\"priority\":50,\"src\":\"all\","
      + "\"dst\":\"203.0.113.0\",\"dstlen\":24,\"action\":\"unreachable\"},{\"priority\":32763,\"src\":\"all\",\"uid_start\":1000,"
      + "\"uid_end\":1000,\"table\":\"100\"},{\"priority\":32764,\"src\":\"all\",\"table\":\"main\",\"suppress_prefixlen\":0},"
      + "{\"priority\":32765,\"not\":null,\"src\":\"all\",\"fwmark\":\"0xca6c\",\"table\":\"51820\"},{\"priority\":32766,"
      + "\"src\":\"all\",\"table\":\"main\"},{\"priority\":32767,\"src\":\"all\",\"table\":\"default\"}]";
  private static final String WG_ROUTES = "[{\"dst\":\"default\",\"dev\":\"wg0\",\"table\":\"51820\",\"scope\":\"link\",\"flags\":[]},"
      + "{\"type\":\"blackhole\",\"dst\":\"default\",\"table\":\"100\",\"flags\":[]},{\"dst\":\"default\",\"gateway\":\"192.0.2.1\","
      + "\"dev\":\"eth0\",\"flags\":[]},{\"dst\":\"192.0.2.0/24\",\"dev\":\"eth0\",\"protocol\":\"kernel\",\"scope\":\"link\","
      + "\"prefsrc\":\"192.0.2.10\",\"flags\":[]}]";

  @Test
  void policyRulesSelectTablesByMarkAndOwnerAndSuppressTheMainDefault() {
    List<PolicyRule> rules = HostStateReader.policyRules(WG_RULES, Family.IPV4);
    assertEquals(7, rules.size());
    assertEquals(new PolicyRule.Mark(0xca6c, 0xffffffffL), rules.get(4).fwmark().orElseThrow());
    assertTrue(rules.get(4).not());
    assertEquals(0, rules.get(3).suppressPrefixLength());
    assertEquals(PolicyRule.Action.DROP, rules.get(1).action());
    HostState host = state(List.of(), HostStateReader.routes(WG_ROUTES, Family.IPV4), List.of(), rules);
    assertEquals(Optional.of("wg0"), Routing.lookup(host, Family.IPV4, ip("9.9.9.9"), 0, 0, d -> false).get(0).device(),
        "with wg0 up: the main default is suppressed, unmarked packets take table 51820");
    assertEquals(Optional.of("eth0"), Routing.lookup(host, Family.IPV4, ip("9.9.9.9"), 0xca6c, 0, d -> false).get(0).device(),
        "WireGuard's own marked packets take the main table");
    Routing.Decision gone = only(host, "9.9.9.9", 0, 0);
    assertEquals(Optional.of("eth0"), gone.device(), "wg0 gone: table 51820 is empty and the main table's default takes everything");
    assertEquals(32766, gone.rule().orElseThrow().priority());
    assertEquals(Routing.Outcome.DROPPED, only(host, "9.9.9.9", 0, 1000).outcome(), "uid 1000's table holds a blackhole default");
    assertEquals(Routing.Outcome.DROPPED, only(host, "203.0.113.9", 0, 0).outcome(), "the unreachable rule comes first");
    assertEquals(Optional.of("eth0"), device(host, "192.0.2.53", 0, 0), "suppress_prefixlength 0 keeps the main table's /24");
    assertEquals("32766: from all lookup main", gone.rule().orElseThrow().describe());
    assertEquals("32765: not from all fwmark 0xca6c lookup 51820", rules.get(4).describe());
  }

  @Test
  void aRuleWithASelectorNotReadMayGoEitherWay() {
    String json = "[{\"priority\":100,\"src\":\"all\",\"ipproto\":\"udp\",\"dport\":53,\"table\":\"100\"},{\"priority\":32766,"
        + "\"src\":\"all\",\"table\":\"main\"}]";
    String routes = "[{\"dst\":\"default\",\"dev\":\"wlan0\",\"table\":\"100\",\"flags\":[]},{\"dst\":\"default\",\"dev\":\"eth0\",\"flags\":[]}]";
    HostState host = state(List.of(), HostStateReader.routes(routes, Family.IPV4), List.of(), HostStateReader.policyRules(json, Family.IPV4));
    List<Routing.Decision> d = Routing.lookup(host, Family.IPV4, ip("9.9.9.9"), 0, 0, n -> false);
    assertEquals(List.of(Optional.of("eth0"), Optional.of("wlan0")), d.stream().map(Routing.Decision::device).toList());
    assertFalse(d.get(0).certain() || d.get(1).certain(), "which one depends on the packet's protocol and port");
  }

  private static Optional<String> device(HostState host, String dst, long mark, long uid) {
    return only(host, dst, mark, uid).device();
  }

  /** The one way a lookup ends once the tunnel (tun0, wg0) is gone. */
  private static Routing.Decision only(HostState host, String dst, long mark, long uid) {
    List<Routing.Decision> d = Routing.lookup(host, Family.IPV4, ip(dst), mark, uid, n -> n.equals("tun0") || n.equals("wg0"));
    assertEquals(1, d.size(), d.toString());
    assertTrue(d.get(0).certain());
    return d.get(0);
  }

  @Test
  void theCLibraryAsksOnlyTheFirstThreeNameservers() {
    List<String> notes = new ArrayList<>();
    List<Resolver> r = HostStateReader.resolvConf("# generated\nsearch example.org\nnameserver 192.0.2.53\nnameserver fe80::1%eth0\n"
        + "nameserver 198.51.100.53\nnameserver 203.0.113.53\noptions edns0\n", notes);
    assertEquals(List.of("192.0.2.53", "fe80::1", "198.51.100.53"), r.stream().map(Resolver::address).toList());
    assertEquals(Optional.of("eth0"), r.get(1).link(), "a zone index ties a link-local server to its link");
    assertEquals(1, notes.size());
    assertTrue(notes.get(0).contains("203.0.113.53"), notes.toString());
  }

  @Test
  void resolvectlGivesEachLinkItsServers() {
    List<Resolver> r = HostStateReader.resolvectl("Global: 192.0.2.1\nLink 2 (eth0): 192.0.2.53 2001:db8::53\nLink 3 (tun0): 10.8.0.1\n"
        + "Link 4 (wlan0):\n");
    assertEquals(List.of("192.0.2.1", "192.0.2.53", "2001:db8::53", "10.8.0.1"), r.stream().map(Resolver::address).toList());
    assertEquals(List.of(Optional.empty(), Optional.of("eth0"), Optional.of("eth0"), Optional.of("tun0")),
        r.stream().map(Resolver::link).toList());
  }

  /** resolvectl status of systemd 252: values of several words go on in indented lines; a link without the DNS scope asks nothing. */
  @Test
  void resolvectlStatusGivesEachLinkWithTheDnsScopeItsServers() {
    String status = """
        Global
               Protocols: +LLMNR +mDNS -DNSOverTLS DNSSEC=no/unsupported
        resolv.conf mode: stub
             DNS Servers: 198.51.100.1#dns.example.net

        Link 2 (eth0)
            Current Scopes: DNS LLMNR/IPv4 LLMNR/IPv6
                 Protocols: +DefaultRoute +LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
        Current DNS Server: 192.0.2.53
               DNS Servers: 192.0.2.53
                            2001:db8::53
                DNS Domain: lan

        Link 3 (tun0)
            Current Scopes: DNS
                 Protocols: -DefaultRoute +LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
               DNS Servers: 10.8.0.1
                DNS Domain: corp.example

        Link 4 (wlan0)
            Current Scopes: none
                 Protocols: -DefaultRoute +LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
               DNS Servers: 203.0.113.53
        """;
    List<Resolver> r = HostStateReader.resolvectlStatus(status);
    assertEquals(List.of("198.51.100.1", "192.0.2.53", "2001:db8::53", "10.8.0.1"), r.stream().map(Resolver::address).toList(),
        "wlan0 has no DNS scope: its server is asked for nothing");
    assertEquals(List.of(Optional.empty(), Optional.of("eth0"), Optional.of("eth0"), Optional.of("tun0")),
        r.stream().map(Resolver::link).toList());
    assertEquals("systemd-resolved, link eth0, every lookup", r.get(1).source());
    assertEquals("systemd-resolved, link tun0, lookups in corp.example", r.get(3).source());
  }

  @Test
  void nativeTablesAreThoseTheIptablesNftDumpsDoNotHold() {
    String nft = "{\"nftables\":[{\"metainfo\":{\"version\":\"1.0.6\"}},{\"table\":{\"family\":\"ip\",\"name\":\"filter\",\"handle\":1}},"
        + "{\"chain\":{\"family\":\"ip\",\"table\":\"filter\",\"name\":\"OUTPUT\",\"handle\":3,\"type\":\"filter\",\"hook\":\"output\","
        + "\"prio\":0,\"policy\":\"drop\"}},{\"table\":{\"family\":\"inet\",\"name\":\"killswitch\",\"handle\":2}},{\"chain\":{\"family\":"
        + "\"inet\",\"table\":\"killswitch\",\"name\":\"out\",\"handle\":1,\"type\":\"filter\",\"hook\":\"output\",\"prio\":0,"
        + "\"policy\":\"drop\"}},{\"chain\":{\"family\":\"inet\",\"table\":\"killswitch\",\"name\":\"helper\",\"handle\":2}},"
        + "{\"table\":{\"family\":\"ip6\",\"name\":\"filter\",\"handle\":3}}]}";
    RulesDump v4 = new RulesDump(Backend.NFT, Family.IPV4, "iptables-nft-save", "# Generated\n*filter\n:OUTPUT DROP [0:0]\nCOMMIT\n");
    List<NftTable> t = HostStateReader.nftTables(nft, List.of(v4));
    assertEquals(List.of("inet killswitch", "ip6 filter"), t.stream().map(x -> x.family() + " " + x.name()).toList(),
        "ip filter is iptables-nft's; ip6 filter is not in any ip6tables-nft dump, so something else made it");
    assertEquals(List.of(new NftTable.BaseChain("out", "output", 0, "drop")), t.get(0).baseChains(), "a chain without a hook is no base chain");
  }

  @Test
  void aDumpHoldsRulesWhenARuleOrAPolicyFilters() {
    assertFalse(dump("*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [3:120]\nCOMMIT\n*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n").holdsRules());
    assertTrue(dump("*filter\n:OUTPUT DROP [0:0]\nCOMMIT\n").holdsRules());
    assertTrue(dump("*filter\n:OUTPUT ACCEPT [0:0]\n:mine - [0:0]\n-A OUTPUT -j mine\nCOMMIT\n").holdsRules());
    assertFalse(dump("*filter\n:OUTPUT ACCEPT [0:0]\n:mine - [0:0]\nCOMMIT\n").holdsRules(), "an empty user chain filters nothing");
  }

  private static RulesDump dump(String text) {
    return new RulesDump(Backend.LEGACY, Family.IPV4, "iptables-legacy-save", text);
  }

  private static BigInteger ip(String a) {
    return IpText.parse(a.contains(":") ? Family.IPV6 : Family.IPV4, a).orElseThrow();
  }

  private static HostState state(List<HostLink> links, List<HostRoute> routes, List<Resolver> resolvers, List<PolicyRule> rules) {
    return new HostState("test", List.of(), List.of(), Sysctl.empty(), links, routes, rules, resolvers, List.of(), List.of(), List.of());
  }
}
