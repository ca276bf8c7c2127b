package org.ksaudit.analysis;

import java.lang.ref.WeakReference;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ksaudit.model.value.Cidr;

/**
 * The lifetime of the {@link PacketSet}s made in it, and the sets that select packets by
 * their fields. While the scope is open, every set made in it that its user still holds
 * survives collections of the node store (the store keeps the nodes of sets that are still
 * reachable); once it is closed its sets may not be used, and the store may reuse their nodes.
 * One thread uses a scope at a time, as one thread uses an analysis.
 */
public final class SetScope implements AutoCloseable {
  private final PacketSpace space;
  private List<WeakReference<PacketSet>> made = new ArrayList<>();
  /** Live sets after the last purge of cleared references: the list is purged when it doubles. */
  private int afterPurge;
  private boolean open = true;

  SetScope(PacketSpace space) {
    this.space = space;
    space.openScope(this);
  }

  PacketSpace space() {
    return space;
  }

  void requireOpen() {
    if (!open) throw new IllegalStateException("a packet set used after its scope was closed");
  }

  /** A new set of this scope. */
  PacketSet wrap(int node) {
    requireOpen();
    PacketSet s = new PacketSet(this, node);
    if (node > Bdd.TRUE) {
      if (made.size() > 2 * afterPurge + 1024) purge();
      made.add(new WeakReference<>(s));
    }
    return s;
  }

  private void purge() {
    made.removeIf(r -> r.get() == null);
    afterPurge = made.size();
  }

  /** The nodes of the sets of this scope someone still holds. */
  void roots(List<Integer> out) {
    if (!open) return;
    purge();
    for (WeakReference<PacketSet> r : made) {
      PacketSet s = r.get();
      if (s != null) out.add(s.node());
    }
  }

  /** A projection and the set it was made from (held, so that its node is not reused while the entry lives). */
  private record Projected(PacketSet source, PacketSet result) {}

  /**
   * The last projections made: a finding's words ask for the same projection of the same set
   * several times (what leaks, the traffic it lists), and a projection walks the whole set.
   */
  private final Map<List<Object>, Projected> projections = new LinkedHashMap<>(32, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<List<Object>, Projected> eldest) {
      return size() > 32;
    }
  };

  PacketSet projection(PacketSet source, List<PacketField> fields, Supplier<PacketSet> compute) {
    List<Object> key = List.of(source.node(), fields);
    Projected known = projections.get(key);
    if (known != null) return known.result();
    PacketSet result = compute.get();
    projections.put(key, new Projected(source, result));
    return result;
  }

  /** Collects the store if it is due, keeping the sets in use and {@code operands}. */
  void collectIfDue(int... operands) {
    if (!space.bdd().collectionDue()) return;
    List<Integer> extra = new ArrayList<>(operands.length);
    for (int o : operands) extra.add(o);
    space.collect(extra);
  }

  @Override
  public void close() {
    if (!open) return;
    open = false;
    made = new ArrayList<>();
    projections.clear();
    space.closeScope(this);
  }

  /** No packet. */
  public PacketSet none() {
    return wrap(Bdd.FALSE);
  }

  /** Every packet. */
  public PacketSet all() {
    return wrap(Bdd.TRUE);
  }

  /** The union of the sets (united pairwise: see {@link Bdd#orAll}). */
  public PacketSet union(Collection<PacketSet> sets) {
    int[] nodes = sets.stream().mapToInt(PacketSet::node).toArray();
    collectIfDue(nodes);
    return wrap(space.bdd().orAll(nodes));
  }

  /** The largest value a field can hold: all its bits set. */
  public BigInteger largest(PacketField f) {
    return BigInteger.ONE.shiftLeft(space.field(f).bits()).subtract(BigInteger.ONE);
  }

  /** The packets whose field has the value. */
  public PacketSet where(PacketField f, long value) {
    return where(f, BigInteger.valueOf(value));
  }

  public PacketSet where(PacketField f, BigInteger value) {
    collectIfDue();
    return wrap(space.field(f).eq(value));
  }

  /** The packets whose address field lies in a prefix. */
  public PacketSet within(PacketField f, Cidr c) {
    collectIfDue();
    return wrap(space.cidr(space.field(f), c));
  }

  /** The packets whose field lies from {@code from} to {@code to}, inclusive. */
  public PacketSet between(PacketField f, BigInteger from, BigInteger to) {
    collectIfDue();
    return wrap(space.field(f).range(from, to));
  }

  /** The packets whose field, masked, equals {@code value} masked. */
  public PacketSet masked(PacketField f, BigInteger value, BigInteger mask) {
    collectIfDue();
    return wrap(space.field(f).masked(value, mask));
  }

  /** The packets whose destination has one of the address types. */
  public PacketSet dstTypeIn(Collection<AddrType> types) {
    collectIfDue();
    return wrap(space.dstTypeIn(types));
  }

  /** The packets whose source has one of the address types. */
  public PacketSet srcTypeIn(Collection<AddrType> types) {
    collectIfDue();
    return wrap(space.srcTypeIn(types));
  }

  /** The packets in one of the conntrack states. */
  public PacketSet stateIn(Collection<ConnState> states) {
    collectIfDue();
    return wrap(space.stateIn(states));
  }

  /** The packets leaving through an interface of one of the names' classes (a name no rule tells apart from another shares its class). */
  public PacketSet leavingThrough(Collection<String> interfaces) {
    collectIfDue();
    InterfaceUniverse u = space.interfaces();
    return wrap(space.oifIn(interfaces.stream().map(u::classOf).toList()));
  }
}
