package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;

/**
 * The field a packet space puts first: the one a chain tells the most values apart by, the
 * destination unless another has more; a chain of source allowances then costs a few nodes a
 * rule; and which field leads changes no member a space picks.
 */
class LeadingFieldTest {
  private static final String HEAD = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
      + "-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -d 192.168.1.0/24 -j ACCEPT\n-A OUTPUT -d 10.45.16.1 -j ACCEPT\n"
      + "-A OUTPUT -p udp -m udp --dport 1194 -j ACCEPT\n-A OUTPUT -o tun0 -j ACCEPT\n";

  /** The seed article's OUTPUT rules, then {@code n} rules of {@code format} (one %d: 1 to n). */
  private static Ruleset rules(int n, String format) {
    return rules(n, i -> String.format(format, i));
  }

  private static Ruleset rules(int n, java.util.function.IntFunction<String> rule) {
    StringBuilder sb = new StringBuilder(HEAD);
    for (int i = 1; i <= n; i++) sb.append(rule.apply(i)).append('\n');
    return TestRules.parse("lead", sb.append("COMMIT\n").toString(), Family.IPV4);
  }

  private static PacketField lead(Ruleset rs) {
    return LeadingField.of(List.of(new RuleDecoding(rs)));
  }

  @Test
  void theFieldOneChainTellsMostValuesApartByLeads() {
    assertEquals(PacketField.DST, lead(rules(0, "")), "two destinations, one port, two protocols: the destination");
    assertEquals(PacketField.SRC, lead(rules(3, "-A OUTPUT -s 10.0.0.%d -j ACCEPT")));
    assertEquals(PacketField.DPORT, lead(rules(3, "-A OUTPUT -p tcp --dport %d -j ACCEPT")));
    assertEquals(PacketField.UID, lead(rules(3, "-A OUTPUT -m owner --uid-owner %d -j ACCEPT")));
    // two distinct sources tie with the two destinations: the destination keeps the lead
    assertEquals(PacketField.DST, lead(rules(2, "-A OUTPUT -s 10.0.0.%d -j ACCEPT")));
    // the same source in every rule is one value
    assertEquals(PacketField.DST, lead(rules(5, "-A OUTPUT -s 10.0.0.1 -p tcp --dport 22 -m comment --comment r%d -j ACCEPT")));
  }

  @Test
  void aSourceTestPerChainLeavesTheDispatchOnTheDestination() {
    // kube-proxy's shape: one destination per rule of a dispatch chain, one source test in each endpoint's chain
    StringBuilder sb = new StringBuilder("*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:SERVICES - [0:0]\n");
    for (int i = 1; i <= 5; i++) sb.append(":SEP").append(i).append(" - [0:0]\n");
    sb.append("-A OUTPUT -j SERVICES\n");
    for (int i = 1; i <= 5; i++) {
      sb.append("-A SERVICES -d 10.96.0.").append(i).append(" -p tcp --dport 80 -j SEP").append(i).append('\n');
      sb.append("-A SEP").append(i).append(" -s 10.244.0.").append(i).append(" -j MARK --set-xmark 0x4000/0x4000\n");
      sb.append("-A SEP").append(i).append(" -p tcp -j DNAT --to-destination 10.244.0.").append(i).append(":8080\n");
    }
    Ruleset rs = TestRules.parse("kube", sb.append("COMMIT\n").toString(), Family.IPV4);
    assertEquals(PacketField.DST, lead(rs));
  }

  @Test
  void sourceAllowancesCostAFewNodesEach() {
    // with the source below the destination, ports and protocol, each rule rebuilt about 1,200
    // nodes of the unmatched set's diagram (measured: 1,270 a rule over 2,000 rules)
    int n = 500;
    RulesetAnalysis a = TestRules.analysis(rules(n, i -> "-A OUTPUT -s 10.0." + i / 256 + "." + i % 256 + " -j ACCEPT"));
    a.walk(Path.OUTPUT);
    int perRule = a.storeSize() / n;
    assertTrue(perRule < 300, "nodes a rule: " + perRule);
  }

  @Test
  void whicheverFieldLeadsTheSameMemberIsPicked() {
    InterfaceUniverse u = InterfaceUniverse.of(List.of(new InterfaceName("tun+"), new InterfaceName("eth0")),
        List.of("eth0", "wlan0"));
    Random rnd = new Random(20261205L);
    for (PacketField lead : LeadingField.CANDIDATES) {
      PacketSpace usual = new PacketSpace(Family.IPV4, u, 0xffL, PacketField.DST);
      PacketSpace led = new PacketSpace(Family.IPV4, u, 0xffL, lead);
      if (lead != PacketField.DST) {
        assertEquals(usual.read(usual.bdd().anySat(crossed(usual, lead))), led.read(led.first(crossed(led, lead))), lead + " leads");
      }
      long seed = rnd.nextLong();
      for (int i = 0; i < 10; i++) {
        boolean[] a = usual.bdd().anySat(correlated(usual, new Random(seed + i)));
        boolean[] b = led.first(correlated(led, new Random(seed + i)));
        assertEquals(usual.read(a), led.read(b), lead + " leads, set " + i);
        assertEquals(usual.readUnknowns(a), led.readUnknowns(b), lead + " leads, set " + i);
      }
    }
  }

  /**
   * Two packets: one with the smaller destination, one with the smaller value of {@code f}.
   * A space led by {@code f} that picked its own smallest member would pick the second.
   */
  private static int crossed(PacketSpace s, PacketField f) {
    Bdd b = s.bdd();
    BitField field = s.field(f);
    BigInteger half = BigInteger.ONE.shiftLeft(field.bits() - 1);
    int lowDst = s.dst.atMost(BigInteger.ONE.shiftLeft(31).subtract(BigInteger.ONE));
    int lowF = field.atMost(half.subtract(BigInteger.ONE));
    return b.or(b.diff(lowDst, lowF), b.diff(lowF, lowDst));
  }

  /**
   * A union of a few boxes over every candidate field, with an unknown: members whose fields
   * depend on each other. Short prefixes, so that the boxes overlap in every field and the
   * first field does not decide the box.
   */
  private static int correlated(PacketSpace s, Random rnd) {
    Bdd b = s.bdd();
    int unknown = b.ithVar(s.unknown(new UnknownKey(null, UnknownKey.VERDICT, "test")));
    int out = Bdd.FALSE;
    for (int k = 0, n = 2 + rnd.nextInt(3); k < n; k++) {
      int box = rnd.nextBoolean() ? unknown : b.not(unknown);
      box = b.and(box, s.cidr(s.dst, new Cidr(Family.IPV4, BigInteger.valueOf(rnd.nextInt() & 0xffffffffL), rnd.nextInt(3))));
      box = b.and(box, s.cidr(s.src, new Cidr(Family.IPV4, BigInteger.valueOf(rnd.nextInt() & 0xffffffffL), rnd.nextInt(3))));
      box = b.and(box, s.dport.range(rnd.nextInt(1000), 1000 + rnd.nextInt(1000)));
      box = b.and(box, s.sport.range(rnd.nextInt(1000), 1000 + rnd.nextInt(1000)));
      box = b.and(box, s.proto.range(rnd.nextInt(20), 20 + rnd.nextInt(20)));
      box = b.and(box, s.icmpType.range(rnd.nextInt(100), 100 + rnd.nextInt(100)));
      box = b.and(box, s.tcpFlags.masked(BigInteger.valueOf(rnd.nextInt(256)), BigInteger.valueOf(rnd.nextInt(256))));
      box = b.and(box, s.uid.range(rnd.nextInt(1000), 1000 + rnd.nextInt(1000)));
      box = b.and(box, s.gid.range(rnd.nextInt(1000), 1000 + rnd.nextInt(1000)));
      box = b.and(box, s.mark.masked(BigInteger.valueOf(rnd.nextInt(256)), BigInteger.valueOf(rnd.nextInt(256))));
      box = b.and(box, s.dst.sameAs(s.origDst));
      out = b.or(out, box);
    }
    return out;
  }
}
