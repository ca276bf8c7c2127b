package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A set of packets of one analysis, usable while the {@link SetScope} that made it is open.
 * Sets are immutable values: every operation makes a new set in the same scope. The node
 * store behind them is private to {@code analysis}; a set the caller still holds is never
 * lost when the store is collected.
 */
public final class PacketSet {
  /** Consecutive values of a field, {@code from} to {@code to} inclusive. */
  public record Range(BigInteger from, BigInteger to) {
    public Range {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** The values of a field whose top {@code length} bits are those of {@code value}. */
  public record Prefix(BigInteger value, int length) {
    public Prefix {
      Objects.requireNonNull(value, "value");
    }
  }

  private final SetScope scope;
  private final int node;

  PacketSet(SetScope scope, int node) {
    this.scope = scope;
    this.node = node;
  }

  /** The set's node, for the analysis's own algebra; fails once its scope is closed. */
  int node() {
    scope.requireOpen();
    return node;
  }

  SetScope scope() {
    return scope;
  }

  private int nodeOf(PacketSet other) {
    if (other.scope.space() != scope.space()) throw new IllegalArgumentException("sets of two analyses");
    return other.node();
  }

  private Bdd bdd() {
    return scope.space().bdd();
  }

  private BitField bits(PacketField f) {
    return scope.space().field(f);
  }

  public PacketSet and(PacketSet other) {
    int a = node();
    int b = nodeOf(other);
    scope.collectIfDue(a, b);
    return scope.wrap(bdd().and(a, b));
  }

  public PacketSet or(PacketSet other) {
    int a = node();
    int b = nodeOf(other);
    scope.collectIfDue(a, b);
    return scope.wrap(bdd().or(a, b));
  }

  /** The packets of this set that are not in {@code other}. */
  public PacketSet minus(PacketSet other) {
    int a = node();
    int b = nodeOf(other);
    scope.collectIfDue(a, b);
    return scope.wrap(bdd().diff(a, b));
  }

  public boolean isEmpty() {
    return node() == Bdd.FALSE;
  }

  /** Every packet, whatever its fields. */
  public boolean isAll() {
    return node() == Bdd.TRUE;
  }

  public boolean isWithin(PacketSet other) {
    int a = node();
    int b = nodeOf(other);
    scope.collectIfDue(a, b);
    return bdd().subset(a, b);
  }

  public boolean intersects(PacketSet other) {
    int a = node();
    int b = nodeOf(other);
    scope.collectIfDue(a, b);
    return bdd().intersects(a, b);
  }

  /** The same packets with any value of the given fields. */
  public PacketSet forgetting(PacketField... fields) {
    int a = node();
    scope.collectIfDue(a);
    for (PacketField f : fields) a = bits(f).forget(a);
    return scope.wrap(a);
  }

  /** Only the given fields of the set (every other one takes any value), in one walk of the set. */
  public PacketSet keepingOnly(PacketField... fields) {
    return scope.projection(this, List.of(fields), () -> {
      int a = node();
      scope.collectIfDue(a);
      return scope.wrap(scope.space().project(a, Arrays.stream(fields).map(this::bits).toArray(BitField[]::new)));
    });
  }

  /** The packets that are in the set whatever the value of {@code f}. */
  public PacketSet forEvery(PacketField f) {
    int a = node();
    scope.collectIfDue(a);
    return scope.wrap(bits(f).forall(a));
  }

  /** The packets that are in the set whatever the matches the engine cannot decide say. */
  public PacketSet definitely() {
    int a = node();
    scope.collectIfDue(a);
    return scope.wrap(scope.space().definitely(a));
  }

  /** The packets that are in the set for some outcome of the matches the engine cannot decide. */
  public PacketSet possibly() {
    int a = node();
    scope.collectIfDue(a);
    return scope.wrap(scope.space().possibly(a));
  }

  /** Whether any set of this analysis can depend on a match the engine cannot decide: none was met. */
  public boolean analysisHasUndecided() {
    return scope.space().hasUnknowns();
  }

  /**
   * Whether some packet of the set is in it only for some outcomes of the matches the engine
   * cannot decide: the set needs an undecided match.
   */
  public boolean needsUndecided() {
    return !isWithin(definitely());
  }

  /**
   * The set with the undecided matches an ordinary packet fails taken as failed: a routing
   * header match ({@code -m rt}) never matches a packet without a routing header, and neither
   * a local process nor the lab sends one unless it asks for it.
   */
  public PacketSet withRoutingHeaderMatchesFailed() {
    int a = node();
    scope.collectIfDue(a);
    PacketSpace s = scope.space();
    if (!s.hasUnknowns()) return this;
    List<Integer> vars = s.unknownsView().entrySet().stream()
        .filter(e -> e.getValue().what().equals("-m rt") || e.getValue().what().startsWith("-m rt "))
        .map(java.util.Map.Entry::getKey).toList();
    if (vars.isEmpty()) return this;
    Bdd b = bdd();
    int failed = Bdd.TRUE;
    for (int v : vars) failed = b.and(failed, b.nithVar(v));
    return scope.wrap(b.exists(b.and(a, failed), Bdd.VarSet.of(vars.stream().mapToInt(Integer::intValue).toArray())));
  }

  /**
   * Narrows the set step by step: each preference is kept only if the set still has members
   * with it. The result is a non-empty subset (of a non-empty set) that honours as many
   * preferences, in order, as the set allows.
   */
  public PacketSet narrowedBy(List<PacketSet> preferences) {
    int a = node();
    int[] prefs = preferences.stream().mapToInt(this::nodeOf).toArray();
    int[] keep = Arrays.copyOf(prefs, prefs.length + 1);
    keep[prefs.length] = a;
    scope.collectIfDue(keep);
    return scope.wrap(scope.space().prefer(a, Arrays.stream(prefs).boxed().toList()));
  }

  /** The smallest value of a field among the packets of a non-empty set (-1 for an empty one). */
  public BigInteger min(PacketField f) {
    return extreme(f, false);
  }

  /** The largest value of a field among the packets of a non-empty set (-1 for an empty one). */
  public BigInteger max(PacketField f) {
    return extreme(f, true);
  }

  /** The one value every packet of the set has in a field, if they all have the same. */
  public Optional<BigInteger> single(PacketField f) {
    BigInteger lo = min(f);
    return lo.signum() >= 0 && lo.equals(max(f)) ? Optional.of(lo) : Optional.empty();
  }

  private BigInteger extreme(PacketField f, boolean largest) {
    int a = node();
    if (a == Bdd.FALSE) return BigInteger.ONE.negate();
    scope.collectIfDue(a);
    BitField field = bits(f);
    return FieldValues.extreme(bdd(), field, field.project(a), largest);
  }

  /** The values a field takes in the set as maximal runs, ascending; empty when more than {@code max} runs are needed. */
  public Optional<List<Range>> runs(PacketField f, int max) {
    int a = node();
    scope.collectIfDue(a);
    BitField field = bits(f);
    return FieldValues.runs(bdd(), field, field.project(a), max);
  }

  /** The values a field takes in the set as at most {@code max} prefixes; empty when it needs more, or none. */
  public Optional<List<Prefix>> prefixes(PacketField f, int max) {
    int a = node();
    scope.collectIfDue(a);
    BitField field = bits(f);
    return FieldValues.prefixes(bdd(), field, field.project(a), max);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PacketSet p && p.scope.space() == scope.space() && p.node == node;
  }

  @Override
  public int hashCode() {
    return node;
  }
}
