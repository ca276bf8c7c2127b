package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;

/**
 * The packet sets the checks hold: what they answer about a field (read off the diagram)
 * equals what the set algebra computes, a set held in an open scope survives collections of
 * the store at every step, and a set of a closed scope cannot be used.
 */
class PacketSetTest {
  private final Random rnd = new Random(20261205L);

  @AfterEach
  void collectNormally() {
    System.clearProperty("ksaudit.bdd.collectEvery");
  }

  private static PacketSpace space() {
    return new PacketSpace(Family.IPV4, InterfaceUniverse.of(List.of(new InterfaceName("tun+"), new InterfaceName("eth0")),
        List.of("eth0", "wlan0")));
  }

  /** A union of a few prefixes of the destination and ranges of the port, with a protocol: the shapes leaks have. */
  private int randomSet(PacketSpace s) {
    Bdd b = s.bdd();
    int out = Bdd.FALSE;
    for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
      int len = rnd.nextInt(33);
      int dst = s.cidr(s.dst, new Cidr(Family.IPV4, BigInteger.valueOf(rnd.nextInt() & 0xffffffffL), len));
      int from = rnd.nextInt(65536);
      int to = Math.min(65535, from + rnd.nextInt(2000));
      int port = rnd.nextBoolean() ? Bdd.TRUE : s.dport.range(from, to);
      out = b.or(out, b.and(b.and(dst, port), s.proto.eq(rnd.nextBoolean() ? Packet.TCP : Packet.UDP)));
    }
    return out;
  }

  @Test
  void fieldAnswersEqualTheAlgebra() {
    PacketSpace s = space();
    Bdd b = s.bdd();
    try (SetScope scope = new SetScope(s)) {
      for (int i = 0; i < 100; i++) {
        int raw = randomSet(s);
        PacketSet set = scope.wrap(raw);
        assertEquals(s.dst.min(raw), set.min(PacketField.DST));
        assertEquals(s.dst.max(raw), set.max(PacketField.DST));
        assertEquals(s.dport.min(raw), set.min(PacketField.DPORT));
        assertEquals(s.dport.max(raw), set.max(PacketField.DPORT));
        assertEquals(prefixesByAlgebra(b, s.dst, s.dst.project(raw), 8), set.prefixes(PacketField.DST, 8));
        assertEquals(runsByAlgebra(b, s.dport, s.dport.project(raw), 4), set.runs(PacketField.DPORT, 4));
        assertEquals(runsByAlgebra(b, s.dst, s.dst.project(raw), 64), set.runs(PacketField.DST, 64));
      }
    }
  }

  /** Prefixes of a projected set, each found by intersecting it with the prefix (how the words were computed before). */
  private static Optional<List<PacketSet.Prefix>> prefixesByAlgebra(Bdd b, BitField f, int set, int max) {
    List<PacketSet.Prefix> out = new ArrayList<>();
    if (set == Bdd.FALSE || !cover(b, f, set, BigInteger.ZERO, 0, out, max)) return Optional.empty();
    return Optional.of(out);
  }

  private static boolean cover(Bdd b, BitField f, int set, BigInteger value, int len, List<PacketSet.Prefix> out, int max) {
    int here = f.prefix(value, len);
    if (b.and(set, here) == Bdd.FALSE) return true;
    if (b.subset(here, set)) {
      if (out.size() >= max) return false;
      out.add(new PacketSet.Prefix(value, len));
      return true;
    }
    BigInteger one = value.setBit(f.bits() - 1 - len);
    return cover(b, f, set, value, len + 1, out, max) && cover(b, f, set, one, len + 1, out, max);
  }

  private static Optional<List<PacketSet.Range>> runsByAlgebra(Bdd b, BitField f, int set, int max) {
    List<PacketSet.Prefix> prefixes = new ArrayList<>();
    if (set != Bdd.FALSE && !cover(b, f, set, BigInteger.ZERO, 0, prefixes, Integer.MAX_VALUE)) throw new AssertionError();
    List<PacketSet.Range> out = new ArrayList<>();
    for (PacketSet.Prefix p : prefixes) {
      BigInteger last = p.value().add(BigInteger.ONE.shiftLeft(f.bits() - p.length())).subtract(BigInteger.ONE);
      if (!out.isEmpty() && out.get(out.size() - 1).to().add(BigInteger.ONE).equals(p.value())) {
        out.set(out.size() - 1, new PacketSet.Range(out.get(out.size() - 1).from(), last));
      } else if (out.size() >= max) {
        return Optional.empty();
      } else {
        out.add(new PacketSet.Range(p.value(), last));
      }
    }
    return Optional.of(out);
  }

  @Test
  void heldSetsSurviveCollectionsAtEveryStep() {
    System.setProperty("ksaudit.bdd.collectEvery", "0");
    PacketSpace s = space();
    Bdd b = s.bdd();
    try (SetScope scope = new SetScope(s)) {
      List<PacketSet> held = new ArrayList<>();
      List<boolean[]> probes = new ArrayList<>();
      List<List<Boolean>> before = new ArrayList<>();
      for (int i = 0; i < 20; i++) held.add(scope.wrap(randomSet(s)));
      for (int k = 0; k < 200; k++) {
        boolean[] a = new boolean[b.varCount()];
        for (int v = 0; v < a.length; v++) a[v] = rnd.nextBoolean();
        probes.add(a);
        before.add(held.stream().map(h -> b.eval(h.node(), a)).toList());
      }
      // every operation collects the store: only sets someone holds keep their nodes
      PacketSet acc = scope.none();
      for (int i = 0; i < 60; i++) acc = acc.or(held.get(i % held.size()).minus(scope.wrap(randomSet(s))));
      for (int k = 0; k < probes.size(); k++) {
        boolean[] a = probes.get(k);
        assertEquals(before.get(k), held.stream().map(h -> b.eval(h.node(), a)).toList());
      }
    }
  }

  @Test
  void aSetOfAClosedScopeCannotBeUsed() {
    PacketSpace s = space();
    PacketSet set;
    try (SetScope scope = new SetScope(s)) {
      set = scope.where(PacketField.DPORT, 53);
    }
    PacketSet closed = set;
    assertThrows(IllegalStateException.class, closed::isEmpty);
    try (SetScope other = new SetScope(s)) {
      assertThrows(IllegalStateException.class, () -> other.all().and(closed));
    }
  }
}
