package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ksaudit.analysis.Reachability;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;

/**
 * unreachable-rule and shadowed-rule name the rule that really takes the packets. Expectations
 * are stated from the rules of docker-user-drop.v4: FORWARD jumps to DOCKER-USER first (line
 * 24), whose DROP (line 43) takes every forwarded packet, so Docker's FORWARD rules on lines
 * 26-34 and DOCKER-USER's RETURN (45) never take effect, each because of line 43; the
 * isolation chains are only entered from dead rules (first rules on lines 38 and 41).
 */
class DeadRuleBlameTest {
  static final String FIXTURE = "testdata/killswitches/docker-user-drop.v4";

  static Ruleset fixture() throws Exception {
    return RulesetParser.parse(FIXTURE, Files.readString(Path.of(FIXTURE)), Family.IPV4).ruleset();
  }

  @Test
  void dockersRulesAreBlamedOnTheDropInDockerUser() throws Exception {
    Ruleset rs = fixture();
    Map<Integer, String> found = new TreeMap<>();
    for (Finding f : KillswitchAudit.audit(List.of(rs), AuditOptions.defaults())) {
      if (f.kind() == FindingKind.RULESET && (f.id().equals("KS108") || f.id().equals("KS109"))) {
        found.put(f.line().orElseThrow(), f.id() + " " + f.message());
      }
    }
    Map<Integer, String> ids = new TreeMap<>();
    found.forEach((line, text) -> ids.put(line, text.substring(0, 5)));
    assertEquals(Map.of(26, "KS109", 28, "KS109", 30, "KS109", 32, "KS109", 34, "KS109", 45, "KS109", 38, "KS108", 41, "KS108"),
        ids, found.toString());
    for (int line : List.of(26, 28, 30, 32, 34)) {
      assertTrue(found.get(line).contains("the rule at line 43 (chain DOCKER-USER) takes its packets"), found.get(line));
    }
    assertTrue(found.get(45).contains("the rule at line 43 takes its packets"), found.get(45));
  }

  @Test
  void theAnalysisNamesTheTakerAndItsChain() throws Exception {
    RulesetAnalysis a = new RulesetAnalysis(fixture(), List.of(), List.of("eth0"));
    for (Reachability.Dead d : a.reachability().dead()) {
      if (d.chainUnused()) continue;
      assertEquals(43, d.by().orElseThrow().pos().line(), "line " + d.rule().pos().line());
      assertEquals("DOCKER-USER", d.byChain().orElseThrow().name());
    }
  }

  @Test
  void aBlanketRuleIsNamedRatherThanTheLoopbackRuleBeforeIt() {
    // lo's share of "! -o tun0" DNS is kept by line 5; all the rest by the blanket ACCEPT on line 6
    String text = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n"
        + "-A OUTPUT -j ACCEPT\n-A OUTPUT ! -o tun0 -p udp -m udp --dport 53 -j DROP\nCOMMIT\n";
    Ruleset rs = RulesetParser.parse("s.v4", text, Family.IPV4).ruleset();
    Reachability.Dead d = new RulesetAnalysis(rs, List.of(), List.of("eth0")).reachability().dead().get(0);
    assertEquals(7, d.rule().pos().line());
    assertEquals(6, d.by().orElseThrow().pos().line());
  }
}
