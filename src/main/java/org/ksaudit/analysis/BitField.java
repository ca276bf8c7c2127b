package org.ksaudit.analysis;

import java.math.BigInteger;

/**
 * One header field as BDD variables, most significant bit first (so its variables have
 * ascending indices), and the constraints the rules put on it: equality, ranges, prefixes,
 * value/mask.
 *
 * <p>A bit may be left out (variable -1): the marks keep only the bits some rule tests (see
 * {@link RuleDecoding#markBits}). A left-out bit is free in every set, constraints skip it,
 * and it reads as 0. Ranges and prefixes are for fields without left-out bits.
 */
public final class BitField {
  private final Bdd bdd;
  private final String name;
  private final int[] vars;
  private final Bdd.VarSet varSet;
  /** Whether every bit has a variable. */
  private final boolean whole;

  BitField(Bdd bdd, String name, int[] vars) {
    this.bdd = bdd;
    this.name = name;
    this.vars = vars.clone();
    this.varSet = Bdd.VarSet.of(java.util.Arrays.stream(vars).filter(v -> v >= 0).toArray());
    this.whole = java.util.Arrays.stream(vars).allMatch(v -> v >= 0);
  }

  private void requireWhole() {
    if (!whole) throw new IllegalStateException(name + " leaves bits out: only equality and value/mask constraints apply");
  }

  public String name() {
    return name;
  }

  public int bits() {
    return vars.length;
  }

  /** The variable of a bit, -1 when the bit is left out. */
  int var(int bitFromTop) {
    return vars[bitFromTop];
  }

  Bdd.VarSet varSet() {
    return varSet;
  }

  private boolean bit(BigInteger value, int bitFromTop) {
    return value.testBit(vars.length - 1 - bitFromTop);
  }

  /** {@code r} below bit {@code i} fixed to {@code one}; a left-out bit stays free. */
  private int fix(int r, int i, boolean one) {
    if (vars[i] < 0) return r;
    return one ? bdd.mk(vars[i], Bdd.FALSE, r) : bdd.mk(vars[i], r, Bdd.FALSE);
  }

  public int eq(long value) {
    return eq(BigInteger.valueOf(value));
  }

  public int eq(BigInteger value) {
    int r = Bdd.TRUE;
    for (int i = vars.length - 1; i >= 0; i--) {
      r = fix(r, i, bit(value, i));
    }
    return r;
  }

  /** The top {@code prefix} bits equal those of {@code value}. */
  public int prefix(BigInteger value, int prefix) {
    requireWhole();
    int r = Bdd.TRUE;
    for (int i = prefix - 1; i >= 0; i--) {
      r = fix(r, i, bit(value, i));
    }
    return r;
  }

  /** {@code (x & mask) == (value & mask)}. */
  public int masked(BigInteger value, BigInteger mask) {
    int r = Bdd.TRUE;
    for (int i = vars.length - 1; i >= 0; i--) {
      if (!bit(mask, i)) continue;
      r = fix(r, i, bit(value, i));
    }
    return r;
  }

  public int range(long from, long to) {
    return range(BigInteger.valueOf(from), BigInteger.valueOf(to));
  }

  /** {@code from <= x <= to}, inclusive; empty when from > to. */
  public int range(BigInteger from, BigInteger to) {
    if (from.compareTo(to) > 0) return Bdd.FALSE;
    // one value is one path; the two bounds would build two and intersect them (every DNAT to
    // one address and port asks for this)
    if (from.equals(to)) {
      requireWhole();
      return from.signum() < 0 || from.bitLength() > vars.length ? Bdd.FALSE : eq(from);
    }
    return bdd.and(atLeast(from), atMost(to));
  }

  /** x <= c, built from the least significant bit up. */
  public int atMost(BigInteger c) {
    requireWhole();
    if (c.signum() < 0) return Bdd.FALSE;
    if (c.bitLength() > vars.length) return Bdd.TRUE;
    int r = Bdd.TRUE;
    for (int i = vars.length - 1; i >= 0; i--) {
      r = bit(c, i) ? bdd.mk(vars[i], Bdd.TRUE, r) : bdd.mk(vars[i], r, Bdd.FALSE);
    }
    return r;
  }

  /** x >= c. */
  public int atLeast(BigInteger c) {
    requireWhole();
    if (c.signum() <= 0) return Bdd.TRUE;
    if (c.bitLength() > vars.length) return Bdd.FALSE;
    int r = Bdd.TRUE;
    for (int i = vars.length - 1; i >= 0; i--) {
      r = bit(c, i) ? bdd.mk(vars[i], Bdd.FALSE, r) : bdd.mk(vars[i], r, Bdd.TRUE);
    }
    return r;
  }

  /** x == other, bit by bit; cheap only when the two fields' variables are interleaved. */
  public int sameAs(BitField other) {
    if (other.bits() != bits()) throw new IllegalArgumentException(name + " vs " + other.name);
    requireWhole();
    other.requireWhole();
    int r = Bdd.TRUE;
    for (int i = vars.length - 1; i >= 0; i--) {
      int a = vars[i];
      int b = other.vars[i];
      int top = Math.min(a, b);
      int bottom = Math.max(a, b);
      int bottomIs0 = bdd.mk(bottom, r, Bdd.FALSE);
      int bottomIs1 = bdd.mk(bottom, Bdd.FALSE, r);
      r = bdd.mk(top, bottomIs0, bottomIs1);
    }
    return r;
  }

  /** The members that are in the set whatever this field's value: the field becomes free. */
  public int forall(int set) {
    return bdd.forall(set, varSet);
  }

  /** Forgets the field: every value allowed, the rest of the set unchanged. */
  public int forget(int set) {
    return bdd.exists(set, varSet);
  }

  /** Reads the field's value out of an assignment. */
  public BigInteger read(boolean[] assignment) {
    BigInteger v = BigInteger.ZERO;
    for (int i = 0; i < vars.length; i++) {
      v = v.shiftLeft(1);
      if (vars[i] >= 0 && vars[i] < assignment.length && assignment[vars[i]]) v = v.setBit(0);
    }
    return v;
  }

  public long readLong(boolean[] assignment) {
    return read(assignment).longValueExact();
  }

  /** Writes the field's value into an assignment. */
  public void write(boolean[] assignment, BigInteger value) {
    for (int i = 0; i < vars.length; i++) if (vars[i] >= 0) assignment[vars[i]] = bit(value, i);
  }

  public void write(boolean[] assignment, long value) {
    write(assignment, BigInteger.valueOf(value));
  }

  /** The largest value of the field among the members of {@code set}. Returns -1 for an empty set. */
  public BigInteger max(int set) {
    if (set == Bdd.FALSE) return BigInteger.ONE.negate();
    BigInteger v = BigInteger.ZERO;
    int s = set;
    for (int i = 0; i < vars.length; i++) {
      v = v.shiftLeft(1);
      if (vars[i] < 0) {
        v = v.setBit(0); // a left-out bit is free: its largest value is 1
        continue;
      }
      int one = bdd.and(s, bdd.ithVar(vars[i]));
      if (one != Bdd.FALSE) {
        v = v.setBit(0);
        s = one;
      } else {
        s = bdd.and(s, bdd.nithVar(vars[i]));
      }
    }
    return v;
  }

  /** Only this field of the set: every other variable forgotten. */
  public int project(int set) {
    return bdd.keepOnly(set, varSet);
  }

  /**
   * The smallest value of the field among the members of {@code set} (other fields free):
   * a deterministic pick for witnesses. Returns -1 for an empty set.
   */
  public BigInteger min(int set) {
    if (set == Bdd.FALSE) return BigInteger.ONE.negate();
    BigInteger v = BigInteger.ZERO;
    int s = set;
    for (int i = 0; i < vars.length; i++) {
      v = v.shiftLeft(1);
      if (vars[i] < 0) continue;
      int zero = bdd.and(s, bdd.nithVar(vars[i]));
      if (zero != Bdd.FALSE) {
        s = zero;
      } else {
        v = v.setBit(0);
        s = bdd.and(s, bdd.ithVar(vars[i]));
      }
    }
    return v;
  }
}
