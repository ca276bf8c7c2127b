package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.cli.Main;
import org.ksaudit.model.Family;
import org.ksaudit.parse.RulesetParser;

/** The parts of the lab that need no kernel: planning, parsing counters, addresses, input errors. */
class LabUnitTest {
  @Test
  void theArticleLabAdoptsTheRulesAddresses() throws Exception {
    String text = Files.readString(Path.of("testdata/seed/article.v4"));
    var rs = RulesetParser.parse("article.v4", text, Family.IPV4).ruleset();
    LabPlan p = LabPlanner.plan(List.of(rs),
        new LabPlanner.Declared(Optional.of(TunnelKind.OPENVPN), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
            Optional.empty()), List.of());
    assertEquals("tun0", p.tunnelInterface());
    assertEquals(1194, p.port());
    assertEquals("udp", p.proto());
    assertEquals("10.45.16.1", p.vpnDns());
    assertEquals("192.168.1.0/24", p.lan4().toString());
    assertEquals("192.168.1.1", p.router4());
    assertEquals("192.168.1.100", p.client4());
    assertEquals("203.0.113.10", p.server());
  }

  @Test
  void declaredValuesWin() throws Exception {
    String text = Files.readString(Path.of("testdata/lab/hardened-wireguard.v4"));
    var rs = RulesetParser.parse("hw.v4", text, Family.IPV4).ruleset();
    LabPlan p = LabPlanner.plan(List.of(rs), new LabPlanner.Declared(Optional.of(TunnelKind.WIREGUARD),
        Optional.of(org.ksaudit.check.Endpoint.parse("198.51.100.7:4500/udp")), List.of(LabPlanner.cidr(Family.IPV4, "10.1.0.0", 16)),
        Optional.of("10.1.0.53"), Optional.empty(), Optional.empty()), List.of());
    assertEquals("wg0", p.tunnelInterface());
    assertEquals("198.51.100.7", p.server());
    assertEquals(4500, p.port());
    assertEquals("10.1.0.53", p.vpnDns());
    assertEquals("10.1.0.0/16", p.lan4().toString());
    assertTrue(p.declared("10.1.2.3"));
  }

  @Test
  void countersAreReadFromIptablesSave() {
    String save = """
        *raw
        :PREROUTING ACCEPT [12:900]
        [3:180] -A PREROUTING -i r0 -p udp -m udp --sport 10001 -m comment --comment ksa1x
        [0:0] -A PREROUTING -i r1 -p icmp -m string --string "ksa2x" --algo bm -m comment --comment "ksa2x"
        COMMIT
        """;
    assertEquals(Map.of("ksa1x", 3L, "ksa2x", 0L), ArrivalCounters.parse(save));
  }

  @Test
  void addressesPrintCanonically() {
    assertEquals("2001:db8::1", LabAddress.canonical("2001:0db8:0:0:0:0:0:1"));
    assertEquals("2001:db8:1::200", LabAddress.canonical("2001:db8:1:0:0:0:0:200"));
    assertEquals("::", LabAddress.canonical("::"));
    assertEquals("192.0.2.1", LabAddress.canonical("192.0.2.1"));
    assertThrows(IllegalArgumentException.class, () -> LabAddress.parse("example.com"));
  }

  @Test
  void theOracleKnowsWhichProbesCanLeaveADevice() {
    assertTrue(PacketOracle.sendable(new Probe(Family.IPV4, "udp", "255.255.255.255", 67, "eth0")));
    assertTrue(PacketOracle.sendable(new Probe(Family.IPV4, "icmp", "224.0.0.1", -1, "eth0")));
    assertTrue(PacketOracle.sendable(new Probe(Family.IPV6, "udp", "ff02::1", 547, "eth0")));
    assertTrue(PacketOracle.sendable(new Probe(Family.IPV4, "tcp", "127.0.0.1", 53, "eth0")));
    assertFalse(PacketOracle.sendable(new Probe(Family.IPV4, "tcp", "224.0.0.1", 80, "eth0")));
    assertFalse(PacketOracle.sendable(new Probe(Family.IPV4, "udp", "0.0.0.0", 53, "eth0")));
    assertFalse(PacketOracle.sendable(new Probe(Family.IPV6, "udp", "::1", 53, "eth0")));
    assertFalse(PacketOracle.sendable(new Probe(Family.IPV6, "tcp", "ff02::1", 80, "eth0")));
  }

  @Test
  void missingToolsAreNamedWithTheirPackage() {
    LabException e = assertThrows(LabException.class, () -> LabTools.require(List.of("ip", "no-such-tool-ksaudit")));
    assertTrue(e.getMessage().contains("no-such-tool-ksaudit"), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install -y"), e.getMessage());
  }

  @Test
  void badInputIsExitTwo() {
    assertEquals(2, probe("probe", "--lab", "--tunnel-kind", "ipsec", "testdata/seed/article.v4"));
    assertEquals(2, probe("probe", "--lab", "--endpoint", "203.0.113.1", "testdata/seed/article.v4"));
    assertEquals(2, probe("probe", "--lab", "testdata/seed/article-verbatim.v4"));
    assertEquals(2, probe("probe", "--lab", "no-such-file.v4"));
    assertEquals(2, probe("probe"));
  }

  private static int probe(String... args) {
    return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }
}
