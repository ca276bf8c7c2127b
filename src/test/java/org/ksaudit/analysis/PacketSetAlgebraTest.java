package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;

/**
 * Laws of the packet-set algebra, on random sets built the way the engine builds them
 * (prefixes, ranges, masked values, interface classes), with a fixed seed. BDDs are
 * canonical, so equal sets must be the same handle; membership of random packets must follow
 * the boolean operations.
 */
class PacketSetAlgebraTest {
  private static final int ROUNDS = 400;

  private final Random rnd = new Random(20240611L);
  private final PacketSpace s = new PacketSpace(Family.IPV4, InterfaceUniverse.of(
      List.of(new InterfaceName("tun+"), new InterfaceName("eth0"), new InterfaceName("lo")), List.of("eth0", "wlan0")));
  private final Bdd b = s.bdd();

  private int randomAtom() {
    switch (rnd.nextInt(7)) {
      case 0 -> {
        int len = rnd.nextInt(33);
        return s.cidr(s.dst, new Cidr(Family.IPV4, BigInteger.valueOf(rnd.nextInt() & 0xffffffffL), len));
      }
      case 1 -> {
        int a = rnd.nextInt(65536);
        int c = rnd.nextInt(65536);
        return s.dport.range(Math.min(a, c), Math.max(a, c));
      }
      case 2 -> {
        return s.proto.eq(List.of(6, 17, 1, 47).get(rnd.nextInt(4)));
      }
      case 3 -> {
        long v = rnd.nextInt() & 0xffffffffL;
        long m = rnd.nextInt() & 0xffffffffL;
        return s.mark.masked(BigInteger.valueOf(v & m), BigInteger.valueOf(m));
      }
      case 4 -> {
        return s.oifIn(List.of(rnd.nextInt(s.interfaces().size())));
      }
      case 5 -> {
        return s.stateIn(List.of(ConnState.values()[rnd.nextInt(ConnState.values().length)]));
      }
      default -> {
        return s.uid.range(rnd.nextInt(2000), 2000 + rnd.nextInt(2000));
      }
    }
  }

  private int randomSet(int depth) {
    if (depth == 0 || rnd.nextInt(3) == 0) return randomAtom();
    int x = randomSet(depth - 1);
    int y = randomSet(depth - 1);
    return switch (rnd.nextInt(4)) {
      case 0 -> b.and(x, y);
      case 1 -> b.or(x, y);
      case 2 -> b.diff(x, y);
      default -> b.not(x);
    };
  }

  private boolean[] randomAssignment() {
    boolean[] a = new boolean[b.varCount()];
    for (int i = 0; i < a.length; i++) a[i] = rnd.nextBoolean();
    return a;
  }

  @Test
  void latticeLawsHold() {
    for (int i = 0; i < ROUNDS; i++) {
      int x = randomSet(3);
      int y = randomSet(3);
      int z = randomSet(3);
      assertEquals(b.and(x, y), b.and(y, x), "and commutes");
      assertEquals(b.or(x, y), b.or(y, x), "or commutes");
      assertEquals(b.and(x, b.and(y, z)), b.and(b.and(x, y), z), "and associates");
      assertEquals(b.or(x, b.or(y, z)), b.or(b.or(x, y), z), "or associates");
      assertEquals(b.and(x, b.or(y, z)), b.or(b.and(x, y), b.and(x, z)), "and distributes over or");
      assertEquals(b.or(x, b.and(y, z)), b.and(b.or(x, y), b.or(x, z)), "or distributes over and");
      assertEquals(b.not(b.and(x, y)), b.or(b.not(x), b.not(y)), "De Morgan");
      assertEquals(b.not(b.or(x, y)), b.and(b.not(x), b.not(y)), "De Morgan");
      assertEquals(x, b.not(b.not(x)), "double negation");
      assertEquals(b.diff(x, y), b.and(x, b.not(y)), "difference is and-not");
      assertEquals(b.diff(b.or(x, y), y), b.diff(x, y), "(x or y) minus y");
      assertEquals(Bdd.FALSE, b.and(b.diff(x, y), y), "difference is disjoint from what was removed");
      assertEquals(x, b.or(b.diff(x, y), b.and(x, y)), "x splits into x-y and x&y");
      assertEquals(x, b.and(x, b.or(x, y)), "absorption");
      assertEquals(x, b.or(x, b.and(x, y)), "absorption");
      assertEquals(b.xor(x, y), b.or(b.diff(x, y), b.diff(y, x)), "xor is symmetric difference");
      assertTrue(b.subset(b.and(x, y), x), "intersection is a subset");
      assertTrue(b.subset(x, b.or(x, y)), "a set is a subset of a union");
    }
  }

  @Test
  void splitIsIntersectionAndDifference() {
    for (int i = 0; i < ROUNDS; i++) {
      int x = randomSet(3);
      int y = i % 10 == 0 ? x : randomSet(3);
      // alternate a cold cache (split first) and a warm one (and/diff first) to cover both paths
      long parts;
      if (i % 2 == 0) {
        parts = b.split(x, y);
        assertEquals(b.and(x, y), Bdd.inside(parts));
        assertEquals(b.diff(x, y), Bdd.outside(parts));
      } else {
        int and = b.and(x, y);
        int diff = b.diff(x, y);
        parts = b.split(x, y);
        assertEquals(and, Bdd.inside(parts));
        assertEquals(diff, Bdd.outside(parts));
      }
      assertEquals(x, b.or(Bdd.inside(parts), Bdd.outside(parts)));
    }
    for (int t : new int[] {Bdd.FALSE, Bdd.TRUE}) {
      int x = randomSet(2);
      assertEquals(b.and(x, t), Bdd.inside(b.split(x, t)));
      assertEquals(b.diff(x, t), Bdd.outside(b.split(x, t)));
      assertEquals(b.and(t, x), Bdd.inside(b.split(t, x)));
      assertEquals(b.diff(t, x), Bdd.outside(b.split(t, x)));
    }
  }

  @Test
  void replaceIsQuantifyThenIntersect() {
    for (int i = 0; i < ROUNDS; i++) {
      int x = randomSet(3);
      int r = s.oifIn(List.of(rnd.nextInt(s.interfaces().size()), rnd.nextInt(s.interfaces().size())));
      if (i % 7 == 0) r = Bdd.TRUE;
      assertEquals(b.and(s.oif.forget(x), r), b.replace(x, s.oif.varSet(), r));
    }
  }

  @Test
  void quantifiersAreDual() {
    for (int i = 0; i < ROUNDS / 4; i++) {
      int x = randomSet(3);
      Bdd.VarSet dst = Bdd.VarSet.of(varsOf(s.dst));
      assertEquals(b.forall(x, dst), b.not(b.exists(b.not(x), dst)), "forall is not-exists-not");
      assertTrue(b.subset(b.forall(x, dst), x), "forall shrinks");
      assertTrue(b.subset(x, b.exists(x, dst)), "exists grows");
      assertEquals(b.exists(x, dst), s.dst.forget(x), "forget is exists");
      int y = randomSet(3);
      assertEquals(b.exists(b.or(x, y), dst), b.or(b.exists(x, dst), b.exists(y, dst)), "exists distributes over or");
      assertEquals(b.forall(b.and(x, y), dst), b.and(b.forall(x, dst), b.forall(y, dst)), "forall distributes over and");
      assertEquals(x == Bdd.FALSE, b.exists(x, dst) == Bdd.FALSE, "exists keeps emptiness");
    }
  }

  @Test
  void projectionForgetsEveryOtherField() {
    List<BitField> fields = List.of(s.dst, s.dport, s.proto, s.mark, s.oif, s.state, s.uid);
    for (int i = 0; i < ROUNDS / 4; i++) {
      int x = randomSet(3);
      BitField a = fields.get(rnd.nextInt(fields.size()));
      BitField c = fields.get(rnd.nextInt(fields.size()));
      int expected = x;
      for (int v = 0; v < b.varCount(); v++) {
        if (!a.varSet().contains(v) && !c.varSet().contains(v)) expected = b.exists(expected, Bdd.VarSet.of(new int[] {v}));
      }
      assertEquals(expected, s.project(x, a, c), "projection onto " + a + " and " + c);
      assertEquals(a.project(x), a.project(a.project(x)), "projection is idempotent");
    }
  }

  private static int[] varsOf(BitField f) {
    int[] v = new int[f.bits()];
    for (int i = 0; i < v.length; i++) v[i] = f.var(i);
    return v;
  }

  @Test
  void membershipFollowsTheOperations() {
    for (int i = 0; i < ROUNDS; i++) {
      int x = randomSet(3);
      int y = randomSet(3);
      for (int k = 0; k < 20; k++) {
        boolean[] a = randomAssignment();
        boolean inX = b.eval(x, a);
        boolean inY = b.eval(y, a);
        assertEquals(inX && inY, b.eval(b.and(x, y), a));
        assertEquals(inX || inY, b.eval(b.or(x, y), a));
        assertEquals(inX && !inY, b.eval(b.diff(x, y), a));
        assertEquals(!inX, b.eval(b.not(x), a));
      }
    }
  }

  @Test
  void constructorsMeanWhatTheySay() {
    for (int i = 0; i < ROUNDS; i++) {
      long lo = rnd.nextInt(65536);
      // every fourth range is a single port (the path for one value), some past the field's width
      long hi = i % 4 == 0 ? lo : rnd.nextInt(65536);
      int range = s.dport.range(lo, hi);
      if (i % 8 == 0) assertEquals(Bdd.FALSE, s.dport.range(65536 + lo, 65536 + lo), "a port past 16 bits");
      Cidr c = new Cidr(Family.IPV4, BigInteger.valueOf(rnd.nextInt() & 0xffffffffL), rnd.nextInt(33));
      int prefix = s.cidr(s.dst, c);
      long mv = rnd.nextInt() & 0xffffffffL;
      long mm = rnd.nextInt() & 0xffffffffL;
      int masked = s.mark.masked(BigInteger.valueOf(mv & mm), BigInteger.valueOf(mm));
      for (int k = 0; k < 20; k++) {
        boolean[] a = randomAssignment();
        long port = s.dport.readLong(a);
        assertEquals(port >= lo && port <= hi, b.eval(range, a), "range " + lo + ".." + hi + " at " + port);
        assertEquals(c.contains(s.dst.read(a)), b.eval(prefix, a), "prefix " + c);
        long mark = s.mark.readLong(a);
        assertEquals((mark & mm) == (mv & mm), b.eval(masked, a), "mark/mask");
      }
      if (range != Bdd.FALSE) {
        assertEquals(lo, s.dport.min(range).longValue(), "min of a range");
        assertEquals(hi, s.dport.max(range).longValue(), "max of a range");
      }
    }
  }

  @Test
  void aPointHoldsExactlyItsPacket() {
    Packet p = TestRules.out(Family.IPV4, "udp", "10.45.16.1", 53, "eth0");
    int point = s.point(p);
    boolean[] a = b.anySat(point);
    // a set holds header fields only: the packet read back has no shape (length, TTL, TCP options)
    assertEquals(p.withShape(Optional.empty()), s.readOriginal(a));
    assertEquals(Bdd.FALSE, b.and(point, s.dport.eq(54)));
    assertEquals(point, b.and(point, s.valid()));
  }

  /**
   * A space that keeps only the mark bits rules test (here 0x4000 and 0x8000): the other bits
   * are free in every set, equality and value/mask look at the kept bits only, a left-out bit
   * reads as 0 and counts as 1 for the largest value, and ranges (which would need every bit)
   * are refused.
   */
  @Test
  void marksKeepOnlyTheTestedBits() {
    PacketSpace k = new PacketSpace(Family.IPV4, s.interfaces(), 0xc000L);
    Bdd kb = k.bdd();
    assertEquals(k.mark.eq(0xc000L), k.mark.eq(0x1234c000L));
    assertEquals(k.mark.eq(0x4000L), k.mark.masked(BigInteger.valueOf(0x4000L), BigInteger.valueOf(0xc000L)));
    assertEquals(Bdd.FALSE, kb.and(k.mark.eq(0x4000L), k.mark.eq(0x8000L)));
    assertEquals(BigInteger.valueOf(0x4000L), k.mark.min(k.mark.eq(0x4000L)));
    assertEquals(BigInteger.valueOf(0xffff7fffL), k.mark.max(k.mark.eq(0x4000L)));
    Packet marked = TestRules.out(Family.IPV4, "udp", "10.45.16.1", 53, "eth0").withMark(0x1234c001L);
    assertEquals(0xc000L, k.read(kb.anySat(k.point(marked))).mark());
    assertEquals(Bdd.TRUE, k.mark.forget(k.mark.eq(0x4000L)));
    assertThrows(IllegalStateException.class, () -> k.mark.range(0, 5));
    assertEquals(0xc000L, new RulesetAnalysis(TestRules.parse("kube-marks.v4", """
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A OUTPUT -m mark --mark 0x8000/0x8000 -j DROP
        -A OUTPUT -m connmark --mark 0x4000/0x4000 -j ACCEPT
        COMMIT
        """, Family.IPV4), TestRules.TUNNELS, TestRules.LAB_INTERFACES).space().markBits());
  }
}
