package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values are checked before any work, by one validator for flags and probe files, and refused
 * with exit 2 and the reason. The limits are the kernel's: ports are 16 bits, a uid or gid is
 * 32 bits less (uid_t) -1, which iptables' owner match reserves (UINT32_MAX - 1 is its
 * largest), a mark 32 bits, an ICMP type and code 8 bits each, an interface name 1-15 bytes
 * without '/', ':' or blanks (dev_valid_name, IFNAMSIZ).
 */
class BadValuesTest {
  private static final String RULES = "testdata/seed/article.v4";

  /** A valid single-packet trace with {@code option} set to {@code value} instead of its usual value. */
  private static CliRun trace(String option, String value) {
    Map<String, String> args = new LinkedHashMap<>(Map.of("--proto", "udp", "--dst", "198.51.100.1", "--dport", "53", "--out", "eth0"));
    args.put(option, value);
    List<String> argv = new ArrayList<>(List.of("trace", RULES));
    args.forEach((k, v) -> argv.addAll(List.of(k, v)));
    return CliRun.of(argv.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "--dport|70000|port '70000' must be a number 0-65535",
    "--dport|-1|port '-1' must be a number 0-65535",
    "--dport|0x10|port '0x10' must be a number 0-65535",
    "--sport|65536|port '65536' must be a number 0-65535",
    "--uid|-5|'-5' must be a number 0-4294967294",
    "--uid|4294967296|'4294967296' must be a number 0-4294967294",
    "--uid|4294967295|'4294967295' must be a number 0-4294967294",
    "--gid|-1|'-1' must be a number 0-4294967294",
    "--mark|0x100000000|mark '0x100000000' must be a number 0-4294967295",
    "--mark|-1|mark '-1' must be a number 0-4294967295",
    "--state|UNTRACKED|state 'UNTRACKED' must be NEW, ESTABLISHED, RELATED or INVALID",
    "--icmp-type|256|ICMP type '256' must be TYPE or TYPE/CODE, each 0-255",
    "--icmp-type|8/256|ICMP type '8/256' must be TYPE or TYPE/CODE, each 0-255",
    "--out|''|'' is not an interface name",
    "--out|a/b|'a/b' is not an interface name",
    "--out|abcdefghijklmnop|'abcdefghijklmnop' is not an interface name",
    "--in|a:b|'a:b' is not an interface name",
    "--src|198.51.100|'198.51.100' is not a numeric IPv4 or IPv6 address",
    "--dst|example.com|'example.com' is not a numeric IPv4 or IPv6 address",
    "--proto|sctp|protocol 'sctp' must be tcp, udp or icmp",
    "--format|xml|expected one of [TEXT, JSON, SARIF, JUNIT, HTML] (case-insensitive) but was 'xml'",
  })
  void traceRefusesAFlagWithItsReason(String option, String value, String reason) {
    CliRun r = trace(option, value.equals("''") ? "" : value);
    assertEquals(2, r.code(), r.both());
    assertTrue(r.err().contains("Invalid value for option '" + option + "'") && r.err().contains(reason), r.err());
    assertEquals("", r.out());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {"--dport|0", "--dport|65535", "--uid|4294967294", "--gid|0", "--mark|0xffffffff",
      "--mark|4294967295", "--out|abcdefghijklmno", "--state|established", "--proto|UDP"})
  void traceAcceptsTheLimits(String option, String value) {
    CliRun r = trace(option, value);
    assertEquals(0, r.code(), r.both());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "udp 198.51.100.1 70000 eth0|--dport|70000",
    "udp 198.51.100.1 -1 eth0|--dport|-1",
    "tcp 198.51.100.1 80 a/b|--out|a/b",
    "udp 198.51.100.1 53 eth0 abcdefghijklmnop|--in|abcdefghijklmnop",
    "udp example.com 53 eth0|--dst|example.com",
    "sctp 198.51.100.1 53 eth0|--proto|sctp",
  })
  void aProbeLineIsRefusedForTheSameReasonAsTheFlag(String line, String option, String value, @TempDir Path dir)
      throws IOException {
    Path probes = dir.resolve("probes");
    Files.writeString(probes, "# one bad line\n" + line + "\n");
    CliRun file = CliRun.of("trace", RULES, "--probes", probes.toString());
    CliRun flag = trace(option, value);
    assertEquals(2, file.code(), file.both());
    assertEquals(2, flag.code(), flag.both());
    String first = flag.err().lines().findFirst().orElseThrow();
    String reason = first.replaceFirst("^ksaudit: Invalid value for option '[^']*'( \\([A-Z]+\\))?: ", "");
    assertTrue(reason.length() < first.length(), first);
    assertTrue(file.err().contains(probes + ":2: " + reason), file.err() + " / " + reason);
  }

  @Test
  void traceWithoutRulesetIsAUsageError() {
    CliRun r = CliRun.of("trace", "--proto", "udp", "--dst", "198.51.100.1", "--dport", "53", "--out", "eth0");
    assertEquals(2, r.code(), r.both());
    assertTrue(r.err().startsWith("ksaudit trace: no ruleset given"), r.err());
    assertEquals("", r.out());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "--tunnel|''|'' is not an interface name or prefix",
    "--tunnel|+|'+' would make every interface the tunnel",
    "--tunnel|*|'*' would make every interface the tunnel",
    "--tunnel|tun 0|'tun 0' is not an interface name or prefix",
    "--tunnel|abcdefghijklmno+|'abcdefghijklmno+' is not an interface name or prefix",
    "--fail-on|fatal|unknown severity 'fatal'",
    "--format|xml|expected one of [TEXT, JSON, SARIF, JUNIT, HTML] (case-insensitive) but was 'xml'",
    "--endpoint|198.51.100.1:70000/udp|port must be 1-65535",
    "--endpoint|198.51.100.1:1194|needs a protocol",
    "--allow-lan|10.0.0.0/33|invalid mask",
    "--allow-lan|lan|lan",
  })
  void checkRefusesAFlagWithItsReason(String option, String value, String reason) {
    CliRun r = CliRun.of("check", RULES, option, value.equals("''") ? "" : value);
    assertEquals(2, r.code(), r.both());
    assertTrue(r.err().contains("Invalid value for option '" + option + "'") && r.err().contains(reason), r.err());
  }

  @Test
  void anEmptyTunnelNameNoLongerMakesTheTunnelALeak() {
    // article.v4 allows everything out of tun0: with the tunnel given as tun0 nothing there leaks
    CliRun named = CliRun.of("check", RULES, "--tunnel", "tun0");
    assertTrue(!named.out().contains("out tun0"), named.out());
    assertEquals(2, CliRun.of("check", RULES, "--tunnel", "").code());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "--tunnel-kind|ipsec|expected one of [OPENVPN, WIREGUARD] (case-insensitive) but was 'ipsec'",
    "--scenario|meltdown|but was 'meltdown'",
    "--format|yaml|expected one of [TEXT, JSON, SARIF, JUNIT, HTML] (case-insensitive) but was 'yaml'",
    "--format|html|probe writes text, json or junit, not html",
    "--tunnel|''|'' is not an interface name",
    "--endpoint|nowhere|needs a protocol",
  })
  void probeRefusesAFlagBeforeTouchingAnything(String option, String value, String reason) {
    CliRun r = CliRun.of("probe", "--lab", RULES, option, value.equals("''") ? "" : value);
    assertEquals(2, r.code(), r.both());
    assertTrue(r.err().contains(reason), r.err());
  }
}
