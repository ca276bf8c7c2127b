package org.ksaudit.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;

/** The fuzz judge's reading of the partition rule (README, KS102-KS106), on hand-made reports. */
class LeakVerdictsTest {
  private static final String RULES = "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -o eth0 -d 198.51.100.1/32 -p udp -m udp --dport 1194 -j ACCEPT\n"
      + "-A OUTPUT -p udp --dport 53 -j ACCEPT\nCOMMIT\n";

  @Test
  void aProbeFallsInTheCategoriesTheRuleGivesIt() {
    LeakVerdicts.Intended in = LeakVerdicts.intended(Family.IPV4, List.of(), Optional.of(RULES));
    assertEquals(Set.of("dns-leak"), LeakVerdicts.categories(probe("udp", "203.0.113.53", 53), in));
    assertEquals(Set.of("vpn-endpoint-too-broad", "dns-leak"), LeakVerdicts.categories(probe("udp", "198.51.100.1", 53), in));
    assertEquals(Set.of("vpn-endpoint-too-broad", "direct-leak"), LeakVerdicts.categories(probe("udp", "203.0.113.9", 1194), in));
    assertEquals(Set.of("lan-exemption", "direct-leak"), LeakVerdicts.categories(probe("tcp", "192.168.1.7", 443), in));
    assertEquals(Set.of("direct-leak"), LeakVerdicts.categories(probe("icmp", "203.0.113.9", -1), in));
    assertEquals(Set.of("ipv6-leak"), LeakVerdicts.categories(new Probe(Family.IPV6, "tcp", "2001:db8::9", 443, "eth0"), in));
    assertTrue(in.isEndpoint(probe("udp", "198.51.100.1", 1194)), "the rule naming one host, protocol and port is the server");
    assertFalse(in.isEndpoint(probe("tcp", "198.51.100.1", 1194)));
  }

  @Test
  void aLeakIsCoveredOnlyByAnErrorAboutNewConnectionsOfItsFamilyAndCategory() {
    LeakVerdicts.Intended in = LeakVerdicts.intended(Family.IPV4, List.of("--allow-lan", "192.168.1.0/24"), Optional.of(RULES));
    Probe dns = probe("udp", "203.0.113.53", 53);
    assertTrue(LeakVerdicts.covering(dns, in, List.of()).isEmpty());
    assertTrue(LeakVerdicts.covering(dns, in, List.of(finding("direct-leak", "error", Family.IPV4, true))).isEmpty());
    assertTrue(LeakVerdicts.covering(dns, in, List.of(finding("dns-leak", "warning", Family.IPV4, true))).isEmpty());
    assertTrue(LeakVerdicts.covering(dns, in, List.of(finding("dns-leak", "error", Family.IPV6, true))).isEmpty());
    assertTrue(LeakVerdicts.covering(dns, in, List.of(finding("dns-leak", "error", Family.IPV4, false))).isEmpty(),
        "a finding about open connections does not report a new connection's leak");
    assertTrue(LeakVerdicts.covering(dns, in, List.of(finding("dns-leak", "error", Family.IPV4, true))).isPresent());
    Probe lan = probe("tcp", "192.168.1.7", 443);
    assertTrue(LeakVerdicts.covering(lan, in, List.of(finding("lan-exemption", "info", Family.IPV4, true))).isPresent(),
        "a declared LAN is reported as info");
    assertTrue(LeakVerdicts.covering(lan, in, List.of(finding("direct-leak", "error", Family.IPV4, true))).isEmpty());
  }

  @Test
  void aLeakIsCoveredByTheFindingWhoseTrafficListsItsKind() {
    LeakVerdicts.Intended in = LeakVerdicts.intended(Family.IPV4, List.of(), Optional.of(RULES));
    Probe dns = probe("udp", "10.0.0.1", 53);
    assertTrue(LeakVerdicts.covering(dns, in, List.of(finding("lan-exemption", "error", Family.IPV4, true, Set.of("lan")))).isEmpty(),
        "a LAN finding whose traffic is not DNS does not report DNS");
    assertTrue(LeakVerdicts.covering(dns, in, List.of(finding("lan-exemption", "error", Family.IPV4, true, Set.of("dns", "lan"))))
        .isPresent(), "one finding per weakness: DNS to the LAN is in the LAN exemption's traffic");
  }

  @Test
  void findingsAreReadFromTheJsonReport() {
    String json = """
        {"tool":"ksaudit","version":"dev","schemaVersion":1,"files":["r.v4"],"findings":[
        {"id":"KS103","category":"ipv6-leak","kind":"new-connection","severity":"error","certainty":"definite","file":null,
         "line":null,"column":null,"message":"m","traffic":[],"locations":[],
         "witness":{"family":"ipv6","proto":"udp","dst":"2001:db8::53","dport":53,"oif":"eth0"},"trace":[]},
        {"id":"KS106","category":"direct-leak","kind":"open-connection","severity":"warning","certainty":"definite","file":"r.v4",
         "line":3,"column":1,"message":"m","traffic":[{"kind":"other","text":"t"}],"locations":[{"line":3,"column":1,"text":"-A OUTPUT -j ACCEPT"}],
         "witness":{"family":"ipv4","proto":"tcp","dst":"203.0.113.10","dport":443,"oif":"eth0","state":"ESTABLISHED"},"trace":[]},
        {"id":"KS107","category":"forward-leak","kind":"new-connection","severity":"error","certainty":"definite","file":"r.v4",
         "line":4,"column":1,"message":"m","traffic":[],"locations":[{"line":4,"column":1,"text":"-A FORWARD -j ACCEPT"}],
         "witness":{"family":"ipv4","proto":"tcp","dst":"203.0.113.10","dport":443,"oif":"eth0","iif":"docker0"},"trace":[]}],
        "summary":{"error":2,"warning":1,"info":0,"suppressed":0}}""";
    List<LeakVerdicts.Reported> f = LeakVerdicts.findings(json, Map.of("r.v4", Family.IPV4));
    assertEquals(3, f.size());
    assertTrue(f.get(0).wholeFamily());
    assertEquals(Optional.of(Family.IPV6), f.get(0).family());
    assertTrue(f.get(0).newConnection());
    assertEquals(Optional.of(Family.IPV4), f.get(1).family());
    assertFalse(f.get(1).newConnection());
    assertEquals(Set.of("other"), f.get(1).traffic());
    assertTrue(f.get(0).replayable());
    assertFalse(f.get(2).replayable(), "a forwarded packet's witness cannot be sent from the host");
    assertEquals(Optional.empty(), f.get(0).forwarded());
    assertEquals(Optional.of(new PacketOracle.Forwarded(new Probe(Family.IPV4, "tcp", "203.0.113.10", 443, "eth0"), "docker0",
        "192.0.2.100")), f.get(2).forwarded(), "a forwarded witness is replayed as a forwarded packet, from the default source");
  }

  @Test
  void aFamilyReportsAForwardLeakByItsFindingOrAFindingAboutTheWholeFamily() {
    LeakVerdicts.Reported forward = finding("forward-leak", "warning", Family.IPV4, true);
    assertTrue(LeakVerdicts.reportsForwardLeak(Family.IPV4, List.of(forward)));
    assertFalse(LeakVerdicts.reportsForwardLeak(Family.IPV6, List.of(forward)));
    assertFalse(LeakVerdicts.reportsForwardLeak(Family.IPV4, List.of(finding("direct-leak", "error", Family.IPV4, true))));
    LeakVerdicts.Reported whole = new LeakVerdicts.Reported("KS103", "ipv6-leak", "error", "definite", Optional.of(Family.IPV6),
        Optional.empty(), true, true, Optional.empty(), true, Set.of(), "no IPv6 rules");
    assertTrue(LeakVerdicts.reportsForwardLeak(Family.IPV6, List.of(whole)));
  }

  @Test
  void noForwardedProbeArrivesOnTheTunnel() {
    assertTrue(LeakVerdicts.isTunnel("tun0", List.of("tun*")));
    assertTrue(LeakVerdicts.isTunnel("eth1", List.of("wg+", "eth1")));
    assertFalse(LeakVerdicts.isTunnel("docker0", List.of("tun*", "wg*", "tap*")));
    LeakVerdicts.Side side = new LeakVerdicts.Side(Family.IPV4, Optional.empty(), Optional.empty());
    LeakVerdicts.Intended none = new LeakVerdicts.Intended(Set.of(), Set.of(), List.of());
    List<PacketOracle.Forwarded> probes = LeakVerdicts.forwardProbes(side, none, new java.util.Random(7), List.of("docker*", "eth1"));
    assertFalse(probes.isEmpty());
    for (PacketOracle.Forwarded p : probes) {
      assertTrue(List.of("br0", "eth0", "wlan0").contains(p.iif()), p.traceLine());
      assertTrue(LeakVerdicts.UPLINKS.contains(p.probe().oif()) && !p.iif().equals(p.probe().oif()), p.traceLine());
    }
  }

  private static Probe probe(String proto, String dst, int dport) {
    return new Probe(Family.IPV4, proto, dst, dport, "eth0");
  }

  private static LeakVerdicts.Reported finding(String category, String severity, Family f, boolean fresh) {
    return finding(category, severity, f, fresh, Set.of());
  }

  private static LeakVerdicts.Reported finding(String category, String severity, Family f, boolean fresh, Set<String> traffic) {
    return new LeakVerdicts.Reported("KS1xx", category, severity, "definite", Optional.of(f), Optional.empty(), fresh, true,
        Optional.empty(), false, traffic, category);
  }
}
