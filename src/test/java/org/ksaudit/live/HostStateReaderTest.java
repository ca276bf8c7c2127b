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
        + "{\"type\":\"blackhole\",\"dst\":\"203.0.113.0/24\",\"flags\":[]}]";
    HostState host = state(List.of(), HostStateReader.routes(v4, Family.IPV4), List.of());
    assertEquals(4, host.routes().size(), "a blackhole route has no device to leave by");
    assertEquals(Optional.of("eth0"), Routes.deviceFor(host, Family.IPV4, ip("9.9.9.9"), d -> d.startsWith("tun")),
        "without the tunnel, 0.0.0.0/1 via tun0 is gone and the default route takes 9.9.9.9");
    assertEquals(Optional.of("tun0"), Routes.deviceFor(host, Family.IPV4, ip("9.9.9.9"), d -> false), "/1 beats /0 while it exists");
    assertEquals(Optional.of("wlan0"), Routes.deviceFor(host, Family.IPV4, ip("198.51.100.53"), d -> false));
    assertEquals(Optional.empty(), Routes.deviceFor(host, Family.IPV6, ip("9.9.9.9"), d -> false));
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

  private static HostState state(List<HostLink> links, List<HostRoute> routes, List<Resolver> resolvers) {
    return new HostState("test", List.of(), List.of(), Sysctl.empty(), links, routes, resolvers, List.of(), List.of(), List.of());
  }
}
