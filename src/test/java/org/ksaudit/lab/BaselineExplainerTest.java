package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;

/** The sentence a broken baseline ends with, from the engine's trace of each failed check's packet. */
class BaselineExplainerTest {
  private static final Probe DNS = new Probe(Family.IPV4, "udp", "198.51.100.225", 53, "tun0");

  private static LabPlan plan(List<String> notes) {
    return new LabPlan(TunnelKind.OPENVPN, "tun0", "wlan0", "203.0.113.10", 1194, "udp", "198.51.100.225",
        LabPlanner.cidr(Family.IPV4, "192.0.2.0", 24), LabPlanner.cidr(Family.IPV6, "2001:db8:1::", 64), List.of(), List.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), notes);
  }

  private static final FailedCheck FAILED = new FailedCheck("DNS to the VPN resolver 198.51.100.225 through the tunnel", "no answer",
      Optional.of(DNS));

  @Test
  void aPacketTheRulesDropNamesTheRuleThatBreaksTheVpn() {
    String s = BaselineExplainer.explain(List.of(FAILED),
        Map.of(DNS, "REJECT # r.v4:9 filter/OUTPUT ks; r.v4:14 filter/ks REJECT"), plan(List.of()));
    assertEquals("this ruleset blocks DNS to the VPN resolver 198.51.100.225 through the tunnel: r.v4:14 filter/ks REJECT (no answer);"
        + " the killswitch breaks the VPN", s);
  }

  @Test
  void aPacketTheRulesLetOutMeansTheLabDidNotReproduceTheSetup() {
    String s = BaselineExplainer.explain(List.of(FAILED), Map.of(DNS, "ACCEPT # r.v4:10 filter/OUTPUT ACCEPT"),
        plan(List.of("VPN server 203.0.113.10:1194/udp (rules r.v4:12)", "VPN DNS 198.51.100.225 (default: the VPN server's tunnel address)")));
    assertEquals("DNS to the VPN resolver 198.51.100.225 through the tunnel failed (no answer) although the rules let its packet out"
        + " (r.v4:10 filter/OUTPUT ACCEPT); the lab did not reproduce the setup these rules were written for"
        + " (VPN DNS 198.51.100.225 (default: the VPN server's tunnel address)); pass --vpn-config, or --endpoint, --tunnel and --vpn-dns", s);
  }

  @Test
  void aPacketTheEngineCannotTraceIsSaidSo() {
    String s = BaselineExplainer.explain(List.of(FAILED), Map.of(), plan(List.of()));
    assertEquals("DNS to the VPN resolver 198.51.100.225 through the tunnel failed (no answer); the engine could not trace its packet", s);
  }
}
