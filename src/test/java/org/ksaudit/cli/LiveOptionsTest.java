package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --live, --root and --from: what they refuse, and a saved state audited like files. */
class LiveOptionsTest {
  @TempDir Path dir;

  @Test
  void contradictoryOrMisplacedOptionsAreUsageErrors() {
    assertRefused(CliRun.of("check", "--root", "/"), "--root is for --live");
    assertRefused(CliRun.of("check", "--live", "--from", dir.toString()), "exclude each other");
    assertRefused(CliRun.of("check", "--from", dir.toString(), "--root", "/"), "--root is for --live");
    assertRefused(CliRun.of("check", "--from", dir.toString(), "testdata/seed/article.v4"), "give no ruleset files");
    assertRefused(CliRun.of("check", "--from", dir.resolve("missing").toString()), "no such folder");
  }

  @Test
  void aBrokenSavedOutputIsOneLineWithTheFile() throws Exception {
    Files.writeString(dir.resolve("ip-addr.json"), "[{\"ifname\": \"eth0\", ");
    CliRun r = CliRun.of("check", "--from", dir.toString());
    assertRefused(r, "ip-addr.json is not the JSON the command prints");
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void aSavedStateIsAuditedLikeItsDumps() throws Exception {
    Files.writeString(dir.resolve("iptables-nft-save.txt"), Files.readString(Path.of("testdata/seed/article.v4")));
    Files.writeString(dir.resolve("sysctl.txt"), "net.ipv6.conf.all.disable_ipv6 = 1\nnet.ipv6.conf.default.disable_ipv6 = 1\n");
    CliRun saved = CliRun.of("check", "--from", dir.toString());
    CliRun file = CliRun.of("check", "--sysctl", dir.resolve("sysctl.txt").toString(), "--ipv4", dir.resolve("iptables-nft-save.txt").toString());
    assertEquals(file.code(), saved.code());
    assertTrue(saved.out().contains("KS118"), "live rules saved nowhere: " + saved.out());
    assertTrue(!saved.out().contains("KS103"), "the saved sysctls disable IPv6 as --sysctl does: " + saved.out());
  }

  @Test
  void aFamilyWithoutRulesOnTheHostIsOneNoSaveToolPrinted() throws Exception {
    Files.writeString(dir.resolve("iptables-nft-save.txt"), Files.readString(Path.of("testdata/seed/article.v4")));
    CliRun saved = CliRun.of("check", "--from", dir.toString());
    assertTrue(saved.out().contains("ipv6-leak: no ip6tables rules were read from the host (neither ip6tables-nft-save nor"
        + " ip6tables-legacy-save printed any) and no sysctl setting disables IPv6"), saved.out());
    assertFalse(saved.out().contains("no IPv6 ruleset given"), "no ruleset was given: none was asked for");
  }

  /**
   * resolv.conf sends lookups to systemd-resolved's stub; resolvectl status (systemd 252's shape)
   * says eth0's server takes every lookup, tun0's only its domain: the DNS path is eth0's server,
   * asked on eth0 although the main table routes its address to wlan0. Without resolvectl's output a
   * note says the servers behind the stub are unknown.
   */
  @Test
  void theStubsServersAreSystemdResolvedsPerLink() throws Exception {
    Files.writeString(dir.resolve("iptables-nft-save.txt"), "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
        + "-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -p udp --dport 53 -j ACCEPT\nCOMMIT\n");
    Files.writeString(dir.resolve("sysctl.txt"), "net.ipv6.conf.all.disable_ipv6 = 1\nnet.ipv6.conf.default.disable_ipv6 = 1\n");
    Files.writeString(dir.resolve("ip-route.json"), "[{\"dst\":\"0.0.0.0/1\",\"dev\":\"tun0\",\"flags\":[]},{\"dst\":\"default\","
        + "\"gateway\":\"198.51.100.1\",\"dev\":\"eth0\",\"flags\":[]},{\"dst\":\"198.51.100.0/24\",\"dev\":\"eth0\",\"flags\":[]},"
        + "{\"dst\":\"203.0.113.0/24\",\"dev\":\"wlan0\",\"flags\":[]}]");
    Files.createDirectories(dir.resolve("root/etc"));
    Files.writeString(dir.resolve("root/etc/resolv.conf"), "nameserver 127.0.0.53\noptions edns0 trust-ad\n");
    CliRun unknown = CliRun.of("check", "--from", dir.toString(), "--format", "json");
    assertTrue(unknown.err().contains("note: /etc/resolv.conf names systemd-resolved's stub resolver, but resolvectl gave no servers"),
        unknown.err());
    assertFalse(unknown.out().contains("\"KS116\""), "the stub itself stays on the host: " + unknown.out());
    Files.writeString(dir.resolve("resolvectl-status.txt"), """
        Global
               Protocols: +LLMNR +mDNS -DNSOverTLS DNSSEC=no/unsupported
        resolv.conf mode: stub

        Link 2 (eth0)
            Current Scopes: DNS
                 Protocols: +DefaultRoute +LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
        Current DNS Server: 203.0.113.53
               DNS Servers: 203.0.113.53

        Link 3 (tun0)
            Current Scopes: DNS
                 Protocols: -DefaultRoute +LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
               DNS Servers: 10.8.0.1
                DNS Domain: corp.example
        """);
    CliRun known = CliRun.of("check", "--from", dir.toString(), "--format", "json");
    assertEquals(1, known.code(), known.both());
    assertFalse(known.err().contains("stub resolver"), known.err());
    com.fasterxml.jackson.databind.JsonNode report = org.ksaudit.testsupport.ReportSchema.parse(known.out());
    List<com.fasterxml.jackson.databind.JsonNode> dns = new java.util.ArrayList<>();
    report.get("findings").forEach(f -> { if (f.get("id").asText().equals("KS116")) dns.add(f); });
    assertEquals(1, dns.size(), "tun0's server is the tunnel's: " + known.out());
    assertTrue(dns.get(0).get("message").asText().contains("203.0.113.53 (systemd-resolved, link eth0, every lookup)"), dns.get(0).toString());
    assertEquals("eth0", dns.get(0).get("witness").get("oif").asText(), "asked on eth0, though 203.0.113.0/24 is routed to wlan0");
  }

  private static void assertRefused(CliRun r, String why) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue((r.out() + r.err()).contains(why), r.out() + r.err());
  }
}
