package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Exit codes and options of the audit part of {@code ksaudit check}. */
class CheckCommandAuditTest {
  @Test
  void leaksExitOne() {
    CliRun r = CliRun.of("check", "testdata/seed/article.v4");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("dns-leak"));
    assertTrue(r.out().contains("[KS102, definite]"));
  }

  @Test
  void syntaxErrorsStillExitTwoAndSkipTheAudit() {
    CliRun r = CliRun.of("check", "testdata/seed/article-verbatim.v4");
    assertEquals(2, r.code());
    assertTrue(!r.out().contains("dns-leak"), r.out());
  }

  @Test
  void theHardenedKillswitchExitsZero() {
    CliRun r = CliRun.of("check", "testdata/killswitches/hardened-openvpn.v4", "testdata/killswitches/hardened-openvpn.v6");
    assertEquals(0, r.code(), r.out());
  }

  @Test
  void failOnWarningCountsWarnings() {
    CliRun plain = CliRun.of("check", "testdata/killswitches/custom-tunnel-name.v4", "testdata/killswitches/custom-tunnel-name.v6");
    assertEquals(0, plain.code(), plain.out());
    CliRun strict = CliRun.of("check", "--fail-on", "warning", "testdata/killswitches/custom-tunnel-name.v4",
        "testdata/killswitches/custom-tunnel-name.v6");
    assertEquals(1, strict.code(), strict.out());
  }

  @Test
  void allowLanAndEndpointAreRead() {
    CliRun r = CliRun.of("check", "--allow-lan", "192.168.1.0/24", "--endpoint", "198.51.100.1:1194/udp",
        "testdata/seed/article.v4");
    assertTrue(r.out().contains("info: lan-exemption"), r.out());
  }

  @Test
  void badOptionValuesAreUsageErrors() {
    assertEquals(2, CliRun.of("check", "--endpoint", "198.51.100.1/udp", "testdata/seed/article.v4").code());
    assertEquals(2, CliRun.of("check", "--allow-lan", "192.168.1.0/33", "testdata/seed/article.v4").code());
    assertEquals(2, CliRun.of("check", "--fail-on", "fatal", "testdata/seed/article.v4").code());
    assertEquals(2, CliRun.of("check", "--format", "xml", "testdata/seed/article.v4").code());
    assertEquals(2, CliRun.of("check", "--sysctl", "no/such/file", "testdata/seed/article.v4").code());
  }

  @Test
  void sysctlCreditsDisabledIpv6() {
    CliRun r = CliRun.of("check", "--sysctl", "testdata/seed/article.sysctl", "testdata/seed/article.v4");
    assertTrue(!r.out().contains("ipv6-leak"), r.out());
  }

  @Test
  void jsonHasTheDocumentedShape() {
    CliRun r = CliRun.of("check", "--format", "json", "testdata/seed/article.v4");
    String j = r.out();
    assertTrue(j.startsWith("{\"tool\":\"ksaudit\",\"version\":"), j);
    for (String key : new String[] {"\"files\":[\"testdata/seed/article.v4\"]", "\"findings\":[", "\"id\":\"KS102\"",
        "\"category\":\"dns-leak\"", "\"severity\":\"error\"", "\"certainty\":\"definite\"", "\"file\":", "\"line\":14",
        "\"column\":", "\"message\":", "\"witness\":{\"family\":\"ipv4\",\"proto\":\"udp\",\"dst\":\"10.45.16.1\",\"dport\":53,\"oif\":\"eth0\"}",
        "\"trace\":[{\"file\":\"testdata/seed/article.v4\",\"line\":14,\"chain\":\"OUTPUT\",\"target\":\"ACCEPT\"}]",
        "\"summary\":{\"error\":"}) {
      assertTrue(j.contains(key), key + " in " + j);
    }
  }
}
