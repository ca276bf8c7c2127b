package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;
import org.ksaudit.testsupport.Host;

/**
 * The boundaries of the link-local category, against the kernel: for each address on either
 * side of a boundary (224.0.0.255 / 224.0.1.0, 169.254.0.0/16, 255.255.255.255, fe80::/10,
 * ff01::/16, ff02::/16 / ff05::, ff0e::), a ruleset that accepts UDP to that address alone out
 * of eth0 is audited and loaded into a namespace, and a UDP datagram to the address is sent out
 * of eth0. The kernel must put each on the wire (the finding, whichever category, is a packet
 * that really leaves), and the audit's category must be link-local exactly inside the ranges
 * the issue states (RFC 5771, 3927, 4291), a leak category outside. The witness is sent too.
 */
class LinkScopeKernelTest {
  record Boundary(Family family, String address, boolean linkLocal) {}

  static final List<Boundary> BOUNDARIES = List.of(
      new Boundary(Family.IPV4, "224.0.0.1", true),
      new Boundary(Family.IPV4, "224.0.0.255", true),
      new Boundary(Family.IPV4, "224.0.1.0", false),
      new Boundary(Family.IPV4, "223.255.255.254", false),
      new Boundary(Family.IPV4, "239.255.255.250", false),
      new Boundary(Family.IPV4, "169.254.0.1", true),
      new Boundary(Family.IPV4, "169.254.255.254", true),
      new Boundary(Family.IPV4, "169.255.0.1", false),
      new Boundary(Family.IPV4, "169.253.255.254", false),
      new Boundary(Family.IPV4, "255.255.255.255", true),
      new Boundary(Family.IPV6, "fe80::1", true),
      new Boundary(Family.IPV6, "febf:ffff::1", true),
      new Boundary(Family.IPV6, "fec0::1", false),
      new Boundary(Family.IPV6, "ff02::1", true),
      new Boundary(Family.IPV6, "ff02::1:ff00:1", true),
      new Boundary(Family.IPV6, "ff02:ffff::1", true),
      new Boundary(Family.IPV6, "ff03::1", false),
      new Boundary(Family.IPV6, "ff05::1:3", false),
      new Boundary(Family.IPV6, "ff0e::1", false));

  @Test
  void linkLocalExactlyInsideTheRangesAndEveryPacketReallyLeaves() throws Exception {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save", "python3");
    List<String> wrong = new ArrayList<>();
    Map<Probe, Boundary> probes = new LinkedHashMap<>();
    for (Boundary bd : BOUNDARIES) {
      Ruleset rs = RulesetParser.parse("boundary", rules(bd.family(), List.of(bd.address())), bd.family()).ruleset();
      List<Finding> leaks = KillswitchAudit.audit(List.of(rs), AuditOptions.defaults()).stream()
          .filter(f -> f.file().equals("boundary") && !f.traffic().isEmpty()).toList();
      assertEquals(1, leaks.size(), bd + ": " + leaks);
      Finding f = leaks.get(0);
      if ((f.category() == Category.LINK_LOCAL) != bd.linkLocal()) wrong.add(bd + ": audit says " + f.category());
      Witness w = f.witness().orElseThrow(() -> new AssertionError(bd + ": no witness"));
      probes.put(new Probe(bd.family(), "udp", bd.address(), 5000, "eth0"), bd);
      probes.put(new Probe(w.family(), w.proto(), w.dst(), w.dport(), w.oif()), bd);
    }
    // one ruleset per family that accepts every boundary address: one load and one send for all
    Map<Family, List<String>> addresses = new LinkedHashMap<>();
    for (Boundary bd : BOUNDARIES) addresses.computeIfAbsent(bd.family(), k -> new ArrayList<>()).add(bd.address());
    try (PacketOracle oracle = PacketOracle.create(List.of("eth0", "tun0"))) {
      Map<Probe, Boolean> sent = oracle.run(Optional.of(rules(Family.IPV4, addresses.get(Family.IPV4))),
          Optional.of(rules(Family.IPV6, addresses.get(Family.IPV6))), new ArrayList<>(probes.keySet()));
      probes.forEach((p, bd) -> {
        if (!sent.get(p)) wrong.add(bd + ": the kernel did not send " + p.traceLine());
      });
    }
    assertEquals(List.of(), wrong);
  }

  /** OUTPUT drops all but the tunnel and UDP to the given addresses out of eth0. */
  private static String rules(Family f, List<String> addresses) {
    String prefix = f == Family.IPV4 ? "/32" : "/128";
    StringBuilder sb = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -o tun0 -j ACCEPT\n");
    for (String a : addresses) sb.append("-A OUTPUT -o eth0 -d ").append(a).append(prefix).append(" -p udp -j ACCEPT\n");
    return sb.append("COMMIT\n").toString();
  }
}
