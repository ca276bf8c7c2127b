package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;
import org.ksaudit.setup.VpnConfig;
import org.ksaudit.setup.VpnConfigException;
import org.ksaudit.setup.VpnConfigs;

/**
 * The lab's setup for the killswitches issue 11 found the lab guessing wrong on, and the same
 * from a VPN config: which VPN runs where, and the note that says where each part came from.
 */
class LabSetupPlanTest {
  static LabPlan plan(Optional<String> kind, Optional<String> config, String... files) throws IOException, LabException, VpnConfigException {
    List<Ruleset> rs = new ArrayList<>();
    for (String f : files) rs.add(RulesetParser.parse(f, Files.readString(Path.of(f)), f.endsWith(".v6") ? Family.IPV6 : Family.IPV4).ruleset());
    Optional<VpnConfig> c = config.isEmpty() ? Optional.empty() : Optional.of(VpnConfigs.read(config.get(), Files.readString(Path.of(config.get()))));
    return LabPlanner.plan(rs, new LabPlanner.Declared(kind.map(k -> TunnelKind.valueOf(k)), Optional.empty(), List.of(), Optional.empty(),
        Optional.empty(), c), List.of());
  }

  static boolean noted(LabPlan p, String text) {
    return p.notes().stream().anyMatch(n -> n.contains(text));
  }

  @Test
  void theServerIsTheVpnRuleNeverTheNtpOne() throws Exception {
    LabPlan p = plan(Optional.empty(), Optional.empty(), "testdata/setup/expressvpn-style.v4");
    assertEquals("198.51.100.60:1195/udp", p.server() + ":" + p.port() + "/" + p.proto());
    assertTrue(noted(p, "VPN server 198.51.100.60:1195/udp (rules testdata/setup/expressvpn-style.v4:10)"), p.notes().toString());
    assertTrue(noted(p, "ports [1195, 1196] allowed"), p.notes().toString());
  }

  @Test
  void ipsecRulesAreNotProbedWithAnotherVpn() {
    LabException e = assertThrows(LabException.class, () -> plan(Optional.empty(), Optional.empty(), "testdata/setup/strongswan.v4"));
    assertTrue(e.getMessage().contains("written for IPsec (testdata/setup/strongswan.v4:9)"), e.getMessage());
  }

  @Test
  void aDockerPortIsNoVpnServer() throws Exception {
    LabPlan p = plan(Optional.empty(), Optional.empty(), "testdata/setup/wgquick-docker.v4");
    assertEquals(TunnelKind.WIREGUARD, p.kind());
    assertEquals("wg0", p.tunnelInterface());
    assertEquals(51820, p.port());
    assertEquals(Optional.of(0xca6cL), p.clientMark());
    assertTrue(!p.server().startsWith("172.18."), p.server());
  }

  @Test
  void theOneAllowedServerIsTheLabsServer() throws Exception {
    LabPlan p = plan(Optional.empty(), Optional.empty(), "testdata/setup/nordvpn-one-server.v4");
    assertEquals("198.51.100.31", p.server());
    assertEquals(1194, p.port());
    assertTrue(noted(p, "on any port (rules testdata/setup/nordvpn-one-server.v4:8); the lab uses openvpn's 1194"), p.notes().toString());
  }

  @Test
  void theUplinkAndTheStubComeFromTheRules() throws Exception {
    LabPlan p = plan(Optional.empty(), Optional.empty(), "testdata/setup/resolved-wlan0.v4");
    assertEquals("wlan0", p.uplink());
    assertEquals(List.of("wlan0"), p.physicalInterfaces());
    assertEquals(Optional.of(0L), p.clientUid());
    assertTrue(noted(p, "local stub resolver at 127.0.0.53 (rules testdata/setup/resolved-wlan0.v4:8), out for uid 991"), p.notes().toString());
  }

  @Test
  void aConfigTellsTheServerTunnelAndResolver() throws Exception {
    LabPlan p = plan(Optional.empty(), Optional.of("testdata/vpnconfig/tcp443.ovpn"), "testdata/lab/hardened-openvpn.v4");
    assertEquals("198.51.100.44:443/tcp", p.server() + ":" + p.port() + "/" + p.proto());
    assertEquals("tun1", p.tunnelInterface());
    assertEquals("198.51.100.45", p.vpnDns());
    assertTrue(noted(p, "VPN server 198.51.100.44:443/tcp (config testdata/vpnconfig/tcp443.ovpn:10)"), p.notes().toString());
    assertTrue(noted(p, "tunnel interface tun1 (config testdata/vpnconfig/tcp443.ovpn:9)"), p.notes().toString());
  }

  @Test
  void severalRemotesAreNamedWithTheOneTheLabRuns() throws Exception {
    LabPlan p = plan(Optional.empty(), Optional.of("testdata/vpnconfig/provider-udp.ovpn"), "testdata/lab/hardened-openvpn.v4");
    assertEquals("198.51.100.31", p.server());
    assertTrue(noted(p, "3 servers tried at random (remote-random (config testdata/vpnconfig/provider-udp.ovpn:18))"), p.notes().toString());
  }

  @Test
  void whatNothingTellsIsADefaultThatSaysSo() throws Exception {
    LabPlan p = plan(Optional.empty(), Optional.empty(), "testdata/setup/no-server.v4");
    assertEquals(TunnelKind.OPENVPN, p.kind());
    assertEquals("vpn0", p.tunnelInterface());
    assertTrue(noted(p, "VPN openvpn (default: the rules do not tell; pass --tunnel-kind or --vpn-config)"), p.notes().toString());
    assertTrue(noted(p, "cannot tell from the rules: no rule lets a VPN server's traffic out"), p.notes().toString());
  }
}
