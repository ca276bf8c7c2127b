package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.IpText;

/**
 * The set engine, run on the set holding one packet, gives the verdict the concrete
 * interpreter gives that packet: on random rulesets over every OUTPUT table, for random
 * packets at the rules' boundaries (fixed seed). With matches the engine cannot interpret,
 * the concrete verdict (unknown matches failing) must be one of the engine's possible ones.
 */
class EngineAgreesWithInterpreterTest {
  private static final int RULESETS = 100;
  private static final int PACKETS = 30;

  @Test
  void singlePacketVerdictsAgreeIPv4() {
    check(Family.IPV4, false, 11);
  }

  @Test
  void singlePacketVerdictsAgreeIPv6() {
    check(Family.IPV6, false, 12);
  }

  @Test
  void concreteVerdictIsAmongPossibleOnesWithUnknownMatches() {
    check(Family.IPV4, true, 13);
  }

  private void check(Family f, boolean unknowns, long seed) {
    Random rnd = new Random(seed);
    int compared = 0;
    for (int i = 0; i < RULESETS; i++) {
      String text = new RandomRulesets(rnd, f, unknowns).generate();
      Ruleset rs = TestRules.parse("random" + i + (f == Family.IPV4 ? ".v4" : ".v6"), text, f);
      RulesetAnalysis a = new RulesetAnalysis(rs, TestRules.TUNNELS, RandomRulesets.INTERFACES);
      List<BigInteger> addrs = new ArrayList<>(a.mentions().addresses());
      for (int k = 0; k < PACKETS; k++) {
        Packet p = randomPacket(rnd, f, addrs);
        ConcreteInterpreter.Result c = new ConcreteInterpreter(rs, UnknownOracle.NONE).run(Path.OUTPUT, p);
        SetEngine.Outcome o = a.engine().run(Path.OUTPUT, a.space().point(p), SetEngine.Routing.FIXED, Recorder.NONE);
        Set<Verdict> possible = EnumSet.noneOf(Verdict.class);
        for (Verdict v : Verdict.values()) if (o.get(v) != Bdd.FALSE) possible.add(v);
        String where = "ruleset:\n" + text + "packet: " + p.describe() + "\nconcrete: " + c.verdict() + " " + c.steps();
        assertTrue(possible.contains(c.verdict()), where + "\nengine: " + possible);
        if (!unknowns && !c.metUnknown()) assertEquals(EnumSet.of(c.verdict()), possible, where);
        compared++;
      }
    }
    assertEquals(RULESETS * PACKETS, compared);
  }

  static Packet randomPacket(Random rnd, Family f, List<BigInteger> addrs) {
    String proto = List.of("tcp", "udp", "icmp").get(rnd.nextInt(3));
    BigInteger dst;
    if (!addrs.isEmpty() && rnd.nextInt(4) != 0) {
      dst = addrs.get(rnd.nextInt(addrs.size())).add(BigInteger.valueOf(rnd.nextInt(3) - 1));
      BigInteger max = BigInteger.ONE.shiftLeft(f.bits()).subtract(BigInteger.ONE);
      if (dst.signum() < 0) dst = BigInteger.ZERO;
      if (dst.compareTo(max) > 0) dst = max;
    } else {
      dst = new BigInteger(f.bits(), rnd);
    }
    int port = List.of(53, 52, 54, 443, 1194, 1000, 2000, 2001, 999, 51820, 80, rnd.nextInt(65536)).get(rnd.nextInt(12));
    String oif = RandomRulesets.INTERFACES.get(rnd.nextInt(RandomRulesets.INTERFACES.size()));
    BigInteger src = f == Family.IPV4 ? TestRules.SRC4 : TestRules.SRC6;
    Packet p = Packet.outgoing(f, proto, src, dst, 40000, port, oif);
    p = p.withState(ConnState.values()[rnd.nextInt(4)]);
    p = p.withOwner(List.of(0L, 1000L, 1500L, 3000L).get(rnd.nextInt(4)), 0);
    p = p.withMark(List.of(0L, 1L, 0xca6cL, 0x4000L, 3L).get(rnd.nextInt(5)));
    p = p.withCtmark(List.of(0L, 5L, 1L).get(rnd.nextInt(3)));
    return p;
  }

  static String text(Family f, BigInteger a) {
    return IpText.format(f, a);
  }
}
