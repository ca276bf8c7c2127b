package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The VPN setup options check, diff and probe share: each command reads them the same way. */
class VpnSetupOptionsTest {
  private static final String RULES = "testdata/lab/hardened-openvpn.v4";

  @Test
  void diffReadsTheVpnConfigAsCheckDoes() {
    CliRun diff = CliRun.of("diff", RULES, RULES, "--vpn-config", "testdata/vpnconfig/connection-blocks.ovpn", "--allow-lan",
        "192.168.1.0/24");
    assertEquals(0, diff.code(), diff.both());
    assertTrue(diff.err().contains("testdata/vpnconfig/connection-blocks.ovpn:12: remote vpn.example.net is a host name"), diff.err());
    CliRun missing = CliRun.of("diff", RULES, RULES, "--sysctl", "testdata/no-such.conf");
    assertEquals(2, missing.code(), missing.both());
  }

  @Test
  void theLabTakesOneTunnelNameAndNoPattern() {
    CliRun pattern = CliRun.of("probe", "--lab", RULES, "--tunnel", "tun+");
    assertEquals(2, pattern.code(), pattern.both());
    assertTrue(pattern.err().contains("--tunnel tun+: the lab needs the tunnel's name, not a pattern"), pattern.err());
    CliRun two = CliRun.of("probe", "--lab", RULES, "--tunnel", "tun0", "--tunnel", "tun1");
    assertEquals(2, two.code(), two.both());
    assertTrue(two.err().contains("the lab builds one tunnel: give --tunnel once"), two.err());
  }
}
