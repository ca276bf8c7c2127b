package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;
import org.ksaudit.testsupport.Host;

/**
 * The kernel is the oracle for TCP packets that are not a new connection's SYN: data segments
 * of connections opened before the rules were loaded (ESTABLISHED), and lone segments with
 * other flags, sent through rules that tell them apart by state and flags; what arrived is
 * compared with {@code ksaudit trace --probes} lines carrying {@code state=} and {@code flags=}.
 * The state a lone segment gets is conntrack's (nf_conntrack_proto_tcp, tcp_new, with the
 * default nf_conntrack_tcp_loose=1): an ACK without SYN, FIN or RST is picked up as a new
 * connection (NEW); SYN,ACK, FIN and RST without a connection are INVALID.
 */
class NonSynTcpKernelTest {
  /** Rule texts, one destination each, filter OUTPUT policy DROP. */
  static final List<String> MATCHES = List.of(
      "-m conntrack --ctstate ESTABLISHED",
      "-m conntrack --ctstate NEW -p tcp -m tcp --tcp-flags SYN,ACK ACK",
      "-m conntrack --ctstate INVALID",
      "-p tcp -m tcp --tcp-flags RST RST",
      "-p tcp -m tcp ! --syn",
      "-p tcp -m tcp --tcp-flags ALL PSH,ACK",
      "-m state --state ESTABLISHED,RELATED -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK ACK",
      "-p tcp -m tcp --tcp-flags FIN,ACK FIN",
      "");

  /** Lone segments' flags (TCP header bits) and the state conntrack gives them. */
  static final Map<Integer, String> LONE = new LinkedHashMap<>();

  static {
    LONE.put(0x10, "NEW"); // ACK
    LONE.put(0x12, "INVALID"); // SYN,ACK
    LONE.put(0x04, "INVALID"); // RST
    LONE.put(0x14, "INVALID"); // RST,ACK
    LONE.put(0x01, "INVALID"); // FIN
    LONE.put(0x11, "INVALID"); // FIN,ACK
  }

  static String destination(Family f, int n) {
    return f == Family.IPV4 ? "203.0.113." + n : "2001:db8::" + Integer.toHexString(n);
  }

  static String ruleset(Family f) {
    StringBuilder s = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n");
    for (int i = 0; i < MATCHES.size(); i++) {
      s.append("-A OUTPUT -d ").append(destination(f, 1 + i)).append(f == Family.IPV4 ? "/32 " : "/128 ").append(MATCHES.get(i))
          .append(" -j ACCEPT\n");
    }
    return s.append("COMMIT\n").toString();
  }

  /** The trace line of a segment: the probe's columns and its state and flags. */
  static String traceLine(PacketOracle.TcpSegment g) {
    String state = g.established() ? "ESTABLISHED" : LONE.get(g.flags());
    return g.probe().traceLine() + " state=" + state + " flags=" + TcpFlags.format(g.flags());
  }

  @Test
  void traceVerdictsOfNonSynSegmentsAgreeWithTheKernel() throws Exception {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save", "python3");
    int compared = 0;
    List<String> disagreements = new ArrayList<>();
    try (PacketOracle oracle = PacketOracle.create(List.of("eth0"))) {
      for (Family f : Family.values()) {
        List<PacketOracle.TcpSegment> segments = new ArrayList<>();
        for (int i = 0; i < MATCHES.size(); i++) {
          Probe p = new Probe(f, "tcp", destination(f, 1 + i), 443, "eth0");
          segments.add(new PacketOracle.TcpSegment(p, true, PacketOracle.TcpSegment.PSH_ACK));
          for (int flags : LONE.keySet()) segments.add(new PacketOracle.TcpSegment(p, false, flags));
        }
        String text = ruleset(f);
        Map<PacketOracle.TcpSegment, Boolean> arrived = oracle.runSegments(f == Family.IPV4 ? Optional.of(text) : Optional.empty(),
            f == Family.IPV6 ? Optional.of(text) : Optional.empty(), segments);
        Path rules = Files.createTempFile("ksaudit-segments", f == Family.IPV4 ? ".v4" : ".v6");
        Path probes = Files.createTempFile("ksaudit-segments", ".txt");
        try {
          Files.writeString(rules, text);
          StringBuilder lines = new StringBuilder();
          for (PacketOracle.TcpSegment g : segments) lines.append(traceLine(g)).append('\n');
          Files.writeString(probes, lines.toString());
          KernelBehaviourTest.Case c = new KernelBehaviourTest.Case("segments " + f.label(), KernelBehaviourTest.Origin.GENERATED,
              f == Family.IPV4 ? Optional.of(rules) : Optional.empty(), f == Family.IPV6 ? Optional.of(rules) : Optional.empty());
          String[] out = KernelBehaviourTest.traceBatch(c, List.of("--probes", probes.toString()));
          assertEquals(segments.size(), out.length);
          for (int i = 0; i < segments.size(); i++) {
            String line = out[i];
            assertTrue(line.startsWith(traceLine(segments.get(i)) + " "), line);
            String verdict = line.substring(traceLine(segments.get(i)).length() + 1).split("\\s+")[0];
            boolean kernel = arrived.get(segments.get(i));
            if (line.contains("uncertain:") || verdict.equals("ACCEPT") != kernel) {
              disagreements.add(line + "  (kernel: " + (kernel ? "arrived" : "stopped") + ")");
            }
            compared++;
          }
        } finally {
          Files.deleteIfExists(rules);
          Files.deleteIfExists(probes);
        }
      }
    }
    System.out.printf("non-SYN TCP: %d segments compared with the kernel, %d agree%n", compared, compared - disagreements.size());
    disagreements.forEach(d -> System.out.println("  " + d));
    assertEquals(List.of(), disagreements);
    assertEquals(2 * MATCHES.size() * (1 + LONE.size()), compared);
  }
}
