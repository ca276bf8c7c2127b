package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The values one field takes in a set, read off the set's diagram by following its nodes:
 * the set is projected on the field once, and each prefix of the field's values is then one
 * step down a node (no set is built per prefix, which made describing a finding cost more than
 * finding it). A field's variables are ordered from its most significant bit, so the walk meets
 * the values in ascending order.
 */
final class FieldValues {
  private FieldValues() {}

  /**
   * Maximal runs of consecutive values, ascending, or empty when more than {@code max} are
   * needed.
   */
  static Optional<List<PacketSet.Range>> runs(Bdd b, BitField f, int projected, int max) {
    List<BigInteger[]> out = new ArrayList<>();
    if (!runs(b, f, projected, BigInteger.ZERO, 0, out, max)) return Optional.empty();
    return Optional.of(out.stream().map(r -> new PacketSet.Range(r[0], r[1])).toList());
  }

  private static boolean runs(Bdd b, BitField f, int node, BigInteger value, int len, List<BigInteger[]> out, int max) {
    if (node == Bdd.FALSE) return true;
    int bits = f.bits();
    if (node == Bdd.TRUE) {
      BigInteger last = value.add(BigInteger.ONE.shiftLeft(bits - len)).subtract(BigInteger.ONE);
      if (!out.isEmpty() && out.get(out.size() - 1)[1].add(BigInteger.ONE).equals(value)) out.get(out.size() - 1)[1] = last;
      else if (out.size() >= max) return false;
      else out.add(new BigInteger[] {value, last});
      return true;
    }
    int[] children = children(b, f, node, len);
    return runs(b, f, children[0], value, len + 1, out, max)
        && runs(b, f, children[1], value.setBit(bits - 1 - len), len + 1, out, max);
  }

  /** The set as at most {@code max} prefixes (not merged), ascending, or empty when it needs more or is empty. */
  static Optional<List<PacketSet.Prefix>> prefixes(Bdd b, BitField f, int projected, int max) {
    List<PacketSet.Prefix> out = new ArrayList<>();
    if (projected == Bdd.FALSE || !cover(b, f, projected, BigInteger.ZERO, 0, out, max)) return Optional.empty();
    return Optional.of(out);
  }

  private static boolean cover(Bdd b, BitField f, int node, BigInteger value, int len, List<PacketSet.Prefix> out, int max) {
    if (node == Bdd.FALSE) return true;
    if (node == Bdd.TRUE) {
      if (out.size() >= max) return false;
      out.add(new PacketSet.Prefix(value, len));
      return true;
    }
    int[] children = children(b, f, node, len);
    return cover(b, f, children[0], value, len + 1, out, max)
        && cover(b, f, children[1], value.setBit(f.bits() - 1 - len), len + 1, out, max);
  }

  /** The smallest ({@code largest} false) or largest value of a non-empty projected set. */
  static BigInteger extreme(Bdd b, BitField f, int projected, boolean largest) {
    BigInteger v = BigInteger.ZERO;
    int node = projected;
    for (int len = 0; len < f.bits(); len++) {
      v = v.shiftLeft(1);
      if (f.var(len) < 0) {
        // a left-out bit is free: it reads as 1 at the top of the field's values, 0 at the bottom
        if (largest) v = v.setBit(0);
        continue;
      }
      int[] children = children(b, f, node, len);
      boolean one = largest ? children[1] != Bdd.FALSE : children[0] == Bdd.FALSE;
      if (one) v = v.setBit(0);
      node = children[one ? 1 : 0];
    }
    return v;
  }

  /** The node's cofactors for bit {@code len} of the field equal to 0 and to 1. */
  private static int[] children(Bdd b, BitField f, int node, int len) {
    int v = f.var(len);
    if (node > Bdd.TRUE && b.var(node) == v) return new int[] {b.low(node), b.high(node)};
    return new int[] {node, node};
  }
}
