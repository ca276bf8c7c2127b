package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.Netns;
import org.ksaudit.testsupport.Host;

/**
 * The kernel's side of EngineLimitsTest. Loading: nf_tables refuses the 101-deep nesting
 * ("Too many links"), the legacy backend loads it; both load the 15-level fan-out. Behaviour,
 * with the legacy backend: a UDP and a TCP packet out of tun0 cross all 101 chains, and the
 * counters show that the rules the engine does not reach (C99's ACCEPT after the jump it does
 * not follow, the last chain's TCP ACCEPT) take packets: calling them unreachable or
 * shadowed would be false.
 */
class EngineLimitsKernelTest {
  private static final String SEND = """
      import socket
      for proto in ("udp", "tcp"):
          s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM)
          s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"tun0")
          s.setblocking(False)
          try:
              if proto == "udp":
                  s.sendto(b"x", ("203.0.113.9", 123))
              else:
                  s.connect(("203.0.113.9", 443))
          except OSError:
              pass
      """;

  @Test
  void theBackendsLoadTheLimitRulesetsAndLegacyRunsTheRulesBeyondTheDepth() throws Exception {
    Host.requireRootWith("ip", "iptables-nft-restore", "iptables-legacy-restore", "iptables-legacy-save", "python3");
    String nested = EngineLimitsTest.nested(101);
    try (Netns ns = Netns.create("limits")) {
      Exec.Result nft = ns.exec(nested, 60_000, "iptables-nft-restore");
      assertFalse(nft.ok(), "nf_tables loaded 101 nested jumps");
      assertTrue(nft.stderr().contains("Too many links"), nft.stderr());
      for (String backend : new String[] {"iptables-nft-restore", "iptables-legacy-restore"}) {
        // the legacy lock file lives in /run, shared with every other test's namespaces: wait for it
        Exec.Result fan = ns.exec(EngineLimitsTest.fanOut(), 60_000, backend, "--wait=60");
        assertTrue(fan.ok(), backend + " refused the fan-out: " + fan.stderr());
      }
      ns.exec("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", 60_000, "iptables-nft-restore");
      Exec.Result legacy = ns.exec(nested, 60_000, "iptables-legacy-restore", "--wait=60");
      assertTrue(legacy.ok(), "legacy refused 101 nested jumps: " + legacy.stderr());
      Exec.Result wire = ns.ipBatch("link add tun0 type veth peer name tun0p\nlink set tun0 up\nlink set tun0p up\naddr add 198.18.0.1/32 dev tun0\n"
          + "route add default dev tun0\n");
      assertTrue(wire.ok(), wire.stderr());
      Exec.Result sent = ns.exec(SEND, 30_000, "python3", "-");
      assertTrue(sent.ok(), sent.stderr());
      Map<String, Long> counters = counters(ns.exec("iptables-legacy-save", "-c", "-t", "filter").stdout());
      assertTrue(counters.getOrDefault("-A C99 -o tun0 -j ACCEPT", 0L) > 0, counters.toString());
      assertTrue(counters.getOrDefault("-A C100 -o tun0 -p tcp -j ACCEPT", 0L) > 0, counters.toString());
    }
  }

  /** Packet counters of an {@code iptables-save -c} dump, by rule ({@code [pkts:bytes] -A ...}). */
  private static Map<String, Long> counters(String save) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : save.split("\n")) {
      if (!line.startsWith("[")) continue;
      int end = line.indexOf(']');
      String rule = line.substring(end + 1).strip();
      if (rule.startsWith("-A ")) out.put(rule, Long.parseLong(line.substring(1, line.indexOf(':'))));
    }
    return out;
  }
}
