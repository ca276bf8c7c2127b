package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.SourcePos;

/**
 * What the first packet of a local connection determines, on the cases the kernel test
 * (RareModuleKernelTest) cannot send or that hinge on one kernel detail. Each expectation is
 * a stated kernel fact: measured in a namespace (multicast TTL 1) or read from the extension
 * (xt_connbytes' single-value range, libxt_connbytes' open upper end).
 */
class FirstPacketTest {
  private static final UnknownKey KEY = new UnknownKey(new SourcePos("t.v4", 1, 1), 0, "-m connbytes");

  static Ruleset v4(String filterRules) {
    return TestRules.parse("t.v4", "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n" + filterRules
        + "COMMIT\n", Family.IPV4);
  }

  static Tracer.Traced trace(Ruleset rs, Packet p) {
    return new Tracer(Optional.of(rs), List.of("eth0")).trace(p);
  }

  @Test
  void aMulticastProbeLeavesWithTtlOne() {
    Ruleset rs = v4("-A OUTPUT -m ttl --ttl-eq 1 -j ACCEPT\n");
    Tracer.Traced group = trace(rs, TestRules.out(Family.IPV4, "udp", "239.1.1.1", 5000, "eth0"));
    assertEquals(Verdict.ACCEPT, group.verdict());
    assertTrue(group.certain());
    Tracer.Traced host = trace(rs, TestRules.out(Family.IPV4, "udp", "203.0.113.1", 5000, "eth0"));
    assertEquals(Verdict.DROP, host.verdict());
    assertTrue(host.certain());
  }

  @Test
  void aConnectionIsInStateDnatOnlyWhereANatTargetCouldRewriteItsDestination() {
    // measured in a namespace, both backends: without a DNAT rule "--ctstate DNAT -j ACCEPT" lets
    // nothing out (sendto: EPERM), with "-t nat -A OUTPUT ... -j DNAT" it lets the rewritten packet out
    String accept = "-A OUTPUT -m conntrack --ctstate DNAT -j ACCEPT\n";
    Tracer.Traced none = trace(v4(accept), TestRules.out(Family.IPV4, "udp", "192.0.2.2", 9, "eth0"));
    assertEquals(Verdict.DROP, none.verdict());
    assertTrue(none.certain());
    Ruleset masquerade = TestRules.parse("t.v4", "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n"
        + "*filter\n:OUTPUT DROP [0:0]\n" + accept + "COMMIT\n", Family.IPV4);
    assertTrue(trace(masquerade, TestRules.out(Family.IPV4, "udp", "192.0.2.2", 9, "eth0")).certain());
    Ruleset dnat = TestRules.parse("t.v4", "*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -d 192.0.2.2/32 -p udp -j DNAT --to-destination 192.0.2.3\n"
        + "COMMIT\n*filter\n:OUTPUT DROP [0:0]\n" + accept + "COMMIT\n", Family.IPV4);
    assertFalse(trace(dnat, TestRules.out(Family.IPV4, "udp", "192.0.2.2", 9, "eth0")).certain());
  }

  @Test
  void aSingleConnbytesValueIsAnOpenRange() {
    // "--connbytes 1" is 1 and above: the first packet (count 1) matches; "--connbytes 2" does not
    Ruleset rs = v4("-A OUTPUT -d 203.0.113.1 -m connbytes --connbytes 1 --connbytes-dir original --connbytes-mode packets -j ACCEPT\n"
        + "-A OUTPUT -d 203.0.113.2 -m connbytes --connbytes 2 --connbytes-dir original --connbytes-mode packets -j ACCEPT\n");
    assertEquals(Verdict.ACCEPT, trace(rs, TestRules.out(Family.IPV4, "udp", "203.0.113.1", 53, "eth0")).verdict());
    assertEquals(Verdict.DROP, trace(rs, TestRules.out(Family.IPV4, "udp", "203.0.113.2", 53, "eth0")).verdict());
  }

  @Test
  void aNegatedConnbytesRangeOfOneValueStillTestsEquality() {
    Condition.ConnBytesIn one = new Condition.ConnBytesIn(Condition.ConnBytesIn.Counter.PACKETS,
        Condition.ConnBytesIn.Direction.ORIGINAL, 5, 5, true, false, KEY);
    assertTrue(one.holds(5));
    assertFalse(one.holds(4));
    Condition.ConnBytesIn range = new Condition.ConnBytesIn(Condition.ConnBytesIn.Counter.PACKETS,
        Condition.ConnBytesIn.Direction.ORIGINAL, 2, 5, true, false, KEY);
    assertTrue(range.holds(1));
    assertFalse(range.holds(3));
    assertTrue(range.holds(6));
  }

  @Test
  void receivedPacketsKeepTheirLinkTypeOpen() {
    // before routing a packet may be a broadcast: this rule is not dead, and the engine leaves it open
    Ruleset rs = TestRules.parse("t.v4", "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
        + "-A INPUT -m pkttype --pkt-type broadcast -j DROP\n-A OUTPUT -m pkttype --pkt-type broadcast -j DROP\nCOMMIT\n", Family.IPV4);
    RulesetAnalysis a = new RulesetAnalysis(rs, TestRules.TUNNELS, List.of("eth0"));
    List<Integer> dead = a.reachability().dead().stream().map(d -> d.rule().pos().line()).toList();
    // OUTPUT's rule never matches (every packet leaving the host is "host"); INPUT's may
    assertEquals(List.of(6), dead);
  }
}
