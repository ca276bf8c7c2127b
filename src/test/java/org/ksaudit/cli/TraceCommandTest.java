package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ksaudit trace}: the single-packet form and the batch contract the lab relies on. */
class TraceCommandTest {
  @Test
  void singlePacketShowsTheRuleAndTheVerdict() {
    CliRun r = CliRun.of("trace", "testdata/seed/article.v4", "--proto", "udp", "--dst", "198.51.100.99", "--dport", "1194",
        "--out", "eth0");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("testdata/seed/article.v4:16 filter/OUTPUT ACCEPT"), r.out());
    assertTrue(r.out().endsWith("verdict: ACCEPT\n"), r.out());
  }

  @Test
  void thePolicyIsShownWhenItDecides() {
    CliRun r = CliRun.of("trace", "testdata/seed/article.v4", "--proto", "tcp", "--dst", "203.0.113.9", "--dport", "443",
        "--out", "eth0");
    assertTrue(r.out().contains("filter/OUTPUT policy DROP"), r.out());
    assertTrue(r.out().contains("verdict: DROP"), r.out());
  }

  @Test
  void batchLinesFollowTheContract(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path probes = dir.resolve("probes.txt");
    Files.writeString(probes, "# comment\nudp 10.45.16.1 53 eth0\ntcp 203.0.113.9 443 tun0\nicmp 2001:db8::1 - eth0\n"
        + "tcp 203.0.113.9 443 eth0\n");
    CliRun r = CliRun.of("trace", "testdata/seed/article.v4", "testdata/seed/article.v6", "--probes", probes.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(4, lines.length, r.out());
    assertTrue(lines[0].startsWith("udp 10.45.16.1 53 eth0 ACCEPT # testdata/seed/article.v4:14 filter/OUTPUT ACCEPT"), lines[0]);
    assertTrue(lines[1].startsWith("tcp 203.0.113.9 443 tun0 ACCEPT # "), lines[1]);
    assertTrue(lines[2].startsWith("icmp 2001:db8::1 - eth0 DROP # testdata/seed/article.v6:"), lines[2]);
    assertTrue(lines[3].startsWith("tcp 203.0.113.9 443 eth0 DROP # "), lines[3]);
  }

  @Test
  void ipv6WithoutAnIpv6RulesetIsAccepted(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path probes = dir.resolve("p.txt");
    Files.writeString(probes, "udp 2001:db8::53 53 eth0\n");
    CliRun r = CliRun.of("trace", "testdata/seed/article.v4", "--probes", probes.toString());
    assertEquals("udp 2001:db8::53 53 eth0 ACCEPT # no rules\n", r.out());
  }

  @Test
  void uncertainVerdictsSaySo(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path rules = dir.resolve("limit.v4");
    Files.writeString(rules, "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -m limit --limit 3/min -j ACCEPT\nCOMMIT\n");
    Path probes = dir.resolve("p.txt");
    Files.writeString(probes, "udp 203.0.113.1 53 eth0\n");
    CliRun r = CliRun.of("trace", rules.toString(), "--probes", probes.toString());
    assertTrue(r.out().contains("uncertain: matches ksaudit cannot decide make it ACCEPT or DROP"), r.out());
  }

  @Test
  void badProbeLinesAreUsageErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path probes = dir.resolve("p.txt");
    Files.writeString(probes, "udp 10.45.16.1 eth0\n");
    CliRun r = CliRun.of("trace", "testdata/seed/article.v4", "--probes", probes.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(":1: expected 'PROTO DST DPORT OIF'"), r.err());
  }
}
