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
  /** Cache entries of the tests, whose result is {@link #TRUE} or {@link #FALSE}. */
  private static final int OP_SUBSET = 5;
  private static final int OP_MEETS = 6;

  /** Node n is nodes[4n..4n+3]: variable, low child, high child, next in its hash bucket (one cache line). */
  private int[] nodes;
  private int[] buckets;
  private int size;
  private int vars;
  /** Freed nodes, chained through their "next" field; their variable field is {@link #FREE}. */
  private int freeHead = -1;
  private int freeCount;
  private int liveAfterCollect = 2;
  /**
   * New nodes after which a collection is due (at least as many as survived the last one). The
   * system property {@code ksaudit.bdd.collectEvery} overrides it; 0 collects at every chance,
   * which tests use to prove that no set in use is ever lost. A store whose live sets are
   * small (a killswitch's, with its findings' sets) would otherwise grow by this many nodes of
   * garbage before it collects: at a million, its arrays (nodes, buckets, operation cache) grew
   * to 72 MB for 2,000 source allowances, a third of the run's peak memory; a store that keeps
   * more than this collects as rarely as before.
   */
  private final int collectEvery = Integer.getInteger("ksaudit.bdd.collectEvery", 1 << 18);
  private static final int FREE = -1;
  /** Entries of the operation cache at most (16 bytes each): a lossy cache need not grow with the store. */
  private static final int MAX_CACHE = 1 << 21;

  /** Entry k of the operation cache is cache[4k..4k+3]: op, a, b, result. */
  private int[] cache;

  /** Memo of the unary walks (quantification, flips, counting): node -> result, for one walk at a time. */
  private final Memo memo = new Memo();
  /** Memo of {@link #replace}'s own walk, which calls quantification (and so {@link #memo}) inside it. */
  private final Memo outer = new Memo();
  /** {@link #complementOf}'s results by field (by identity: a field's set is one object), valid for {@link #complementsVars} variables. */
  private final java.util.Map<Fields, VarSet> complements = new java.util.HashMap<>();
  private int complementsVars = -1;

  public Bdd() {
    int cap = 1 << 16;
    nodes = new int[4 * cap];
    buckets = new int[cap];
    Arrays.fill(buckets, -1);
    nodes[4 * FALSE] = TERMINAL_VAR;
    nodes[4 * TRUE] = TERMINAL_VAR;
    size = 2;
    cache = new int[4 * (1 << 16)];
    Arrays.fill(cache, -1);
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

  /** Nodes in use (live or not yet collected). */
  public int nodeCount() {
    return size - freeCount;
  }

  public int var(int node) {
    return nodes[4 * node];
  }

  public int low(int node) {
    return nodes[4 * node + 1];
  }

  public int high(int node) {
    return nodes[4 * node + 2];
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
    int[] ns = nodes;
    for (int n = buckets[b]; n >= 0; n = ns[4 * n + 3]) {
      int i = 4 * n;
      if (ns[i] == v && ns[i + 1] == l && ns[i + 2] == h) return n;
    }
    int n;
    if (freeHead >= 0) {
      n = freeHead;
      freeHead = nodes[4 * n + 3];
      freeCount--;
    } else {
      if (4 * size == nodes.length) {
        grow();
        b = hash(v, l, h) & (buckets.length - 1);
      }
      n = size++;
    }
    int i = 4 * n;
    nodes[i] = v;
    nodes[i + 1] = l;
    nodes[i + 2] = h;
    nodes[i + 3] = buckets[b];
    buckets[b] = n;
    return n;
  }

  private static int hash(int v, int l, int h) {
    int x = v * 0x9E3779B1 + l * 0x85EBCA77 + h * 0xC2B2AE3D;
    return x ^ (x >>> 15);
  }

  private void grow() {
    int cap = 2 * (nodes.length / 4);
    nodes = Arrays.copyOf(nodes, 4 * cap);
    buckets = new int[cap];
    Arrays.fill(buckets, -1);
    for (int n = 2; n < size; n++) {
      int i = 4 * n;
      if (nodes[i] == FREE) continue;
      int b = hash(nodes[i], nodes[i + 1], nodes[i + 2]) & (cap - 1);
      nodes[i + 3] = buckets[b];
      buckets[b] = n;
    }
    int entries = cache.length / 4;
    if (entries < cap && entries < MAX_CACHE) {
      cache = new int[4 * Math.min(cap, MAX_CACHE)];
      Arrays.fill(cache, -1);
    }
  }

  /**
   * Whether enough nodes were made since the last collection that one is worth it: the caller
   * then knows every set it still needs and passes them to {@link #collect}.
   */
  public boolean collectionDue() {
    if (collectEvery == 0) return true;
    // A collection visits the whole store, so it waits until at least as many nodes were made
    // as survived the last one: its cost is then paid for by the nodes it frees, and the store
    // stays within a small multiple of what is live. Collecting whenever the store was nearly
    // full made a store that is mostly live collect every few thousand nodes (a kube-proxy
    // dump's nat walk spent a third of its time there).
    int garbage = nodeCount() - liveAfterCollect;
    if (garbage >= Math.max(collectEvery, liveAfterCollect)) return true;
    // The store is about to double: when a quarter of it may be garbage, collect instead, so
    // that it grows with what it keeps (a large ruleset's peak memory). A quarter bounds the
    // work at four node visits per node made, even when nothing turns out to be garbage.
    int cap = nodes.length / 4;
    return freeCount < cap / 16 && size > cap - cap / 16 && garbage >= Math.max(collectEvery, cap / 4);
  }

  /**
   * Frees every node not reachable from the roots. Handles of the roots (and of everything
   * reachable from them) stay valid; any other handle becomes invalid, and the operation cache
   * is cleared.
   */
  public void collect(int[] roots) {
    boolean[] marked = new boolean[size];
    marked[FALSE] = true;
    marked[TRUE] = true;
    int[] stack = new int[64];
    int sp = 0;
    for (int r : roots) {
      if (r < 0 || r >= size || marked[r]) continue;
      marked[r] = true;
      stack[sp++] = r;
      while (sp > 0) {
        int n = stack[--sp];
        for (int k = 1; k <= 2; k++) {
          int c = nodes[4 * n + k];
          if (marked[c]) continue;
          marked[c] = true;
          if (sp == stack.length) stack = Arrays.copyOf(stack, 2 * sp);
          stack[sp++] = c;
        }
      }
    }
    Arrays.fill(buckets, -1);
    freeHead = -1;
    freeCount = 0;
    for (int n = size - 1; n >= 2; n--) {
      int i = 4 * n;
      if (marked[n]) {
        int b = hash(nodes[i], nodes[i + 1], nodes[i + 2]) & (buckets.length - 1);
        nodes[i + 3] = buckets[b];
        buckets[b] = n;
      } else {
        nodes[i] = FREE;
        nodes[i + 3] = freeHead;
        freeHead = n;
        freeCount++;
      }
    }
    Arrays.fill(cache, -1);
    liveAfterCollect = nodeCount();
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

  /**
   * The union of many sets, united pairwise in rounds: uniting them one after the other into
   * a growing union walks that union once per set (quadratic in the number of rules that each
   * add a piece of their own, such as 2,000 source allowances); pairwise, each set's nodes are
   * walked about log2(n) times.
   */
  public int orAll(int[] sets) {
    if (sets.length == 0) return FALSE;
    int[] cur = sets.clone();
    int n = cur.length;
    while (n > 1) {
      int k = 0;
      for (int i = 0; i < n; i += 2) cur[k++] = i + 1 < n ? or(cur[i], cur[i + 1]) : cur[i];
      n = k;
    }
    return cur[0];
  }

  /** Whether every member of {@code a} is in {@code b}; builds no node and stops at the first member that is not. */
  public boolean subset(int a, int b) {
    if (a == FALSE || b == TRUE || a == b) return true;
    if (b == FALSE || a == TRUE) return false;
    int slot = slot(OP_SUBSET, a, b);
    int[] c = cache;
    if (c[slot] == OP_SUBSET && c[slot + 1] == a && c[slot + 2] == b) return c[slot + 3] == TRUE;
    int va = nodes[4 * a];
    int vb = nodes[4 * b];
    int v = Math.min(va, vb);
    boolean r = subset(va == v ? nodes[4 * a + 1] : a, vb == v ? nodes[4 * b + 1] : b)
        && subset(va == v ? nodes[4 * a + 2] : a, vb == v ? nodes[4 * b + 2] : b);
    remember(OP_SUBSET, a, b, r ? TRUE : FALSE);
    return r;
  }

  /** Whether {@code a} and {@code b} have a member in common; builds no node and stops at the first one. */
  public boolean intersects(int a, int b) {
    if (a == FALSE || b == FALSE) return false;
    if (a == TRUE || b == TRUE || a == b) return true;
    if (a > b) {
      int t = a;
      a = b;
      b = t;
    }
    int slot = slot(OP_MEETS, a, b);
    int[] c = cache;
    if (c[slot] == OP_MEETS && c[slot + 1] == a && c[slot + 2] == b) return c[slot + 3] == TRUE;
    int va = nodes[4 * a];
    int vb = nodes[4 * b];
    int v = Math.min(va, vb);
    boolean r = intersects(va == v ? nodes[4 * a + 1] : a, vb == v ? nodes[4 * b + 1] : b)
        || intersects(va == v ? nodes[4 * a + 2] : a, vb == v ? nodes[4 * b + 2] : b);
    remember(OP_MEETS, a, b, r ? TRUE : FALSE);
    return r;
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
    int slot = slot(op, a, b);
    int[] c = cache;
    if (c[slot] == op && c[slot + 1] == a && c[slot + 2] == b) return c[slot + 3];
    int va = nodes[4 * a];
    int vb = nodes[4 * b];
    int v = Math.min(va, vb);
    int al = va == v ? nodes[4 * a + 1] : a;
    int ah = va == v ? nodes[4 * a + 2] : a;
    int bl = vb == v ? nodes[4 * b + 1] : b;
    int bh = vb == v ? nodes[4 * b + 2] : b;
    int l = apply(op, al, bl);
    int h = apply(op, ah, bh);
    int r = mk(v, l, h);
    remember(op, a, b, r);
    return r;
  }

  /**
   * Splits {@code a} by {@code b} in one walk: the part inside ({@code a and b}) and the part
   * outside ({@code a and not b}), packed into a long (read them with {@link #inside} and
   * {@link #outside}). The engine does this for every rule it visits, with {@code a} the
   * packets still unmatched; one walk instead of two halves the work on a large chain.
   */
  public long split(int a, int b) {
    if (b == FALSE || a == FALSE) return pack(FALSE, a);
    if (b == TRUE) return pack(a, FALSE);
    if (a == TRUE) return pack(b, not(b));
    if (a == b) return pack(a, FALSE);
    int andSlot = slot(OP_AND, Math.min(a, b), Math.max(a, b));
    int diffSlot = slot(OP_DIFF, a, b);
    int[] c = cache;
    if (c[andSlot] == OP_AND && c[andSlot + 1] == Math.min(a, b) && c[andSlot + 2] == Math.max(a, b)
        && c[diffSlot] == OP_DIFF && c[diffSlot + 1] == a && c[diffSlot + 2] == b) {
      return pack(c[andSlot + 3], c[diffSlot + 3]);
    }
    int va = nodes[4 * a];
    int vb = nodes[4 * b];
    int v = Math.min(va, vb);
    int al = va == v ? nodes[4 * a + 1] : a;
    int ah = va == v ? nodes[4 * a + 2] : a;
    int bl = vb == v ? nodes[4 * b + 1] : b;
    int bh = vb == v ? nodes[4 * b + 2] : b;
    long l = split(al, bl);
    long h = split(ah, bh);
    int in = mk(v, inside(l), inside(h));
    int out = mk(v, outside(l), outside(h));
    remember(OP_AND, Math.min(a, b), Math.max(a, b), in);
    remember(OP_DIFF, a, b, out);
    return pack(in, out);
  }

  public static int inside(long split) {
    return (int) (split >>> 32);
  }

  public static int outside(long split) {
    return (int) split;
  }

  private static long pack(int in, int out) {
    return ((long) in << 32) | (out & 0xffffffffL);
  }

  /** The cache slot of an operation (recomputed after recursion: the cache may have been replaced meanwhile). */
  private int slot(int op, int a, int b) {
    return 4 * (((a * 0x9E3779B1 + b * 0x85EBCA77 + op * 0x27D4EB2F) >>> 7) & (cache.length / 4 - 1));
  }

  private void remember(int op, int a, int b, int r) {
    int slot = slot(op, a, b);
    cache[slot] = op;
    cache[slot + 1] = a;
    cache[slot + 2] = b;
    cache[slot + 3] = r;
  }

  /** A set of variables for quantification, stored from its smallest to its largest variable. */
  public record VarSet(boolean[] in, int min, int max) {
    public static VarSet of(int[] vs) {
      if (vs.length == 0) return new VarSet(new boolean[0], 0, -1);
      int min = Integer.MAX_VALUE;
      int max = -1;
      for (int v : vs) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
      boolean[] in = new boolean[max - min + 1];
      for (int v : vs) in[v - min] = true;
      return new VarSet(in, min, max);
    }

    public boolean contains(int v) {
      return v >= min && v <= max && in[v - min];
    }
  }

  /** Only the variables of {@code kept} (any number of sets) of {@code a}: every other one quantified away, in one walk. */
  public int keepOnly(int a, VarSet... kept) {
    return exists(a, complementOf(kept));
  }

  /**
   * The variables outside some fields' sets, made once per choice of fields while no variable
   * is added: a projection runs for every witness and every finding's text, and the complement
   * spans the whole pool of unknowns (65,536 variables), which took milliseconds to make.
   */
  private VarSet complementOf(VarSet[] kept) {
    if (complementsVars != vars) {
      complements.clear();
      complementsVars = vars;
    }
    return complements.computeIfAbsent(new Fields(kept), k -> complement(kept));
  }

  /** Field sets as a key, by identity: each field's set is one object. */
  private record Fields(VarSet[] sets) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Fields f) || f.sets.length != sets.length) return false;
      for (int i = 0; i < sets.length; i++) if (f.sets[i] != sets[i]) return false;
      return true;
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (VarSet v : sets) h = 31 * h + System.identityHashCode(v);
      return h;
    }
  }

  private VarSet complement(VarSet[] kept) {
    boolean[] keep = new boolean[vars];
    for (VarSet k : kept) for (int v = Math.max(k.min(), 0); v <= k.max() && v < vars; v++) keep[v] |= k.in()[v - k.min()];
    int[] others = new int[vars];
    int n = 0;
    for (int v = 0; v < vars; v++) if (!keep[v]) others[n++] = v;
    return VarSet.of(Arrays.copyOf(others, n));
  }

  /** Existential quantification: the packets that match {@code a} for some value of the variables. */
  public int exists(int a, VarSet vs) {
    memo.clear();
    return quant(a, vs, true);
  }

  /**
   * {@code (exists vs. a) and r} for an {@code r} that tests only variables of {@code vs}
   * (or later ones): a field's constraint replaced by another. Above the first variable of
   * {@code vs} the result has the shape of {@code a}, so it is rebuilt from the nodes that
   * already exist; only the parts at and below that variable are computed anew. Quantifying
   * first and intersecting after would copy all of {@code a} once in between (on a kube-proxy
   * dump, millions of nodes for one reroute).
   */
  public int replace(int a, VarSet vs, int r) {
    outer.clear();
    return replaceRec(a, vs, r);
  }

  private int replaceRec(int a, VarSet vs, int r) {
    if (a == FALSE) return FALSE;
    int va = nodes[4 * a];
    if (a == TRUE || va >= vs.min()) return and(exists(a, vs), r);
    int known = outer.get(a);
    if (known >= 0) return known;
    int l = replaceRec(nodes[4 * a + 1], vs, r);
    int h = replaceRec(nodes[4 * a + 2], vs, r);
    int res = mk(va, l, h);
    outer.put(a, res);
    return res;
  }

  /** Universal quantification: the packets that match {@code a} for every value of the variables. */
  public int forall(int a, VarSet vs) {
    memo.clear();
    return quant(a, vs, false);
  }

  private int quant(int a, VarSet vs, boolean exists) {
    int va = nodes[4 * a];
    if (a <= TRUE || va > vs.max()) return a;
    int known = memo.get(a);
    if (known >= 0) return known;
    int l = quant(nodes[4 * a + 1], vs, exists);
    int h = quant(nodes[4 * a + 2], vs, exists);
    int r;
    if (vs.contains(va)) {
      r = exists ? or(l, h) : and(l, h);
    } else {
      r = mk(va, l, h);
    }
    memo.put(a, r);
    return r;
  }

  /** Negates the variables of {@code vs} (x becomes not x): the effect of XOR-ing a constant in. */
  public int flip(int a, VarSet vs) {
    memo.clear();
    return flipRec(a, vs);
  }

  private int flipRec(int a, VarSet vs) {
    int va = nodes[4 * a];
    if (a <= TRUE || va > vs.max()) return a;
    int known = memo.get(a);
    if (known >= 0) return known;
    int l = flipRec(nodes[4 * a + 1], vs);
    int h = flipRec(nodes[4 * a + 2], vs);
    int r = vs.contains(va) ? mk(va, h, l) : mk(va, l, h);
    memo.put(a, r);
    return r;
  }

  /** Whether the assignment (one value per variable, missing ones 0) is in the set. */
  public boolean eval(int a, boolean[] assignment) {
    while (a > TRUE) {
      int v = nodes[4 * a];
      a = v < assignment.length && assignment[v] ? nodes[4 * a + 2] : nodes[4 * a + 1];
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
      int v = nodes[4 * a];
      if (nodes[4 * a + 1] != FALSE) {
        a = nodes[4 * a + 1];
      } else {
        out[v] = true;
        a = nodes[4 * a + 2];
      }
    }
    return out;
  }

  /** The variables some node of {@code a} tests. */
  public java.util.BitSet support(int a) {
    java.util.BitSet out = new java.util.BitSet();
    memo.clear();
    supportRec(a, out);
    return out;
  }

  private void supportRec(int a, java.util.BitSet out) {
    if (a <= TRUE || memo.get(a) >= 0) return;
    memo.put(a, 1);
    out.set(nodes[4 * a]);
    supportRec(nodes[4 * a + 1], out);
    supportRec(nodes[4 * a + 2], out);
  }

  /** Number of distinct nodes reachable from {@code a}, terminals excluded. */
  public int size(int a) {
    memo.clear();
    return sizeRec(a);
  }

  private int sizeRec(int a) {
    if (a <= TRUE || memo.get(a) >= 0) return 0;
    memo.put(a, 1);
    return 1 + sizeRec(nodes[4 * a + 1]) + sizeRec(nodes[4 * a + 2]);
  }

  /** An open-addressing map from node to node for one walk; it shrinks back after a large walk. */
  private static final class Memo {
    private int[] keys = new int[1 << 10];
    private int[] vals = new int[1 << 10];
    private int count;

    Memo() {
      Arrays.fill(keys, -1);
    }

    void clear() {
      if (count == 0) return;
      if (keys.length > (1 << 10) && count < keys.length / 8) {
        keys = new int[Math.max(1 << 10, Integer.highestOneBit(count) * 4)];
        vals = new int[keys.length];
      }
      Arrays.fill(keys, -1);
      count = 0;
    }

    int get(int k) {
      int mask = keys.length - 1;
      for (int i = (k * 0x9E3779B1) >>> 7 & mask; ; i = (i + 1) & mask) {
        if (keys[i] == k) return vals[i];
        if (keys[i] < 0) return -1;
      }
    }

    void put(int k, int v) {
      if (2 * (count + 1) > keys.length) rehash();
      int mask = keys.length - 1;
      int i = (k * 0x9E3779B1) >>> 7 & mask;
      while (keys[i] >= 0 && keys[i] != k) i = (i + 1) & mask;
      if (keys[i] < 0) count++;
      keys[i] = k;
      vals[i] = v;
    }

    private void rehash() {
      int[] ok = keys;
      int[] ov = vals;
      keys = new int[ok.length * 2];
      vals = new int[ok.length * 2];
      Arrays.fill(keys, -1);
      count = 0;
      for (int i = 0; i < ok.length; i++) if (ok[i] >= 0) put(ok[i], ov[i]);
    }
  }
}
