package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;

class SetEngineTest {
  private static final String ARTICLE = """
      *filter
      -P INPUT DROP
      -P FORWARD DROP
      -P OUTPUT DROP
      -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      -A OUTPUT -o lo -j ACCEPT
      -A OUTPUT -o tun0 -p icmp -j ACCEPT
      -A OUTPUT -d 192.168.1.0/24 -j ACCEPT
      -A OUTPUT -d 10.45.16.1 -j ACCEPT
      -A OUTPUT -p udp -m udp --dport 1194 -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT
      COMMIT
      """;

  private static Verdict setVerdict(RulesetAnalysis a, Packet p) {
    PacketSpace s = a.space();
    SetEngine.Outcome o = a.engine().run(Path.OUTPUT, s.point(p), SetEngine.Routing.FIXED, Recorder.NONE);
    Verdict found = null;
    for (Verdict v : Verdict.values()) {
      if (o.get(v) != Bdd.FALSE) {
        assertEquals(null, found, "two verdicts for " + p.describe());
        found = v;
      }
    }
    return found;
  }

  @Test
  void articleVerdictsForSinglePackets() {
    Ruleset rs = TestRules.parse("article.v4", ARTICLE, Family.IPV4);
    RulesetAnalysis a = TestRules.analysis(rs);
    assertEquals(Verdict.ACCEPT, setVerdict(a, TestRules.out(Family.IPV4, "udp", "10.45.16.1", 53, "eth0")));
    assertEquals(Verdict.ACCEPT, setVerdict(a, TestRules.out(Family.IPV4, "udp", "203.0.113.9", 1194, "eth0")));
    assertEquals(Verdict.DROP, setVerdict(a, TestRules.out(Family.IPV4, "tcp", "203.0.113.9", 443, "eth0")));
    assertEquals(Verdict.ACCEPT, setVerdict(a, TestRules.out(Family.IPV4, "tcp", "203.0.113.9", 443, "tun0")));
    assertEquals(Verdict.ACCEPT, setVerdict(a, TestRules.out(Family.IPV4, "tcp", "192.168.1.77", 22, "wlan0")));
  }

  @Test
  void articleLeaksAreAttributedToTheirRules() {
    Ruleset rs = TestRules.parse("article.v4", ARTICLE, Family.IPV4);
    RulesetAnalysis a = TestRules.analysis(rs);
    SetEngine.Outcome o = a.leaks(Path.OUTPUT);
    Map<Decider, Integer> by = o.acceptedBy();
    assertEquals(3, by.size(), by.keySet().toString());
    for (Decider d : by.keySet()) {
      assertTrue(d.rule().isPresent());
      int line = d.rule().get().pos().line();
      assertTrue(line == 8 || line == 9 || line == 10, "line " + line);
    }
    int all = o.get(Verdict.ACCEPT);
    PacketSpace s = a.space();
    assertTrue(s.bdd().eval(all, assignment(s, TestRules.out(Family.IPV4, "udp", "10.45.16.1", 53, "eth0"))));
    assertFalse(s.bdd().eval(all, assignment(s, TestRules.out(Family.IPV4, "udp", "10.45.16.1", 53, "tun0"))));
  }

  /**
   * PREROUTING and OUTPUT send the same packets to one chain. Reachability may reuse the first
   * walk of it for the second only where the chain cannot tell the hooks apart: "-o eth0"
   * never matches before routing, so it is alive only through OUTPUT and must not be taken
   * for dead; the UDP rule is alive either way; the rule after "-j RETURN" for all is dead.
   */
  @Test
  void reachabilityWalksASharedChainAgainWhereTheHookMatters() {
    Ruleset rs = TestRules.parse("shared.v4", """
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :SHARED - [0:0]
        :PLAIN - [0:0]
        -A PREROUTING -j PLAIN
        -A PREROUTING -j SHARED
        -A OUTPUT -j PLAIN
        -A OUTPUT -j SHARED
        -A SHARED -o eth0 -j RETURN
        -A SHARED -p udp -j RETURN
        -A PLAIN -p tcp -j RETURN
        -A PLAIN -j RETURN
        -A PLAIN -p udp -j RETURN
        COMMIT
        """, Family.IPV4);
    Reachability r = TestRules.analysis(rs).reachability();
    java.util.List<Integer> dead = r.dead().stream().map(d -> d.rule().pos().line()).toList();
    assertEquals(java.util.List.of(16), dead);
  }

  static boolean[] assignment(PacketSpace s, Packet p) {
    return s.bdd().anySat(s.point(p));
  }
}
