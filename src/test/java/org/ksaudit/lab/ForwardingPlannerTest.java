package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.check.Witness;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;

/**
 * Where the lab puts the LAN host of a forwarding client, read from the rules: the LAN side from
 * the forward-leak witnesses or the FORWARD chain, the uplink and the LAN's range from the nat
 * table's masquerading rule. Each expectation names the rule it comes from.
 */
class ForwardingPlannerTest {
  private static Ruleset rules(String file) throws IOException {
    return RulesetParser.parse(file, Files.readString(Path.of(file)), Family.IPV4).ruleset();
  }

  private static LabPlan lab(Ruleset rs, List<Witness> witnesses) throws LabException {
    return LabPlanner.plan(List.of(rs),
        new LabPlanner.Declared(TunnelKind.OPENVPN, Optional.empty(), List.of(), Optional.empty(), Optional.empty()), witnesses);
  }

  /** A forwarded new TCP connection, as the audit's forward-leak witnesses are. */
  private static Witness forwarded(String oif, String iif) {
    return new Witness(Family.IPV4, "tcp", "203.0.113.10", 443, oif, iif, "", -1, -1, "", "NEW", 0, -1, -1);
  }

  @Test
  void openWrtForwardsFromBrLanAndMasqueradesOutOfPppoeWan() throws Exception {
    Ruleset rs = rules("testdata/killswitches/openwrt-pppoe.v4");
    List<Witness> w = List.of(forwarded("pppoe-wan", "br-lan"));
    ForwardingPlan f = ForwardingPlanner.plan(List.of(rs), w, lab(rs, w)).orElseThrow();
    assertEquals("br-lan", f.lanInterface());
    // line 37: -A POSTROUTING -o pppoe-wan -j zone_wan_postrouting, whose rule at line 45 is -j MASQUERADE
    assertEquals("pppoe-wan", f.uplink());
    assertTrue(f.notes().stream().anyMatch(n -> n.contains("openwrt-pppoe.v4:45")), String.valueOf(f.notes()));
    // fw3 masquerades whatever comes from the LAN: no range of its own, so the lab's default LAN
    assertEquals("198.18.200.1", f.gateway());
    assertEquals("198.18.200.2", f.host());
    assertEquals(24, f.prefix());
  }

  @Test
  void dockerWithoutAForwardLeakStillGetsItsContainer() throws Exception {
    Ruleset rs = rules("testdata/killswitches/docker-user-drop.v4");
    ForwardingPlan f = ForwardingPlanner.plan(List.of(rs), List.of(), lab(rs, List.of())).orElseThrow();
    // line 28: -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
    assertEquals("docker0", f.lanInterface());
    assertTrue(f.notes().get(0).contains("docker-user-drop.v4:28"), f.notes().get(0));
    // line 13: -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE: every uplink, so the lab's eth0
    assertEquals("eth0", f.uplink());
    assertEquals("172.17.0.2", f.host());
    assertEquals(16, f.prefix());
  }

  @Test
  void aHostThatForwardsNothingGetsNoLanHost() throws Exception {
    Ruleset rs = rules("testdata/seed/article.v4");
    assertEquals(Optional.empty(), ForwardingPlanner.plan(List.of(rs), List.of(), lab(rs, List.of())));
  }
}
