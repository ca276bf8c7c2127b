package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;

/**
 * The packets of one address family as BDD variables: every field of {@link Packet}, plus an
 * original copy of the destination address and port (interleaved with the current ones, so
 * "current equals original" stays small) that lets a packet rewritten by DNAT be traced back
 * to what the application sent, plus one variable per evaluation of a match the engine
 * cannot interpret ({@link #unknown}).
 *
 * <p>Variable order: the few-valued fields the scenarios hold nearly constant and rules test
 * at every stage (interfaces, scenario, state, socket, the tested mark bits), then the field
 * one chain of the rules tells the most values apart by (see {@link LeadingField}), then of
 * destination, ports, protocol and source the others, a pool of unknowns, and the rest (see
 * {@link FieldLayout}). Which field leads changes no answer: a member is picked as the
 * smallest in the order a space led by the destination has (see {@link #first}).
 */
public final class PacketSpace {
  public static final int STATES = ConnState.values().length;
  public static final int ADDR_TYPES = AddrType.values().length;

  private final Family family;
  private final long markBits;
  private final PacketField leading;
  private final Bdd bdd;
  private final InterfaceUniverse interfaces;
  public final BitField oif;
  public final BitField iif;
  public final BitField state;
  /**
   * Not a packet field: which start of an analysis a packet came from, so that several
   * scenarios share one walk of the rules (no rule can test or change it). Next to the
   * conntrack state and the marks, where the scenarios differ, so their sets share the rest.
   */
  public final BitField scenario;
  public final BitField socket;
  public final BitField proto;
  public final BitField dstType;
  public final BitField dst;
  public final BitField origDst;
  public final BitField dport;
  public final BitField origDport;
  public final BitField mark;
  public final BitField ctmark;
  public final BitField src;
  public final BitField sport;
  public final BitField srcType;
  public final BitField icmpType;
  public final BitField icmpCode;
  public final BitField tcpFlags;
  public final BitField fragment;
  public final BitField uid;
  public final BitField gid;
  /** How many unknowns get a variable between the tested and the constant fields; more go last (slower, still right). */
  static final int UNKNOWN_POOL = 1 << 16;

  private final int unknownPool;
  private int unknownsUsed;
  private final int headerFirst;
  private final int headerVars;
  /**
   * For each variable from the first below the few-valued ones, the variable a space led by
   * the destination has for the same bit; null when this space is led by the destination.
   */
  private final int[] usualPlace;
  private final int valid;
  private final Map<Integer, UnknownKey> unknowns = new LinkedHashMap<>();
  private final List<java.util.function.Supplier<java.util.Collection<Integer>>> roots = new ArrayList<>();

  /** A space with every mark bit. */
  public PacketSpace(Family family, InterfaceUniverse interfaces) {
    this(family, interfaces, 0xffffffffL);
  }

  /** A space led by the destination (see {@link LeadingField}). */
  public PacketSpace(Family family, InterfaceUniverse interfaces, long markBits) {
    this(family, interfaces, markBits, PacketField.DST);
  }

  /**
   * @param markBits the mark bits the rules can tell apart (see {@link RuleDecoding#markBits}):
   *     the packet and connection marks get variables for these bits only, the others are
   *     left out (any value, read as 0). Kube-proxy tests two bits, so its sets carry two
   *     mark variables instead of 32, and every piece of them is that much shorter.
   * @param leading the field that comes first after the few-valued ones (one of
   *     {@link LeadingField#CANDIDATES}); the others keep their order
   */
  PacketSpace(Family family, InterfaceUniverse interfaces, long markBits, PacketField leading) {
    this.family = family;
    this.leading = leading;
    this.markBits = markBits & 0xffffffffL;
    this.bdd = new Bdd();
    this.interfaces = interfaces;
    int ifBits = bitsFor(interfaces.size());
    int addr = family.bits();
    // Order: on top the fields with few values in any set that rules test at every stage
    // (interfaces, scenario, state, socket, the tested mark bits): a test of one of them after
    // nat splits the few nodes above the union of the DNAT pieces instead of rebuilding the whole
    // union, as it did when they came last (kube-proxy's mark and state tests in filter and nat
    // POSTROUTING). They are kept short: marks have only the bits rules test. Then the field one
    // chain tells the most values apart by, so that the exclusions a walk of that chain piles up
    // sit above what the other fields say (see LeadingField); then what rules test most and
    // rewrites change (destination, ports, protocol), whose pieces share what comes below;
    // then a pool of variables for unknowns; then the rest.
    headerFirst = bdd.varCount();
    oif = field("oif", ifBits);
    iif = field("iif", ifBits);
    scenario = field("scenario", 2);
    state = field("state", bitsFor(STATES));
    socket = field("socket", 1);
    BitField[] m = interleavedBits("mark", "ctmark", this.markBits);
    mark = m[0];
    ctmark = m[1];
    int below = bdd.varCount();
    FieldLayout layout = FieldLayout.of(leading, below, addr);
    bdd.addVars(layout.end() - below);
    dst = field(layout, PacketField.DST, "dst");
    origDst = field(layout, PacketField.ORIG_DST, "odst");
    dstType = field(layout, PacketField.DST_TYPE, "dsttype");
    dport = field(layout, PacketField.DPORT, "dport");
    origDport = field(layout, PacketField.ORIG_DPORT, "odport");
    proto = field(layout, PacketField.PROTO, "proto");
    src = field(layout, PacketField.SRC, "src");
    sport = field(layout, PacketField.SPORT, "sport");
    unknownPool = layout.pool();
    srcType = field(layout, PacketField.SRC_TYPE, "srctype");
    icmpType = field(layout, PacketField.ICMP_TYPE, "icmptype");
    icmpCode = field(layout, PacketField.ICMP_CODE, "icmpcode");
    tcpFlags = field(layout, PacketField.TCP_FLAGS, "tcpflags");
    fragment = field(layout, PacketField.FRAGMENT, "frag");
    uid = field(layout, PacketField.UID, "uid");
    gid = field(layout, PacketField.GID, "gid");
    usualPlace = leading == PacketField.DST ? null : layout.placesIn(FieldLayout.of(PacketField.DST, below, addr), below);
    headerVars = bdd.varCount();
    int v = Bdd.TRUE;
    v = bdd.and(v, oif.range(0, interfaces.size() - 1));
    v = bdd.and(v, iif.range(0, interfaces.size() - 1));
    v = bdd.and(v, state.range(0, STATES - 1));
    v = bdd.and(v, dstType.range(0, ADDR_TYPES - 1));
    v = bdd.and(v, srcType.range(0, ADDR_TYPES - 1));
    valid = v;
  }

  static int bitsFor(int values) {
    int b = 1;
    while ((1 << b) < values) b++;
    return b;
  }

  private BitField field(String name, int bits) {
    int first = bdd.addVars(bits);
    int[] vs = new int[bits];
    for (int i = 0; i < bits; i++) vs[i] = first + i;
    return new BitField(bdd, name, vs);
  }

  private BitField field(FieldLayout layout, PacketField f, String name) {
    return new BitField(bdd, name, layout.vars(f));
  }

  /**
   * Two 32-bit fields with variables only for the bits set in {@code bits}, interleaved bit
   * by bit; a left-out bit has no variable in either field (see {@link BitField}).
   */
  private BitField[] interleavedBits(String a, String b, long bits) {
    int[] va = new int[32];
    int[] vb = new int[32];
    int next = bdd.addVars(2 * Long.bitCount(bits));
    for (int i = 0; i < 32; i++) {
      boolean kept = (bits & (1L << (31 - i))) != 0;
      va[i] = kept ? next++ : -1;
      vb[i] = kept ? next++ : -1;
    }
    return new BitField[] {new BitField(bdd, a, va), new BitField(bdd, b, vb)};
  }

  public Family family() {
    return family;
  }

  /** The field that comes first after the few-valued ones. */
  PacketField leading() {
    return leading;
  }

  /** The mark bits this space has variables for. */
  public long markBits() {
    return markBits;
  }

  public Bdd bdd() {
    return bdd;
  }

  public InterfaceUniverse interfaces() {
    return interfaces;
  }

  /**
   * Registers sets someone keeps across engine runs (a cache, a recorder): the engine's
   * collections of unused nodes keep them alive.
   */
  public void addRoots(java.util.function.Supplier<java.util.Collection<Integer>> source) {
    roots.add(source);
  }

  /** Caches of compiled sets to drop when the store is collected. */
  private final List<Runnable> onCollect = new ArrayList<>();

  void onCollect(Runnable r) {
    onCollect.add(r);
  }

  /**
   * Collects the node store if enough garbage has piled up, keeping every registered root and
   * {@code extra}: for callers outside the engine that make many sets between runs.
   */
  public void collectIfDue(java.util.Collection<Integer> extra) {
    if (!bdd.collectionDue()) return;
    collect(extra);
  }

  void collect(java.util.Collection<Integer> extra) {
    List<Integer> r = externalRoots();
    r.addAll(extra);
    bdd.collect(r.stream().mapToInt(Integer::intValue).toArray());
    onCollect.forEach(Runnable::run);
  }

  /** The sets kept alive for their owners, plus the space's own. */
  List<Integer> externalRoots() {
    List<Integer> out = new ArrayList<>();
    out.add(valid);
    for (java.util.function.Supplier<java.util.Collection<Integer>> r : roots) out.addAll(r.get());
    for (SetScope s : scopes) s.roots(out);
    return out;
  }

  /** The scopes whose sets are in use. */
  private final List<SetScope> scopes = new ArrayList<>();

  void openScope(SetScope s) {
    scopes.add(s);
  }

  void closeScope(SetScope s) {
    scopes.remove(s);
  }

  /** Every well-formed packet (in-range interface classes, states and address types). */
  public int valid() {
    return valid;
  }

  /**
   * A fresh variable standing for one evaluation of something the engine cannot interpret
   * (a match, an unknown verdict, a nondeterministic rewrite): free, so both outcomes stay in
   * the set, and quantifiable, so certainty can be computed.
   */
  public int unknown(UnknownKey key) {
    int v = unknownsUsed < UNKNOWN_POOL ? unknownPool + unknownsUsed++ : bdd.addVars(1);
    unknowns.put(v, key);
    return v;
  }

  /** Whether a match the engine cannot decide was met. */
  boolean hasUnknowns() {
    return !unknowns.isEmpty();
  }

  /** The unknowns by variable, without a copy. */
  Map<Integer, UnknownKey> unknownsView() {
    return java.util.Collections.unmodifiableMap(unknowns);
  }

  public Map<Integer, UnknownKey> unknowns() {
    return Map.copyOf(unknowns);
  }

  /** Variables of every unknown allocated so far. */
  public Bdd.VarSet unknownVars() {
    int[] vs = unknowns.keySet().stream().mapToInt(Integer::intValue).toArray();
    return Bdd.VarSet.of(vs.length == 0 ? new int[] {headerVars} : vs);
  }

  /** The packets that are in {@code set} whatever the unknowns decide. */
  public int definitely(int set) {
    return unknowns.isEmpty() ? set : bdd.forall(set, unknownVars());
  }

  /** The packets that are in {@code set} for some outcome of the unknowns. */
  public int possibly(int set) {
    return unknowns.isEmpty() ? set : bdd.exists(set, unknownVars());
  }

  /** Only the given fields of a set: every other variable forgotten, in one walk of the set. */
  public int project(int set, BitField... fields) {
    return bdd.keepOnly(set, java.util.Arrays.stream(fields).map(BitField::varSet).toArray(Bdd.VarSet[]::new));
  }

  public int oifIn(Collection<Integer> classes) {
    return anyOf(oif, classes);
  }

  public int iifIn(Collection<Integer> classes) {
    return anyOf(iif, classes);
  }

  public int stateIn(Collection<ConnState> states) {
    return anyOf(state, states.stream().map(Enum::ordinal).toList());
  }

  public int dstTypeIn(Collection<AddrType> types) {
    return anyOf(dstType, types.stream().map(Enum::ordinal).toList());
  }

  public int srcTypeIn(Collection<AddrType> types) {
    return anyOf(srcType, types.stream().map(Enum::ordinal).toList());
  }

  private int anyOf(BitField f, Collection<Integer> values) {
    int r = Bdd.FALSE;
    for (int v : values) r = bdd.or(r, f.eq(v));
    return r;
  }

  public int cidr(BitField f, Cidr c) {
    return f.prefix(c.address(), c.prefix());
  }

  /** Exactly this packet; its original destination and port equal the current ones. */
  public int point(Packet p) {
    if (p.family() != family) throw new IllegalArgumentException("packet of " + p.family() + " in " + family + " space");
    boolean[] a = new boolean[headerVars];
    oif.write(a, interfaces.classOf(p.oif()));
    iif.write(a, interfaces.classOf(p.iif()));
    state.write(a, p.state().ordinal());
    socket.write(a, p.socket() ? 1 : 0);
    proto.write(a, p.proto());
    dstType.write(a, p.dstType().ordinal());
    dst.write(a, p.dst());
    origDst.write(a, p.dst());
    dport.write(a, p.dport());
    origDport.write(a, p.dport());
    mark.write(a, p.mark());
    ctmark.write(a, p.ctmark());
    src.write(a, p.src());
    sport.write(a, p.sport());
    srcType.write(a, p.srcType().ordinal());
    icmpType.write(a, p.icmpType());
    icmpCode.write(a, p.icmpCode());
    tcpFlags.write(a, p.tcpFlags());
    fragment.write(a, p.fragment() ? 1 : 0);
    uid.write(a, p.uid());
    gid.write(a, p.gid());
    // one path through every header variable, built from the bottom
    int r = Bdd.TRUE;
    for (int v = headerVars - 1; v >= headerFirst; v--) {
      if (v >= unknownPool && v < unknownPool + UNKNOWN_POOL) continue;
      if (scenario.varSet().contains(v)) continue;
      r = a[v] ? bdd.mk(v, Bdd.FALSE, r) : bdd.mk(v, r, Bdd.FALSE);
    }
    return r;
  }

  /** The packet an assignment describes, with the original (pre-DNAT) destination and port. */
  public Packet readOriginal(boolean[] a) {
    Packet cur = read(a);
    BigInteger od = origDst.read(a);
    return cur.withDst(od, AddrType.classify(family, od, cur.src())).withDport((int) origDport.readLong(a));
  }

  /** The packet an assignment describes, as the rules see it at the end of its path. */
  public Packet read(boolean[] a) {
    return new Packet(family, (int) proto.readLong(a), src.read(a), dst.read(a), (int) sport.readLong(a),
        (int) dport.readLong(a), (int) icmpType.readLong(a), (int) icmpCode.readLong(a), (int) tcpFlags.readLong(a),
        interfaces.representative((int) iif.readLong(a)), interfaces.representative((int) oif.readLong(a)),
        ConnState.values()[(int) state.readLong(a)], mark.readLong(a), ctmark.readLong(a), uid.readLong(a),
        gid.readLong(a), socket.readLong(a) == 1, fragment.readLong(a) == 1,
        AddrType.values()[(int) srcType.readLong(a)], AddrType.values()[(int) dstType.readLong(a)], Optional.empty());
  }

  /** The outcome of every unknown in an assignment. */
  public Map<UnknownKey, Boolean> readUnknowns(boolean[] a) {
    Map<UnknownKey, Boolean> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, UnknownKey> e : unknowns.entrySet()) {
      boolean v = e.getKey() < a.length && a[e.getKey()];
      out.putIfAbsent(e.getValue(), v);
    }
    return out;
  }

  /**
   * The member of a non-empty set that {@link Bdd#anySat} picks in a space led by the
   * destination: the smallest in that space's variable order, each variable 0 where the set
   * allows. Which field leads this space then changes no witness.
   */
  boolean[] first(int set) {
    if (usualPlace == null) return bdd.anySat(set);
    if (set == Bdd.FALSE) throw new IllegalArgumentException("empty set has no member");
    // That order has the few-valued fields, then the fields that come before the leading one
    // there ("earlier"), then the leading one, then the rest; this space moved the leading
    // field up, before the earlier ones. The earlier fields take the smallest values some
    // member has whatever its leading field, then the leading field and the rest the smallest
    // the set has with those.
    int below = headerVars - usualPlace.length;
    int[] leadVars = leadBlock();
    int usualLeadFirst = java.util.Arrays.stream(leadVars).map(v -> usualPlace[v - below]).min().orElseThrow();
    boolean[] earlier = bdd.anySat(bdd.exists(set, Bdd.VarSet.of(leadVars)));
    int[] pinned = bdd.support(set).stream()
        .filter(v -> v < below || v < headerVars && usualPlace[v - below] < usualLeadFirst).toArray();
    int cube = Bdd.TRUE;
    for (int i = pinned.length - 1; i >= 0; i--) {
      int v = pinned[i];
      cube = earlier[v] ? bdd.mk(v, Bdd.FALSE, cube) : bdd.mk(v, cube, Bdd.FALSE);
    }
    return bdd.anySat(bdd.and(set, cube));
  }

  /** The variables of the leading field, with its original's (the destination port's). */
  private int[] leadBlock() {
    List<BitField> block = leading == PacketField.DPORT ? List.of(dport, origDport) : List.of(field(leading));
    return block.stream().flatMapToInt(f -> java.util.stream.IntStream.range(0, f.bits()).map(f::var)).sorted().toArray();
  }

  /**
   * Narrows a non-empty set step by step: each preference is kept only if the set still has
   * members with it. The result is a non-empty subset that honours as many preferences, in
   * order, as the set allows: how witnesses come out "telling" rather than arbitrary.
   */
  public int prefer(int set, List<Integer> preferences) {
    int s = set;
    for (int p : preferences) {
      // most preferences hold for every member or for none: telling which builds no set
      if (bdd.subset(s, p) || !bdd.intersects(s, p)) continue;
      s = bdd.and(s, p);
    }
    return s;
  }

  /** The variables of a field. */
  public BitField field(PacketField f) {
    return switch (f) {
      case OIF -> oif;
      case IIF -> iif;
      case STATE -> state;
      case SOCKET -> socket;
      case PROTO -> proto;
      case DST_TYPE -> dstType;
      case DST -> dst;
      case ORIG_DST -> origDst;
      case DPORT -> dport;
      case ORIG_DPORT -> origDport;
      case MARK -> mark;
      case CTMARK -> ctmark;
      case SRC -> src;
      case SPORT -> sport;
      case SRC_TYPE -> srcType;
      case ICMP_TYPE -> icmpType;
      case ICMP_CODE -> icmpCode;
      case TCP_FLAGS -> tcpFlags;
      case FRAGMENT -> fragment;
      case UID -> uid;
      case GID -> gid;
    };
  }

  /** Fields whose every value is printed in debug output of a set. */
  public List<BitField> fields() {
    List<BitField> out = new ArrayList<>(List.of(oif, iif, state, socket, proto, dstType, dst, origDst, dport, origDport,
        mark, ctmark, src, sport, srcType, icmpType, icmpCode, tcpFlags, fragment, uid, gid));
    return out;
  }

  static Set<Integer> all(int n) {
    Set<Integer> s = new java.util.LinkedHashSet<>();
    for (int i = 0; i < n; i++) s.add(i);
    return s;
  }
}
