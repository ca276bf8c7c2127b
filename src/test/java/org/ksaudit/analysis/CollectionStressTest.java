package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;

/**
 * With the node store collected at every safe point of the engine, results are what they are
 * without collections: proof that the engine registers every set it still needs as a root.
 */
class CollectionStressTest {
  @BeforeEach
  void collectAlways() {
    System.setProperty("ksaudit.bdd.collectEvery", "0");
  }

  @AfterEach
  void collectNormally() {
    System.clearProperty("ksaudit.bdd.collectEvery");
  }

  @Test
  void verdictsSurviveCollections() {
    Random rnd = new Random(99);
    int compared = 0;
    for (int i = 0; i < 20; i++) {
      String text = new RandomRulesets(rnd, Family.IPV4, i % 3 == 0).generate();
      Ruleset rs = TestRules.parse("stress" + i + ".v4", text, Family.IPV4);
      RulesetAnalysis a = new RulesetAnalysis(rs, TestRules.TUNNELS, RandomRulesets.INTERFACES);
      List<BigInteger> addrs = new ArrayList<>(a.mentions().addresses());
      for (int k = 0; k < 15; k++) {
        Packet p = EngineAgreesWithInterpreterTest.randomPacket(rnd, Family.IPV4, addrs);
        ConcreteInterpreter.Result c = new ConcreteInterpreter(rs, UnknownOracle.NONE).run(Path.OUTPUT, p);
        SetEngine.Outcome o = a.engine().run(Path.OUTPUT, a.space().point(p), SetEngine.Routing.FIXED, Recorder.NONE);
        Set<Verdict> possible = EnumSet.noneOf(Verdict.class);
        for (Verdict v : Verdict.values()) if (o.get(v) != Bdd.FALSE) possible.add(v);
        assertTrue(possible.contains(c.verdict()), text + p.describe() + " " + c.verdict() + " vs " + possible);
        compared++;
      }
      // a whole leak analysis and reachability under constant collection, then checked against a fresh one
      // a set held across an engine run must be a root: reachability runs first, then the leaks are read
      a.reachability();
      int leaks = a.space().possibly(a.leaks(Path.OUTPUT).get(Verdict.ACCEPT));
      System.clearProperty("ksaudit.bdd.collectEvery");
      RulesetAnalysis fresh = new RulesetAnalysis(rs, TestRules.TUNNELS, RandomRulesets.INTERFACES);
      int expected = fresh.space().possibly(fresh.leaks(Path.OUTPUT).get(Verdict.ACCEPT));
      assertEquals(fresh.leaks(Path.OUTPUT).acceptedBy().keySet(), a.leaks(Path.OUTPUT).acceptedBy().keySet(), text);
      for (int k = 0; k < 300; k++) {
        boolean[] asg = new boolean[Math.max(a.space().bdd().varCount(), fresh.space().bdd().varCount())];
        for (int v = 0; v < asg.length; v++) asg[v] = rnd.nextBoolean();
        // the scenario's constants make random assignments miss; steer half of them into the start set
        if (k % 2 == 0) asg = fresh.space().bdd().anySat(fresh.space().bdd().and(fresh.space().valid(),
            fresh.outputStart()));
        assertEquals(fresh.space().bdd().eval(expected, asg), a.space().bdd().eval(leaks, asg), text);
      }
      assertEquals(fresh.reachability().dead().size(), a.reachability().dead().size(), text);
      System.setProperty("ksaudit.bdd.collectEvery", "0");
    }
    assertEquals(300, compared);
  }
}
