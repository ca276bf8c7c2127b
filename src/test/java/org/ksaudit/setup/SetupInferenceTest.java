package org.ksaudit.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;

/**
 * The setup read from the rules, over the testdata killswitches: every inferred part with the
 * line it comes from, and what the rules cannot tell. Each row's expectation follows from the
 * rule in {@link SetupInference}'s documentation applied by hand to the fixture's lines.
 */
class SetupInferenceTest {
  static RulesSetup infer(String... files) throws IOException {
    List<Ruleset> rs = new ArrayList<>();
    for (String f : files) {
      Family fam = f.endsWith(".v6") ? Family.IPV6 : Family.IPV4;
      rs.add(RulesetParser.parse(f, Files.readString(Path.of(f)), fam).ruleset());
    }
    return SetupInference.infer(rs);
  }

  /** The parts in a fixed order, each as {@code name=value@line}; absent parts are left out. */
  static String describe(RulesSetup s) {
    List<String> out = new ArrayList<>();
    s.kind().ifPresent(k -> out.add("kind=" + k.value().label() + at(k.origin())));
    for (AllowedServer a : s.servers()) {
      out.add("server=" + a.host().orElse("any") + a.range().map(r -> "(" + r + ")").orElse("") + ":" + a.ports() + "/" + a.proto().orElse("any") + at(a.origin()));
    }
    s.tunnels().forEach(t -> out.add("tunnel=" + t.value() + at(t.origin())));
    add(out, "uplink", s.uplink());
    add(out, "dns", s.vpnDns());
    add(out, "stub", s.stub());
    s.clientMark().ifPresent(m -> out.add("clientMark=0x" + Long.toHexString(m.value()) + at(m.origin())));
    add(out, "clientUid", s.clientUid());
    add(out, "clientGid", s.clientGid());
    add(out, "resolverUid", s.resolverUid());
    add(out, "resolverGid", s.resolverGid());
    if (!s.cannotTell().isEmpty()) out.add("cannotTell=" + s.cannotTell().size());
    return String.join(" ", out);
  }

  private static <T> void add(List<String> out, String name, Optional<Part<T>> p) {
    p.ifPresent(x -> out.add(name + "=" + x.value() + at(x.origin())));
  }

  private static String at(Origin o) {
    return "@" + o.where().substring(o.where().lastIndexOf('/') + 1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "testdata/forward/docker-too-broad.v4 testdata/forward/docker-too-broad.v6 | kind=openvpn@docker-too-broad.v4:22 tunnel=tun0@docker-too-broad.v4:22 cannotTell=1",
    "testdata/forward/portforward-dnat.v4 testdata/forward/portforward-dnat.v6 | kind=openvpn@portforward-dnat.v4:27 tunnel=tun0@portforward-dnat.v4:27 cannotTell=1",
    "testdata/forward/router-killswitch.v4 testdata/forward/router-killswitch.v6 | kind=openvpn@router-killswitch.v4:21 server=198.51.100.1:[1194]/udp@router-killswitch.v4:22 tunnel=tun0@router-killswitch.v4:21 uplink=eth0@router-killswitch.v4:22",
    "testdata/forward/vm-bridge-marks.v4 | cannotTell=2",
    "testdata/killswitches/accept-allowances.v4 | kind=openvpn@accept-allowances.v4:12 server=203.0.113.7:[1195, 1196]/udp@accept-allowances.v4:18 tunnel=tun0@accept-allowances.v4:12",
    "testdata/killswitches/custom-tunnel-name.v4 testdata/killswitches/custom-tunnel-name.v6 | kind=openvpn@custom-tunnel-name.v4:10 server=198.51.100.1:[1194]/udp@custom-tunnel-name.v4:10 tunnel=proton0@custom-tunnel-name.v4:11 uplink=eth0@custom-tunnel-name.v4:10",
    "testdata/killswitches/dns-first.v4 testdata/killswitches/dns-first.v6 | kind=openvpn@dns-first.v4:13 server=198.51.100.1:[1194]/udp@dns-first.v4:14 tunnel=tun0@dns-first.v4:13 uplink=eth0@dns-first.v4:14",
    "testdata/killswitches/docker-user-drop.v4 | kind=openvpn@docker-user-drop.v4:36 tunnel=tun0@docker-user-drop.v4:36 cannotTell=1",
    "testdata/killswitches/endpoint-subnet.v4 | kind=openvpn@endpoint-subnet.v4:11 server=198.51.100.1(198.51.100.0/24):[1194]/udp@endpoint-subnet.v4:13 tunnel=tun0@endpoint-subnet.v4:11 uplink=eth0@endpoint-subnet.v4:13",
    "testdata/killswitches/established-anywhere.v4 testdata/killswitches/established-anywhere.v6 | kind=openvpn@established-anywhere.v4:15 server=198.51.100.1:[1194]/udp@established-anywhere.v4:16 tunnel=tun0@established-anywhere.v4:15 uplink=eth0@established-anywhere.v4:16",
    "testdata/killswitches/established-tunnel-only.v4 testdata/killswitches/established-tunnel-only.v6 | kind=openvpn@established-tunnel-only.v4:12 server=198.51.100.1:[1194]/udp@established-tunnel-only.v4:15 tunnel=tun0@established-tunnel-only.v4:12 uplink=eth0@established-tunnel-only.v4:15",
    "testdata/killswitches/forward-docker.v4 | kind=openvpn@forward-docker.v4:24 server=198.51.100.1:[1194]/udp@forward-docker.v4:25 tunnel=tun0@forward-docker.v4:24 uplink=eth0@forward-docker.v4:25",
    "testdata/killswitches/goto-return.v4 testdata/killswitches/goto-return.v6 | kind=openvpn@goto-return.v4:18 server=198.51.100.1:[1194]/udp@goto-return.v4:22 tunnel=tun0@goto-return.v4:18 uplink=eth0@goto-return.v4:22",
    "testdata/killswitches/hardened-openvpn.v4 testdata/killswitches/hardened-openvpn.v6 | kind=openvpn@hardened-openvpn.v4:13 server=198.51.100.1:[1194]/udp@hardened-openvpn.v4:14 tunnel=tun0@hardened-openvpn.v4:13 uplink=eth0@hardened-openvpn.v4:14",
    "testdata/killswitches/iprange-multiport.v4 | kind=openvpn@iprange-multiport.v4:10 server=198.51.100.10(198.51.100.10-198.51.100.20):[1194, 1195]/udp@iprange-multiport.v4:12 tunnel=tun0@iprange-multiport.v4:10 uplink=eth0@iprange-multiport.v4:12",
    "testdata/killswitches/lan-declared.v4 testdata/killswitches/lan-declared.v6 | kind=openvpn@lan-declared.v4:10 server=198.51.100.1:[1194]/udp@lan-declared.v4:13 tunnel=tun0@lan-declared.v4:10 uplink=wlan0@lan-declared.v4:13",
    "testdata/killswitches/mangle-marks.v4 | kind=openvpn@mangle-marks.v4:23 server=198.51.100.1:[1194]/udp@mangle-marks.v4:30 tunnel=tun0@mangle-marks.v4:23 uplink=eth0@mangle-marks.v4:30",
    "testdata/killswitches/nat-dnat-dns.v4 testdata/killswitches/nat-dnat-dns.v6 | kind=openvpn@nat-dnat-dns.v4:17 server=198.51.100.1:[1194]/udp@nat-dnat-dns.v4:20 tunnel=tun0@nat-dnat-dns.v4:17 uplink=eth0@nat-dnat-dns.v4:20",
    "testdata/killswitches/nordvpn-connmark.v4 testdata/killswitches/nordvpn-connmark.v6 | kind=openvpn@nordvpn-connmark.v4:24 tunnel=tun0@nordvpn-connmark.v4:24 clientMark=0xe1f1@nordvpn-connmark.v4:26",
    "testdata/killswitches/notrack-dns.v4 | kind=openvpn@notrack-dns.v4:17 server=198.51.100.1:[1194]/udp@notrack-dns.v4:18 tunnel=tun0@notrack-dns.v4:17 uplink=eth0@notrack-dns.v4:18",
    "testdata/killswitches/openvpn-port-only.v4 | kind=openvpn@openvpn-port-only.v4:15 server=any:[1194]/udp@openvpn-port-only.v4:12 tunnel=tun0@openvpn-port-only.v4:15 uplink=eth0@openvpn-port-only.v4:12 cannotTell=1",
    "testdata/killswitches/openwrt-pppoe.v4 | kind=openvpn@openwrt-pppoe.v4:124 server=198.51.100.1:[1194]/udp@openwrt-pppoe.v4:153 tunnel=tun0@openwrt-pppoe.v4:124 uplink=pppoe-wan@openwrt-pppoe.v4:153",
    "testdata/killswitches/return-allowances.v4 | kind=openvpn@return-allowances.v4:17 server=203.0.113.7:[1195, 1196]/udp@return-allowances.v4:23 tunnel=tun0@return-allowances.v4:17",
    "testdata/killswitches/shadowed.v4 | kind=openvpn@shadowed.v4:16 tunnel=tun0@shadowed.v4:16 cannotTell=1",
    "testdata/killswitches/ufw-tree.v4 testdata/killswitches/ufw-tree.v6 | kind=openvpn@ufw-tree.v4:34 server=198.51.100.10:[1194]/udp@ufw-tree.v4:35 tunnel=tun0@ufw-tree.v4:34 uplink=wlan0@ufw-tree.v4:35",
    "testdata/killswitches/v6-lan.v4 testdata/killswitches/v6-lan.v6 | kind=openvpn@v6-lan.v4:8 server=198.51.100.1:[1194]/udp@v6-lan.v4:9 tunnel=tun0@v6-lan.v4:8 uplink=eth0@v6-lan.v4:9",
    "testdata/killswitches/v6-permissive.v4 testdata/killswitches/v6-permissive.v6 | kind=openvpn@v6-permissive.v4:8 server=198.51.100.1:[1194]/udp@v6-permissive.v4:9 tunnel=tun0@v6-permissive.v4:8 uplink=eth0@v6-permissive.v4:9",
    "testdata/killswitches/vpn-resolver-everywhere.v4 | kind=openvpn@vpn-resolver-everywhere.v4:12 server=198.51.100.1:[1194]/udp@vpn-resolver-everywhere.v4:13 tunnel=tun0@vpn-resolver-everywhere.v4:12 uplink=eth0@vpn-resolver-everywhere.v4:13 dns=10.8.0.1@vpn-resolver-everywhere.v4:11",
    "testdata/killswitches/wgquick-fwmark.v4 testdata/killswitches/wgquick-fwmark.v6 | kind=wireguard@wgquick-fwmark.v4:29 tunnel=wg0@wgquick-fwmark.v4:29 clientMark=0xca6c@wgquick-fwmark.v4:29",
    "testdata/lab/hardened-openvpn.v4 testdata/lab/hardened-openvpn.v6 | kind=openvpn@hardened-openvpn.v4:10 server=203.0.113.10:[1194]/udp@hardened-openvpn.v4:11 tunnel=tun0@hardened-openvpn.v4:10 uplink=eth0@hardened-openvpn.v4:11",
    "testdata/lab/hardened-wireguard.v4 testdata/lab/hardened-wireguard.v6 | kind=wireguard@hardened-wireguard.v4:10 server=203.0.113.10:[51820]/udp@hardened-wireguard.v4:11 tunnel=wg0@hardened-wireguard.v4:10 uplink=eth0@hardened-wireguard.v4:11",
    "testdata/lab/wgquick-fwmark.v4 testdata/lab/wgquick-fwmark.v6 | kind=wireguard@wgquick-fwmark.v4:8 tunnel=wg0@wgquick-fwmark.v4:8 clientMark=0xca6c@wgquick-fwmark.v4:8",
    "testdata/seed/article.v4 testdata/seed/article.v6 | kind=openvpn@article.v4:10 server=any:[1194]/udp@article.v4:16 tunnel=tun0@article.v4:10 dns=10.45.16.1@article.v4:14 cannotTell=1",
    "testdata/setup/expressvpn-style.v4 | kind=openvpn@expressvpn-style.v4:11 server=198.51.100.60:[1195, 1196]/udp@expressvpn-style.v4:10 tunnel=tun0@expressvpn-style.v4:11",
    "testdata/setup/no-server.v4 | tunnel=vpn0@no-server.v4:8 cannotTell=2",
    "testdata/setup/nordvpn-one-server.v4 | kind=openvpn@nordvpn-one-server.v4:9 server=198.51.100.31:[]/any@nordvpn-one-server.v4:8 tunnel=tun0@nordvpn-one-server.v4:9",
    "testdata/setup/resolved-wlan0.v4 | kind=openvpn@resolved-wlan0.v4:10 server=198.51.100.42:[1194]/udp@resolved-wlan0.v4:13 tunnel=tun0@resolved-wlan0.v4:10 uplink=wlan0@resolved-wlan0.v4:13 stub=127.0.0.53@resolved-wlan0.v4:8 clientUid=0@resolved-wlan0.v4:13 resolverUid=991@resolved-wlan0.v4:10",
    "testdata/setup/strongswan.v4 | kind=ipsec@strongswan.v4:9 server=198.51.100.50:[500, 4500]/udp@strongswan.v4:9",
    "testdata/setup/wgquick-docker.v4 | kind=wireguard@wgquick-docker.v4:22 tunnel=wg0@wgquick-docker.v4:22 clientMark=0xca6c@wgquick-docker.v4:22",
  })
  void theSetupComesFromTheRules(String files, String expected) throws IOException {
    assertEquals(expected.strip(), describe(infer(files.strip().split("\\s+"))), files);
  }

  @org.junit.jupiter.api.Test
  void whatTheRulesCannotTellAsksForTheFlagThatTellsIt() throws IOException {
    List<String> open = infer("testdata/setup/no-server.v4").cannotTell();
    assertEquals(2, open.size(), open.toString());
    org.junit.jupiter.api.Assertions.assertTrue(open.get(0).contains("pass --endpoint or --vpn-config"), open.get(0));
    org.junit.jupiter.api.Assertions.assertTrue(open.get(1).contains("pass --tunnel-kind or --vpn-config"), open.get(1));
    String any = infer("testdata/killswitches/openvpn-port-only.v4").cannotTell().get(0);
    org.junit.jupiter.api.Assertions.assertTrue(any.contains("any host (testdata/killswitches/openvpn-port-only.v4:12)"), any);
  }
}
