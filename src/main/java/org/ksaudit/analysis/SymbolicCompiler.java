package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.PortRange;

/**
 * The symbolic meaning of conditions and target effects: a condition becomes the set of
 * packets it holds for, an effect a transformation of a set. Each call that meets an
 * {@link Condition.Unknown} allocates a fresh free variable for it, so every evaluation of an
 * uninterpretable match is independent (sound even for stateful matches such as limit).
 */
final class SymbolicCompiler {
  /** An address no packet's own address equals: DNAT targets are classified without one. */
  static final BigInteger NO_ADDRESS = BigInteger.ONE.negate();

  private final PacketSpace s;
  private final Bdd b;
  /** What a DNAT changes: the address and its type, and with a port also the port. */
  private final Bdd.VarSet dstVars;
  private final Bdd.VarSet dstAndPortVars;

  SymbolicCompiler(PacketSpace space) {
    this.s = space;
    this.b = space.bdd();
    this.dstVars = union(space.dst.varSet(), space.dstType.varSet());
    this.dstAndPortVars = union(dstVars, space.dport.varSet());
  }

  /** The packets for which every condition holds, as a stage sees them. */
  int conjunction(List<Condition> conds, StageView view) {
    int r = Bdd.TRUE;
    for (Condition c : conds) {
      r = b.and(r, condition(c, view));
      if (r == Bdd.FALSE) break;
    }
    return r;
  }

  int condition(Condition c, StageView view) {
    if (c instanceof Condition.ProtoIs p) return neg(p.proto() == 0 ? Bdd.TRUE : s.proto.eq(p.proto()), p.negated());
    if (c instanceof Condition.AddrIn a) {
      BitField f = a.dir() == Dir.SRC ? s.src : s.dst;
      int r = Bdd.FALSE;
      for (Cidr cidr : a.cidrs()) r = b.or(r, s.cidr(f, cidr));
      return neg(r, a.negated());
    }
    if (c instanceof Condition.AddrRangeIn a) return neg((a.dir() == Dir.SRC ? s.src : s.dst).range(a.from(), a.to()), a.negated());
    if (c instanceof Condition.PortIn p) {
      int in = switch (p.dir()) {
        case SRC -> ports(s.sport, p.ranges());
        case DST -> ports(s.dport, p.ranges());
        case EITHER -> b.or(ports(s.sport, p.ranges()), ports(s.dport, p.ranges()));
      };
      return b.and(s.fragment.eq(0), neg(in, p.negated()));
    }
    if (c instanceof Condition.IfaceIs i) return iface(i, view);
    if (c instanceof Condition.StateIn st) return state(st);
    if (c instanceof Condition.MarkIs m) {
      BitField f = m.conn() ? s.ctmark : s.mark;
      int in = (m.value() & ~m.mask() & 0xffffffffL) != 0 ? Bdd.FALSE
          : f.masked(BigInteger.valueOf(m.value()), BigInteger.valueOf(m.mask()));
      return neg(in, m.negated());
    }
    if (c instanceof Condition.AddrTypeIn a) {
      return neg(a.dir() == Dir.SRC ? s.srcTypeIn(a.types()) : s.dstTypeIn(a.types()), a.negated());
    }
    if (c instanceof Condition.IcmpIs i) {
      int in = i.any() ? Bdd.TRUE : b.and(s.icmpType.eq(i.type()), s.icmpCode.range(i.codeFrom(), i.codeTo()));
      return b.and(s.fragment.eq(0), neg(in, i.negated()));
    }
    if (c instanceof Condition.TcpFlagsIs t) {
      int in = t.comp() == (t.comp() & t.mask())
          ? s.tcpFlags.masked(BigInteger.valueOf(t.comp()), BigInteger.valueOf(t.mask())) : Bdd.FALSE;
      return b.and(s.fragment.eq(0), neg(in, t.negated()));
    }
    if (c instanceof Condition.FragmentIs f) return neg(s.fragment.eq(1), f.negated());
    if (c instanceof Condition.OwnerIs o) return owner(o);
    if (c instanceof Condition.PacketTypeIs pt) {
      if (!view.outputVisible()) return b.ithVar(s.unknown(pt.received()));
      return pt.host() ^ pt.negated() ? Bdd.TRUE : Bdd.FALSE;
    }
    if (c instanceof Condition.CtDirIs d) return ctDir(d);
    if (c instanceof Condition.ConnBytesIn cb) return connBytes(cb);
    // a set holds packets of every length, TTL and TCP options: only a single known packet decides these
    if (c instanceof Condition.LengthIn l) return b.ithVar(s.unknown(l.undecided()));
    if (c instanceof Condition.TtlIs l) return b.ithVar(s.unknown(l.undecided()));
    if (c instanceof Condition.TcpOptionIs l) return b.and(s.fragment.eq(0), b.ithVar(s.unknown(l.undecided())));
    if (c instanceof Condition.Unknown u) return b.ithVar(s.unknown(u.key()));
    throw new IllegalArgumentException("condition " + c);
  }

  private int state(Condition.StateIn st) {
    Set<ConnState> states = st.states();
    int in;
    if (st.raw()) {
      int untracked = s.stateIn(List.of(ConnState.UNTRACKED));
      in = Bdd.FALSE;
      if (states.contains(ConnState.UNTRACKED)) in = b.or(in, untracked);
      if (states.contains(ConnState.INVALID)) in = b.or(in, b.not(untracked));
    } else {
      in = s.stateIn(states);
    }
    if (st.virtualStates().isPresent()) in = b.or(in, b.ithVar(s.unknown(st.virtualStates().get())));
    return neg(in, st.negated());
  }

  /** The packets conntrack has an entry for when the rule sees them (see {@link Condition.CtDirIs}). */
  private int withConntrackEntry(boolean raw) {
    if (raw) return Bdd.FALSE;
    return b.not(s.stateIn(List.of(ConnState.INVALID, ConnState.UNTRACKED)));
  }

  private int ctDir(Condition.CtDirIs d) {
    int entry = withConntrackEntry(d.raw());
    int none = d.stateTested() ? b.not(entry) : Bdd.FALSE;
    int fresh = b.and(entry, s.stateIn(List.of(ConnState.NEW)));
    int existing = b.diff(entry, fresh);
    int out = b.or(none, d.original() ? fresh : Bdd.FALSE);
    return b.or(out, b.and(existing, b.ithVar(s.unknown(d.existing()))));
  }

  private int connBytes(Condition.ConnBytesIn cb) {
    int entry = withConntrackEntry(cb.raw());
    int fresh = b.and(entry, s.stateIn(List.of(ConnState.NEW)));
    int existing = b.diff(entry, fresh);
    int u = b.ithVar(s.unknown(cb.undecided()));
    // a new connection's first packet of any length: decided only when the counter does not count bytes of it
    int first = cb.firstPacketValue(Optional.empty()).map(v -> cb.holds(v) ? fresh : Bdd.FALSE)
        .orElse(b.and(fresh, u));
    return b.or(first, b.and(existing, u));
  }

  private int neg(int set, boolean negated) {
    return negated ? b.not(set) : set;
  }

  private int ports(BitField f, List<PortRange> ranges) {
    int r = Bdd.FALSE;
    for (PortRange p : ranges) r = b.or(r, f.range(p.from(), p.to()));
    return r;
  }

  private int iface(Condition.IfaceIs i, StageView view) {
    boolean in = i.dir() == Dir.SRC;
    if (in ? !view.inputVisible() : !view.outputVisible()) {
      // the kernel passes no device here: the name tested is empty
      return i.name().matches("") ^ i.negated() ? Bdd.TRUE : Bdd.FALSE;
    }
    Set<Integer> classes = s.interfaces().matching(i.name());
    return neg(in ? s.iifIn(classes) : s.oifIn(classes), i.negated());
  }

  private int owner(Condition.OwnerIs o) {
    int with = Bdd.TRUE;
    if (o.socketExists() && o.socketNegated()) with = Bdd.FALSE;
    if (o.uid().isPresent()) with = b.and(with, neg(s.uid.range(o.uid().get().from(), o.uid().get().to()), o.uidNegated()));
    if (o.gid().isPresent()) {
      int in = s.gid.range(o.gid().get().from(), o.gid().get().to());
      if (o.supplementaryGroups().isPresent()) in = b.or(in, b.ithVar(s.unknown(o.supplementaryGroups().get())));
      with = b.and(with, neg(in, o.gidNegated()));
    }
    int socket = s.socket.eq(1);
    return b.or(b.and(socket, with), o.matchesWithoutSocket() ? b.not(socket) : Bdd.FALSE);
  }

  /** The set after a non-terminating target's effects. */
  int apply(int set, TargetAction.Effect e) {
    if (e instanceof TargetAction.MarkRewrite m) return markRewrite(set, m);
    if (e instanceof TargetAction.Notrack) return b.and(s.state.forget(set), s.state.eq(ConnState.UNTRACKED.ordinal()));
    if (e instanceof TargetAction.AnyMark a) return (a.conn() ? s.ctmark : s.mark).forget(set);
    throw new IllegalArgumentException("effect " + e + " is not applied here");
  }

  /**
   * new = (old & keep) ^ (other & take) ^ constant, bit by bit. Bits that become a constant
   * are forgotten and set; bits that only flip are flipped; bits copied from the other field
   * are forgotten and tied to it (the two fields are interleaved, so the tie is small); bits
   * that mix old and other are handled one at a time through both cofactors.
   */
  private int markRewrite(int set, TargetAction.MarkRewrite m) {
    BitField f = m.conn() ? s.ctmark : s.mark;
    BitField other = m.conn() ? s.mark : s.ctmark;
    List<Integer> constBits = new ArrayList<>();
    List<Integer> flipBits = new ArrayList<>();
    List<Integer> copyBits = new ArrayList<>();
    List<Integer> mixBits = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      if (f.var(i) < 0) continue; // a bit no rule tests: whatever it becomes decides nothing
      long bit = 1L << (31 - i);
      boolean keep = (m.keep() & bit) != 0;
      boolean take = (m.take() & bit) != 0;
      boolean c = (m.constant() & bit) != 0;
      if (!keep && !take) constBits.add(i);
      else if (keep && !take) {
        if (c) flipBits.add(i);
      } else if (!keep) copyBits.add(i);
      else mixBits.add(i);
    }
    int r = set;
    if (!constBits.isEmpty()) {
      // the constant bits as one cube, put in place in one walk (a walk per bit rebuilt the
      // whole set down to the mark 32 times for a --set-mark)
      int cube = Bdd.TRUE;
      for (int k = constBits.size() - 1; k >= 0; k--) {
        int i = constBits.get(k);
        cube = b.and(lit(f.var(i), (m.constant() & (1L << (31 - i))) != 0), cube);
      }
      r = b.replace(r, varsOf(f, constBits), cube);
    }
    if (!flipBits.isEmpty()) r = b.flip(r, varsOf(f, flipBits));
    if (!copyBits.isEmpty()) {
      int ties = Bdd.TRUE;
      for (int i : copyBits) {
        boolean c = (m.constant() & (1L << (31 - i))) != 0;
        int same = b.not(b.xor(b.ithVar(f.var(i)), b.ithVar(other.var(i))));
        ties = b.and(ties, c ? b.not(same) : same);
      }
      r = b.and(b.exists(r, varsOf(f, copyBits)), ties);
    }
    for (int i : mixBits) {
      boolean c = (m.constant() & (1L << (31 - i))) != 0;
      Bdd.VarSet one = varsOf(f, List.of(i));
      int x = b.ithVar(f.var(i));
      int o = b.ithVar(other.var(i));
      int was0 = b.exists(b.and(r, b.not(x)), one);
      int was1 = b.exists(b.and(r, x), one);
      int become0 = c ? b.not(o) : o; // new bit when old was 0: other ^ c
      int becomeIfOld0 = b.not(b.xor(x, become0));
      int becomeIfOld1 = b.xor(x, become0);
      r = b.or(b.and(was0, becomeIfOld0), b.and(was1, becomeIfOld1));
    }
    return r;
  }

  private int lit(int var, boolean value) {
    return value ? b.ithVar(var) : b.nithVar(var);
  }

  private static Bdd.VarSet varsOf(BitField f, List<Integer> bits) {
    int[] vs = new int[bits.size()];
    for (int k = 0; k < vs.length; k++) vs[k] = f.var(bits.get(k));
    return Bdd.VarSet.of(vs);
  }

  /**
   * DNAT / REDIRECT: the destination (and port, when given) become the new values, which
   * routing and every later rule see; the original copies keep what the application sent.
   * A rewrite that picks among several values is tied to a fresh unknown, so what follows
   * from it counts as possible, not definite.
   */
  int rewriteDst(int set, TargetAction.DstRewrite d, UnknownKey key) {
    // one quantification and one intersection for every changed field together: each pass
    // rebuilds the set down to the fields, which on kube-proxy's thousands of DNAT pieces
    // made the rewrite the largest cost of the nat walk when done field by field
    boolean ports = d.ports().isPresent();
    Bdd.VarSet changed = ports ? dstAndPortVars : dstVars;
    Family fam = s.family();
    int becomes;
    if (d.local()) {
      BigInteger lo = fam == Family.IPV4 ? BigInteger.valueOf(0x7f000001L) : BigInteger.ONE;
      becomes = b.and(s.dst.eq(lo), s.dstType.eq(AddrType.LOCAL.ordinal()));
    } else if (d.from().isPresent()) {
      BigInteger from = d.from().get();
      BigInteger to = d.to().orElse(from);
      Set<AddrType> types = EnumSet.of(AddrType.classify(fam, from, NO_ADDRESS), AddrType.classify(fam, to, NO_ADDRESS));
      if (!from.equals(to)) types.add(AddrType.UNICAST);
      becomes = b.and(s.dst.range(from, to), s.dstTypeIn(types));
    } else {
      becomes = s.valid();
    }
    if (ports) becomes = b.and(becomes, s.dport.range(d.ports().get().from(), d.ports().get().to()));
    if (d.choosesAmongSeveral()) becomes = b.and(becomes, b.ithVar(s.unknown(key)));
    return b.and(b.exists(set, changed), becomes);
  }

  private static Bdd.VarSet union(Bdd.VarSet a, Bdd.VarSet c) {
    List<Integer> all = new ArrayList<>();
    for (int v = 0; v <= Math.max(a.max(), c.max()); v++) if (a.contains(v) || c.contains(v)) all.add(v);
    return Bdd.VarSet.of(all.stream().mapToInt(Integer::intValue).toArray());
  }
}
