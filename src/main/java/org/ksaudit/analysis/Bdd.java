package org.ksaudit.analysis;

import java.util.Arrays;

/**
 * A store of reduced ordered binary decision diagrams: the engine's representation of packet
 * sets. A set is an {@code int} handle; {@link #FALSE} is the empty set, {@link #TRUE} every
 * packet. Variables are ordered by index; new variables may be added at any time and come last.
 * Nodes are never freed: a store lives as long as one analysis.
 *
 * <p>Why BDDs rather than unions of boxes: rule-by-rule subtraction fragments boxes into a
 * number of pieces that grows with the rule count (quadratic work on a kube-proxy dump), while a
 * BDD stays canonical, shares structure, and handles marks with masks, address prefixes and
 * port ranges with the same few operations.
 */
public final class Bdd {
  public static final int FALSE = 0;
  public static final int TRUE = 1;
  private static final int TERMINAL_VAR = Integer.MAX_VALUE;

  private static final int OP_AND = 0;
  private static final int OP_OR = 1;
  private static final int OP_DIFF = 2;
  private static final int OP_XOR = 3;
  private static final int OP_NOT = 4;

  private int[] var;
  private int[] lo;
  private int[] hi;
  private int[] next;
  private int[] buckets;
  private int size;
  private int vars;

  private int[] cacheA;
  private int[] cacheB;
  private int[] cacheOp;
  private int[] cacheR;

  /** Per-call memo for quantification and the other unary walks: node -> result, valid for one stamp. */
  private int[] memo;
  private int[] memoStamp;
  private int stamp;

  public Bdd() {
    int cap = 1 << 16;
    var = new int[cap];
    lo = new int[cap];
    hi = new int[cap];
    next = new int[cap];
    buckets = new int[cap];
    Arrays.fill(buckets, -1);
    var[FALSE] = TERMINAL_VAR;
    var[TRUE] = TERMINAL_VAR;
    size = 2;
    int c = 1 << 16;
    cacheA = new int[c];
    cacheB = new int[c];
    cacheOp = new int[c];
    cacheR = new int[c];
    Arrays.fill(cacheOp, -1);
    memo = new int[cap];
    memoStamp = new int[cap];
  }

  /** Adds {@code n} variables after the existing ones; returns the index of the first. */
  public int addVars(int n) {
    int first = vars;
    vars += n;
    return first;
  }

  public int varCount() {
    return vars;
  }

  public int nodeCount() {
    return size;
  }

  public int var(int node) {
    return var[node];
  }

  public int low(int node) {
    return lo[node];
  }

  public int high(int node) {
    return hi[node];
  }

  /** The set where variable {@code v} is 1. */
  public int ithVar(int v) {
    return mk(v, FALSE, TRUE);
  }

  /** The set where variable {@code v} is 0. */
  public int nithVar(int v) {
    return mk(v, TRUE, FALSE);
  }

  /** The node testing {@code v} with the given children; callers keep children below {@code v}. */
  public int mk(int v, int l, int h) {
    if (l == h) return l;
    int b = hash(v, l, h) & (buckets.length - 1);
    for (int n = buckets[b]; n >= 0; n = next[n]) {
      if (var[n] == v && lo[n] == l && hi[n] == h) return n;
    }
    if (size == var.length) {
      grow();
      b = hash(v, l, h) & (buckets.length - 1);
    }
    int n = size++;
    var[n] = v;
    lo[n] = l;
    hi[n] = h;
    next[n] = buckets[b];
    buckets[b] = n;
    return n;
  }

  private static int hash(int v, int l, int h) {
    int x = v * 0x9E3779B1 + l * 0x85EBCA77 + h * 0xC2B2AE3D;
    return x ^ (x >>> 15);
  }

  private void grow() {
    int cap = var.length * 2;
    var = Arrays.copyOf(var, cap);
    lo = Arrays.copyOf(lo, cap);
    hi = Arrays.copyOf(hi, cap);
    next = Arrays.copyOf(next, cap);
    memo = Arrays.copyOf(memo, cap);
    memoStamp = Arrays.copyOf(memoStamp, cap);
    buckets = new int[cap];
    Arrays.fill(buckets, -1);
    for (int n = 2; n < size; n++) {
      int b = hash(var[n], lo[n], hi[n]) & (cap - 1);
      next[n] = buckets[b];
      buckets[b] = n;
    }
    if (cacheA.length < cap * 2 && cacheA.length < (1 << 24)) {
      int c = Math.min(cap * 2, 1 << 24);
      cacheA = new int[c];
      cacheB = new int[c];
      cacheOp = new int[c];
      cacheR = new int[c];
      Arrays.fill(cacheOp, -1);
    }
  }

  public int and(int a, int b) {
    return apply(OP_AND, a, b);
  }

  public int or(int a, int b) {
    return apply(OP_OR, a, b);
  }

  /** a and not b. */
  public int diff(int a, int b) {
    return apply(OP_DIFF, a, b);
  }

  public int xor(int a, int b) {
    return apply(OP_XOR, a, b);
  }

  public int not(int a) {
    return apply(OP_NOT, a, FALSE);
  }

  /** a implies b, as a set: not a, or b. */
  public int imp(int a, int b) {
    return or(not(a), b);
  }

  public boolean subset(int a, int b) {
    return diff(a, b) == FALSE;
  }

  public boolean intersects(int a, int b) {
    return and(a, b) != FALSE;
  }

  private int apply(int op, int a, int b) {
    switch (op) {
      case OP_AND -> {
        if (a == FALSE || b == FALSE) return FALSE;
        if (a == TRUE) return b;
        if (b == TRUE || a == b) return a;
        if (a > b) { int t = a; a = b; b = t; }
      }
      case OP_OR -> {
        if (a == TRUE || b == TRUE) return TRUE;
        if (a == FALSE) return b;
        if (b == FALSE || a == b) return a;
        if (a > b) { int t = a; a = b; b = t; }
      }
      case OP_DIFF -> {
        if (a == FALSE || b == TRUE || a == b) return FALSE;
        if (b == FALSE) return a;
        if (a == TRUE) return not(b);
      }
      case OP_XOR -> {
        if (a == b) return FALSE;
        if (a == FALSE) return b;
        if (b == FALSE) return a;
        if (a == TRUE) return not(b);
        if (b == TRUE) return not(a);
        if (a > b) { int t = a; a = b; b = t; }
      }
      default -> {
        if (a == FALSE) return TRUE;
        if (a == TRUE) return FALSE;
      }
    }
    int slot = ((a * 0x9E3779B1 + b * 0x85EBCA77 + op * 0x27D4EB2F) >>> 7) & (cacheA.length - 1);
    if (cacheOp[slot] == op && cacheA[slot] == a && cacheB[slot] == b) return cacheR[slot];
    int va = var[a];
    int vb = var[b];
    int v = Math.min(va, vb);
    int al = va == v ? lo[a] : a;
    int ah = va == v ? hi[a] : a;
    int bl = vb == v ? lo[b] : b;
    int bh = vb == v ? hi[b] : b;
    int l = apply(op, al, bl);
    int h = apply(op, ah, bh);
    int r = mk(v, l, h);
    // the table may have grown while recursing: recompute the slot against the current cache
    slot = ((a * 0x9E3779B1 + b * 0x85EBCA77 + op * 0x27D4EB2F) >>> 7) & (cacheA.length - 1);
    cacheOp[slot] = op;
    cacheA[slot] = a;
    cacheB[slot] = b;
    cacheR[slot] = r;
    return r;
  }

  /** A set of variables for quantification: {@code in[v]} for v below {@code in.length}. */
  public record VarSet(boolean[] in, int max) {
    public static VarSet of(int[] vs) {
      int max = -1;
      for (int v : vs) max = Math.max(max, v);
      boolean[] in = new boolean[max + 1];
      for (int v : vs) in[v] = true;
      return new VarSet(in, max);
    }

    public boolean contains(int v) {
      return v <= max && in[v];
    }
  }

  /** Existential quantification: the packets that match {@code a} for some value of the variables. */
  public int exists(int a, VarSet vs) {
    stamp++;
    return quant(a, vs, true);
  }

  /** Universal quantification: the packets that match {@code a} for every value of the variables. */
  public int forall(int a, VarSet vs) {
    stamp++;
    return quant(a, vs, false);
  }

  private int quant(int a, VarSet vs, boolean exists) {
    if (a <= TRUE || var[a] > vs.max()) return a;
    if (memoStamp[a] == stamp) return memo[a];
    int l = quant(lo[a], vs, exists);
    int h = quant(hi[a], vs, exists);
    int myStamp = stamp;
    int r;
    if (vs.contains(var[a])) {
      r = exists ? or(l, h) : and(l, h);
    } else {
      r = mk(var[a], l, h);
    }
    // a nested quantification is never started from here, so the stamp is still ours
    memo[a] = r;
    memoStamp[a] = myStamp;
    return r;
  }

  /** Negates the variables of {@code vs} (x becomes not x): the effect of XOR-ing a constant in. */
  public int flip(int a, VarSet vs) {
    stamp++;
    return flipRec(a, vs);
  }

  private int flipRec(int a, VarSet vs) {
    if (a <= TRUE || var[a] > vs.max()) return a;
    if (memoStamp[a] == stamp) return memo[a];
    int l = flipRec(lo[a], vs);
    int h = flipRec(hi[a], vs);
    int r = vs.contains(var[a]) ? mk(var[a], h, l) : mk(var[a], l, h);
    memo[a] = r;
    memoStamp[a] = stamp;
    return r;
  }

  /** Whether the assignment (one value per variable, missing ones 0) is in the set. */
  public boolean eval(int a, boolean[] assignment) {
    while (a > TRUE) {
      int v = var[a];
      a = v < assignment.length && assignment[v] ? hi[a] : lo[a];
    }
    return a == TRUE;
  }

  /**
   * One member of a non-empty set, preferring 0 for every variable the set leaves free;
   * variables not on the chosen path are 0 in the result.
   */
  public boolean[] anySat(int a) {
    if (a == FALSE) throw new IllegalArgumentException("empty set has no member");
    boolean[] out = new boolean[vars];
    while (a > TRUE) {
      int v = var[a];
      if (lo[a] != FALSE) {
        a = lo[a];
      } else {
        out[v] = true;
        a = hi[a];
      }
    }
    return out;
  }

  /** Number of distinct nodes reachable from {@code a}, terminals excluded. */
  public int size(int a) {
    stamp++;
    return sizeRec(a);
  }

  private int sizeRec(int a) {
    if (a <= TRUE || memoStamp[a] == stamp) return 0;
    memoStamp[a] = stamp;
    return 1 + sizeRec(lo[a]) + sizeRec(hi[a]);
  }
}
