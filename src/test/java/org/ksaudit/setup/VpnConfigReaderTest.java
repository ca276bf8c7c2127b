package org.ksaudit.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The config readers on real-shaped files: each file in testdata/vpnconfig states what it
 * holds in {@code # expect:} lines, written from the OpenVPN and wg-quick manuals' rules (the
 * first remote is not special, {@code proto}/{@code port} apply to remotes without their own,
 * {@code dev tun} is tun0, the wg-quick interface is the file's name, a default route with
 * {@code Table = auto} gets fwmark 51820).
 */
class VpnConfigReaderTest {
  static Stream<Path> configs() throws IOException {
    return Files.list(Path.of("testdata/vpnconfig")).filter(p -> p.toString().matches(".*\\.(ovpn|conf)$")).sorted();
  }

  @ParameterizedTest
  @MethodSource("configs")
  void eachConfigReadsAsItsExpectLinesSay(Path file) throws IOException, VpnConfigException {
    String text = Files.readString(file);
    List<String> expected = text.lines().filter(l -> l.startsWith("# expect: ")).map(l -> l.substring("# expect: ".length())).toList();
    assertFalse(expected.isEmpty(), file + " states no expectation");
    assertEquals(expected, describe(VpnConfigs.read(file.toString(), text)), file.toString());
  }

  /** The reader's result in the fixtures' expect-line form, in a fixed order. */
  static List<String> describe(VpnConfig c) {
    List<String> out = new ArrayList<>();
    out.add("kind " + c.kind().label());
    for (Part<Server> r : c.remotes()) out.add("remote " + r.value() + " line " + line(r.origin()));
    c.remoteRandom().ifPresent(o -> out.add("remote-random line " + line(o)));
    c.tunnel().ifPresent(t -> out.add("tunnel " + t.value() + " line " + line(t.origin())));
    for (Part<String> d : c.dns()) out.add("dns " + d.value() + " line " + line(d.origin()));
    c.fullTunnel().ifPresent(f -> out.add("full-tunnel " + f.value() + " line " + line(f.origin())));
    c.fwmark().ifPresent(f -> out.add("fwmark " + f.value() + " line " + line(f.origin())));
    return out;
  }

  private static String line(Origin o) {
    assertEquals(OriginKind.CONFIG, o.kind());
    return o.where().substring(o.where().lastIndexOf(':') + 1);
  }

  @Test
  void aHostNameIsKeptAsANameAndNeverResolved() throws VpnConfigException {
    VpnConfig c = VpnConfigs.read("c.ovpn", "client\nremote vpn.example.net 1194\nremote 198.51.100.9\n");
    assertEquals(2, c.remotes().size());
    assertEquals(List.of("198.51.100.9"), c.numericRemotes().stream().map(r -> r.value().host()).toList());
  }

  @Test
  void theFileNameOfAWgQuickConfigIsTheTunnelOnlyWhenWgQuickAcceptsIt() throws VpnConfigException {
    VpnConfig c = VpnConfigs.read("dir/my vpn.conf", "[Interface]\n[Peer]\nEndpoint = 198.51.100.1:51820\n");
    assertTrue(c.tunnel().isEmpty());
    assertTrue(c.notes().get(0).contains("no interface name"), c.notes().toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "client\\nremote 198.51.100.1 70000\\n | c.ovpn:2: port '70000'",
    "client\\n<ca>\\nMIIB\\n | c.ovpn:2: <ca> is not closed",
    "dev tun\\nserver 10.8.0.0 255.255.255.0\\n | c.ovpn:2: 'server' makes this an OpenVPN server's config",
    "proto tcp-server\\n | c.ovpn:1: 'proto tcp-server' makes this an OpenVPN server's config",
    "proto sctp\\n | c.ovpn:1: unknown protocol 'sctp'",
    "remote \"198.51.100.1\\n | c.ovpn:1: a quote is not closed",
    "dev eth0:1\\n | c.ovpn:1: 'eth0:1' is not an interface name",
    "dhcp-option DNS resolver.example\\n | c.ovpn:1: 'dhcp-option DNS' needs an address",
    "# only a comment\\n | c.ovpn: no OpenVPN directive",
    "[Interface]\\n[Peer]\\nEndpoint = 198.51.100.1\\n | c.ovpn:3: Endpoint '198.51.100.1' needs HOST:PORT",
    "[Interface]\\n[Peer]\\nEndpoint = 2001:db8::1:51820\\n | c.ovpn:3: an IPv6 Endpoint is written [ADDR]:PORT",
    "[Interface]\\nFwMark = lots\\n | c.ovpn:2: FwMark 'lots' is not a number",
    "[Interface]\\n[Tunnel]\\n | c.ovpn:2: unknown section [Tunnel]",
    "[Interface]\\nPrivateKey\\n | c.ovpn:2: not a 'Key = Value' line",
  })
  void aConfigItCannotUseIsOneLineWithItsPlace(String text, String message) {
    VpnConfigException e = assertThrows(VpnConfigException.class, () -> VpnConfigs.read("c.ovpn", text.replace("\\n", "\n").strip() + "\n"));
    assertTrue(e.getMessage().startsWith(message.strip()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
