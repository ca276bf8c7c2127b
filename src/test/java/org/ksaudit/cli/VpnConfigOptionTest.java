package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check --vpn-config}: the config's servers are endpoints and its device a tunnel; a bad config is exit 2 in one line. */
class VpnConfigOptionTest {
  @Test
  void theConfigsServerIsTheEndpointAndItsDeviceTheTunnel() {
    // the endpoint-subnet fixture allows 198.51.100.0/24 on udp/1194: too broad for any one server
    CliRun plain = CliRun.of("check", "testdata/killswitches/endpoint-subnet.v4", "--no-ipv6");
    assertTrue(plain.out().contains("[KS104"), plain.out());
    CliRun r = CliRun.of("check", "testdata/killswitches/endpoint-subnet.v4", "--no-ipv6", "--vpn-config", "testdata/vpnconfig/provider-udp.ovpn");
    assertTrue(r.out().contains("tunnel: tun0"), r.out());
    // the config names three servers inside that /24, on 1195 and 1196: the rule's 1194 still reaches others
    assertTrue(r.out().contains("[KS104"), r.out());
    assertTrue(r.out().contains("198.51.100.0/24"), r.out());
  }

  @Test
  void aHostNameRemoteIsNamedNotResolved() {
    CliRun r = CliRun.of("check", "testdata/lab/hardened-openvpn.v4", "--no-ipv6", "--vpn-config", "testdata/vpnconfig/connection-blocks.ovpn");
    assertTrue(r.err().contains("testdata/vpnconfig/connection-blocks.ovpn:12: remote vpn.example.net is a host name"), r.err());
    assertTrue(r.out().contains("tunnel: tap0"), r.out());
  }

  @Test
  void aConfigThatCannotBeReadIsExit2WithItsLine(@TempDir Path dir) throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.ovpn"), "client\nremote 198.51.100.1 99999\n");
    for (String command : new String[] {"check", "probe"}) {
      CliRun r = command.equals("check")
          ? CliRun.of("check", "testdata/lab/hardened-openvpn.v4", "--vpn-config", bad.toString())
          : CliRun.of("probe", "--lab", "testdata/lab/hardened-openvpn.v4", "--vpn-config", bad.toString());
      assertEquals(2, r.code(), command + ": " + r.err());
      assertTrue(r.err().contains(bad + ":2: port '99999' is not a number from 1 to 65535"), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }
}
