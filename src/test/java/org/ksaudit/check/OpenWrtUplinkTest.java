package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;

/**
 * The tunnel-name rule on testdata/killswitches/openwrt-pppoe.v4: a name the rules reach the
 * VPN server through is never the tunnel, and router uplink names (pppoe-*) are never
 * assumed to be. So what the rules accept out of pppoe-wan leaks (OpenWrtKernelTest sends
 * those packets through a namespace holding the rules).
 */
class OpenWrtUplinkTest {
  static final String FILE = "testdata/killswitches/openwrt-pppoe.v4";
  /** The fw3 "Allow-OpenVPN-out" rule, which accepts udp/1194 to the server in zone_wan_output (entered with -o pppoe-wan). */
  static final int ENDPOINT_RULE_LINE = 153;

  static Ruleset ruleset() throws Exception {
    return RulesetParser.parse(FILE, Files.readString(Path.of(FILE)), Family.IPV4).ruleset();
  }

  @Test
  void theUplinkIsNotTheTunnelAndTheReportSaysWhy() throws Exception {
    AuditResult r = KillswitchAudit.run(List.of(ruleset()), AuditOptions.defaults());
    assertEquals(List.of("tun+", "tap+", "wg+"), r.tunnels().patterns().stream().map(n -> n.name()).toList());
    TunnelChoice.Refused pppoe = r.tunnels().refused().stream().filter(x -> x.name().name().equals("pppoe-wan")).findFirst()
        .orElseThrow(() -> new AssertionError(r.tunnels().toString()));
    assertEquals(ENDPOINT_RULE_LINE, pppoe.at().orElseThrow().line());
    assertTrue(r.tunnels().describe().contains("not the tunnel: pppoe-wan: the rules reach the VPN server through it, so it carries"
        + " the tunnel (" + FILE + ":" + ENDPOINT_RULE_LINE + ")"), r.tunnels().describe().toString());
  }

  @Test
  void whatTheRulesAcceptOutOfTheUplinkLeaks() throws Exception {
    List<Finding> fs = KillswitchAudit.audit(List.of(ruleset()), AuditOptions.defaults());
    // fw3's zone_wan_dest_ACCEPT accepts everything out of pppoe-wan: one rule, one finding, DNS among its traffic
    assertTrue(fs.stream().anyMatch(f -> f.category() == Category.DIRECT_LEAK && f.severity() == Severity.ERROR
        && f.certainty() == Certainty.DEFINITE && f.witness().map(w -> w.oif().equals("pppoe-wan")).orElse(false)
        && f.traffic().stream().anyMatch(t -> t.kind() == TrafficKind.DNS)), "direct leak with DNS out of pppoe-wan: " + fs);
    // a router forwards (fw3's forwarding_rule chain): its forward leaks are errors
    assertTrue(fs.stream().anyMatch(f -> f.id().equals("KS107") && f.kind() == FindingKind.NEW_CONNECTION && f.certainty() == Certainty.DEFINITE
        && f.severity() == Severity.ERROR && f.witness().map(w -> w.oif().equals("pppoe-wan")).orElse(false)), fs.toString());
  }

  @Test
  void evenAGivenPatternThatCoversTheUplinkLeavesItOut() throws Exception {
    AuditResult r = KillswitchAudit.run(List.of(ruleset()), AuditOptions.defaults().withTunnels(List.of("ppp*", "tun0")));
    assertEquals(List.of("ppp+", "tun0"), r.tunnels().patterns().stream().map(n -> n.name()).toList());
    assertTrue(r.findings().stream().anyMatch(f -> f.category() == Category.DIRECT_LEAK
        && f.witness().map(w -> w.oif().equals("pppoe-wan")).orElse(false)), r.findings().toString());
  }

  @Test
  void pppNamesAreNotAssumedButARuleThatTreatsOneAsTheTunnelIsFollowed() {
    String pptp = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n"
        + "-A OUTPUT -o ppp0 -j ACCEPT\n-A OUTPUT -o eth0 -d 198.51.100.1/32 -p tcp -m tcp --dport 1723 -j ACCEPT\nCOMMIT\n";
    Ruleset rs = RulesetParser.parse("pptp.v4", pptp, Family.IPV4).ruleset();
    TunnelChoice c = KillswitchAudit.run(List.of(rs), AuditOptions.defaults()).tunnels();
    TunnelChoice.Taken ppp0 = c.taken().stream().filter(t -> t.name().name().equals("ppp0")).findFirst().orElseThrow();
    assertEquals(TunnelChoice.Source.RULES, ppp0.source());
    assertEquals(6, ppp0.at().orElseThrow().line());
    String uplink = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n"
        + "-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -o ppp0 -d 198.51.100.1/32 -p udp -m udp --dport 1194 -j ACCEPT\n"
        + "-A OUTPUT -o ppp0 -p udp -m udp --dport 123 -j ACCEPT\nCOMMIT\n";
    AuditResult r = KillswitchAudit.run(List.of(RulesetParser.parse("dsl.v4", uplink, Family.IPV4).ruleset()), AuditOptions.defaults());
    assertTrue(r.tunnels().taken().stream().noneMatch(t -> t.name().matches("ppp0")), r.tunnels().toString());
    assertTrue(r.findings().stream().anyMatch(f -> f.category() == Category.DIRECT_LEAK
        && f.witness().map(w -> w.oif().equals("ppp0") && w.dport() == 123).orElse(false)), r.findings().toString());
  }
}
