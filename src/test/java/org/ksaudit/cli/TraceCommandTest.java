package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void moreThanARulesetPerFamilyIsOneUsageLine() {
    for (String[] files : List.of(new String[] {"testdata/seed/article.v4", "testdata/seed/article.v6", "testdata/no-such-file.v4"},
        new String[] {"--ipv4", "testdata/seed/article.v4", "--ipv6", "testdata/seed/article.v6", "--ipv4", "testdata/seed/article.v4"})) {
      List<String> args = new java.util.ArrayList<>(List.of("trace"));
      args.addAll(List.of(files));
      args.addAll(List.of("--proto", "udp", "--dst", "198.51.100.99", "--dport", "53", "--out", "eth0"));
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(2, r.code(), r.both());
      assertEquals("", r.out());
      assertTrue(r.err().lines().findFirst().orElse("").contains("ksaudit trace: give one or two rulesets (an iptables-save and an ip6tables-save"
          + " dump), not 3"), "before any file is read (the third does not exist): " + r.err());
    }
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
    assertTrue(r.err().contains(":1: expected 'PROTO DST DPORT OIF [IIF] [state=STATE] [flags=FLAGS]'"), r.err());
  }

  @Test
  void aForwardedPacketTakesTheForwardPath() {
    CliRun r = CliRun.of("trace", "testdata/killswitches/forward-docker.v4", "--in", "docker0", "--proto", "udp", "--dst",
        "198.51.100.99", "--dport", "53", "--out", "eth0");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("packet: ipv4 udp 192.0.2.100:40000 -> 198.51.100.99:53 out eth0 in docker0 NEW\n"
        + "path: FORWARD"), r.out());
    assertTrue(r.out().contains("testdata/killswitches/forward-docker.v4:22 filter/FORWARD ACCEPT"), r.out());
    assertTrue(r.out().endsWith("verdict: ACCEPT\n"), r.out());
  }

  @Test
  void theForwardPolicyDecidesWhenNoRuleMatches(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path rules = dir.resolve("router.v4");
    Files.writeString(rules, "*filter\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -i docker0 -o tun0 -j ACCEPT\n"
        + "-A OUTPUT -o eth0 -j DROP\nCOMMIT\n");
    CliRun out = CliRun.of("trace", rules.toString(), "--in", "docker0", "--proto", "tcp", "--dst", "203.0.113.9", "--dport",
        "443", "--out", "eth0");
    assertTrue(out.out().contains(":2 filter/FORWARD policy DROP"), out.out());
    assertTrue(out.out().endsWith("verdict: DROP\n"), out.out());
    CliRun tunnel = CliRun.of("trace", rules.toString(), "--in", "docker0", "--proto", "tcp", "--dst", "203.0.113.9",
        "--dport", "443", "--out", "tun0");
    assertTrue(tunnel.out().contains(":4 filter/FORWARD ACCEPT"), tunnel.out());
    // without --in the same packet is a local one: OUTPUT decides, FORWARD is not looked at
    CliRun local = CliRun.of("trace", rules.toString(), "--proto", "tcp", "--dst", "203.0.113.9", "--dport", "443", "--out",
        "tun0");
    assertTrue(local.out().endsWith("verdict: ACCEPT\n") && !local.out().contains("FORWARD"), local.out());
  }

  @Test
  void prerouteRulesSeeTheInputInterfaceAndDnatIsReported(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path rules = dir.resolve("portfwd.v4");
    Files.writeString(rules, "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
        + "-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\nCOMMIT\n"
        + "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -d 172.17.0.2/32 -p tcp --dport 80 -o docker0 -j ACCEPT\nCOMMIT\n");
    CliRun r = CliRun.of("trace", rules.toString(), "--in", "eth0", "--proto", "tcp", "--dst", "203.0.113.1", "--dport",
        "8080", "--out", "docker0");
    assertTrue(r.out().contains(":4 nat/PREROUTING DNAT"), r.out());
    assertTrue(r.out().contains(":8 filter/FORWARD ACCEPT"), r.out());
    assertTrue(r.out().contains("rewritten: nat PREROUTING changed the destination to 172.17.0.2 port 80"), r.out());
    CliRun wlan = CliRun.of("trace", rules.toString(), "--in", "wlan0", "--proto", "tcp", "--dst", "203.0.113.1", "--dport",
        "8080", "--out", "docker0");
    assertTrue(wlan.out().contains("policy DROP") && !wlan.out().contains("rewritten"), wlan.out());
  }

  @Test
  void forwardedJsonNamesThePathAndTheInterfaces() {
    CliRun r = CliRun.of("trace", "testdata/killswitches/forward-docker.v4", "--in", "docker0", "--proto", "icmp", "--dst",
        "198.51.100.99", "--out", "eth0", "--src", "172.17.0.5", "--format", "json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"path\":\"FORWARD\",\"proto\":\"icmp\",\"src\":\"172.17.0.5\",\"dst\":\"198.51.100.99\","
        + "\"dport\":-1,\"oif\":\"eth0\",\"iif\":\"docker0\",\"state\":\"NEW\",\"verdict\":\"ACCEPT\""), r.out());
    // the source is the container's, so docker's MASQUERADE matches in nat POSTROUTING
    assertTrue(r.out().contains("\"chain\":\"POSTROUTING\",\"target\":\"MASQUERADE\""), r.out());
  }

  @Test
  void batchLinesMayNameTheInputInterface(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path probes = dir.resolve("p.txt");
    Files.writeString(probes, "udp 198.51.100.99 53 eth0 docker0\nudp 198.51.100.99 53 eth0\nudp 198.51.100.99 53 eth0 -\n"
        + "tcp 172.17.0.2 80 docker0 eth0\nudp 2001:db8::53 53 eth0 docker0\n");
    CliRun r = CliRun.of("trace", "testdata/killswitches/forward-docker.v4", "--probes", probes.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(5, lines.length, r.out());
    assertTrue(lines[0].startsWith("udp 198.51.100.99 53 eth0 docker0 ACCEPT # testdata/killswitches/forward-docker.v4:22 filter/FORWARD ACCEPT"), lines[0]);
    assertTrue(lines[1].startsWith("udp 198.51.100.99 53 eth0 DROP # testdata/killswitches/forward-docker.v4:"), lines[1]);
    assertTrue(lines[2].startsWith("udp 198.51.100.99 53 eth0 - DROP # "), lines[2]);
    assertTrue(lines[3].startsWith("tcp 172.17.0.2 80 docker0 eth0 ACCEPT # testdata/killswitches/forward-docker.v4:20 filter/FORWARD DOCKER; "
        + "testdata/killswitches/forward-docker.v4:16 filter/FORWARD policy ACCEPT"), lines[3]);
    assertEquals("udp 2001:db8::53 53 eth0 docker0 ACCEPT # no rules", lines[4]);
    // --in is the input interface of the lines that do not name one
    CliRun all = CliRun.of("trace", "testdata/killswitches/forward-docker.v4", "--probes", probes.toString(), "--in", "docker0");
    assertTrue(all.out().split("\n")[1].startsWith("udp 198.51.100.99 53 eth0 ACCEPT # testdata/killswitches/forward-docker.v4:22"), all.out());
  }

  @Test
  void aForwardedPacketHasNoOwnerAndAValidInputInterface(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    CliRun uid = CliRun.of("trace", "testdata/seed/article.v4", "--in", "eth1", "--proto", "udp", "--dst", "198.51.100.99",
        "--dport", "53", "--out", "eth0", "--uid", "1000");
    assertEquals(2, uid.code());
    assertTrue(uid.err().contains("a forwarded packet (--in) has no owner"), uid.err());
    Path probes = dir.resolve("p.txt");
    Files.writeString(probes, "udp 198.51.100.99 53 eth0 a/b\n");
    CliRun bad = CliRun.of("trace", "testdata/seed/article.v4", "--probes", probes.toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains(":1: 'a/b' is not an interface name"), bad.err());
  }

  /** Rules that tell TCP packets apart by their flags and state (stated: --syn is SYN alone of SYN,RST,ACK,FIN). */
  static final String FLAG_RULES = "*filter\n:OUTPUT DROP [0:0]\n"
      + "-A OUTPUT -p tcp -m conntrack --ctstate ESTABLISHED -m tcp --tcp-flags ACK ACK -j ACCEPT\n"
      + "-A OUTPUT -p tcp -m tcp --tcp-flags RST RST -j ACCEPT\n"
      + "-A OUTPUT -p tcp -m tcp --syn -j REJECT\nCOMMIT\n";

  @Test
  void tcpFlagsAndStateMakeNonSynPackets(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path rules = dir.resolve("flags.v4");
    Files.writeString(rules, FLAG_RULES);
    String[] one = {"trace", rules.toString(), "--proto", "tcp", "--dst", "203.0.113.9", "--dport", "443", "--out", "eth0"};
    assertTrue(CliRun.of(one).out().endsWith("verdict: REJECT\n"), "a NEW tcp packet is a SYN");
    CliRun established = CliRun.of(concat(one, "--state", "ESTABLISHED"));
    assertTrue(established.out().contains("203.0.113.9:443 flags ACK out eth0 ESTABLISHED"), established.out());
    assertTrue(established.out().endsWith("verdict: ACCEPT\n"), established.out());
    assertTrue(CliRun.of(concat(one, "--tcp-flags", "RST")).out().endsWith("verdict: ACCEPT\n"));
    // SYN,ACK is neither --syn nor an ESTABLISHED ACK nor a RST: the policy decides
    assertTrue(CliRun.of(concat(one, "--tcp-flags", "SYN,ACK")).out().endsWith("verdict: DROP\n"));

    Path probes = dir.resolve("p.txt");
    Files.writeString(probes, "tcp 203.0.113.9 443 eth0\ntcp 203.0.113.9 443 eth0 state=ESTABLISHED\n"
        + "tcp 203.0.113.9 443 eth0 flags=RST\ntcp 203.0.113.9 443 eth0 - flags=SYN,ACK state=ESTABLISHED\n");
    CliRun batch = CliRun.of("trace", rules.toString(), "--probes", probes.toString());
    assertEquals(0, batch.code(), batch.err());
    String[] lines = batch.out().split("\n");
    assertTrue(lines[0].startsWith("tcp 203.0.113.9 443 eth0 REJECT # "), lines[0]);
    assertTrue(lines[1].startsWith("tcp 203.0.113.9 443 eth0 state=ESTABLISHED ACCEPT # "), lines[1]);
    assertTrue(lines[2].startsWith("tcp 203.0.113.9 443 eth0 flags=RST ACCEPT # "), lines[2]);
    assertTrue(lines[3].startsWith("tcp 203.0.113.9 443 eth0 - flags=SYN,ACK state=ESTABLISHED ACCEPT # "), lines[3]);

    CliRun json = CliRun.of(concat(one, "--state", "ESTABLISHED", "--format", "json"));
    assertTrue(json.out().contains("\"state\":\"ESTABLISHED\",\"flags\":\"ACK\""), json.out());
  }

  @Test
  void badTcpFlagsAreUsageErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    String[] one = {"trace", "testdata/seed/article.v4", "--dst", "203.0.113.9", "--dport", "443", "--out", "eth0"};
    CliRun bad = CliRun.of(concat(one, "--proto", "tcp", "--tcp-flags", "SYN,BOGUS"));
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("TCP flags 'SYN,BOGUS'"), bad.err());
    assertEquals(2, CliRun.of(concat(one, "--proto", "udp", "--tcp-flags", "ACK")).code());
    Path probes = dir.resolve("p.txt");
    Files.writeString(probes, "tcp 203.0.113.9 443 eth0 colour=red\n");
    CliRun unknown = CliRun.of("trace", "testdata/seed/article.v4", "--probes", probes.toString());
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains(":1: unknown field 'colour'"), unknown.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
