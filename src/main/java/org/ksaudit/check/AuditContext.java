package org.ksaudit.check;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ksaudit.analysis.AnalysisLimit;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.Cidr;

/**
 * The input of every check: the rulesets (at most one per family), the user's options, the
 * tunnel interfaces, and the analyses the checks share (computed once, on first use).
 */
public final class AuditContext {
  /** Interface names witnesses prefer, as real hosts and the lab have them. */
  static final List<String> FAMILIAR = List.of("eth0", "wlan0", "tun0", "wg0");

  private final List<Ruleset> rulesets;
  private final AuditOptions options;
  private final TunnelChoice tunnels;
  private final Map<Purpose, Map<Family, RulesetAnalysis>> analyses = new EnumMap<>(Purpose.class);
  private final Map<Purpose, Map<Family, SetScope>> scopes = new EnumMap<>(Purpose.class);
  private final Map<Family, Map<Category, List<LeakPart>>> parts = new EnumMap<>(Family.class);
  private final Set<Family> forwardTaken = ConcurrentHashMap.newKeySet();
  /** The places where analyses already dropped stopped at a limit of the engine. */
  private final Set<AnalysisLimit> limits = new LinkedHashSet<>();

  AuditContext(List<Ruleset> rulesets, AuditOptions options) {
    this.rulesets = List.copyOf(rulesets);
    this.options = options;
    this.tunnels = TunnelDetector.choose(options.tunnels(), options.endpoints(), rulesets);
  }

  public List<Ruleset> rulesets() {
    return rulesets;
  }

  public AuditOptions options() {
    return options;
  }

  /** Which names were taken as the tunnel and which refused, and why. */
  public TunnelChoice tunnelChoice() {
    return tunnels;
  }

  public Optional<Ruleset> ruleset(Family family) {
    return rulesets.stream().filter(r -> r.family() == family).findFirst();
  }

  /**
   * What an analysis is for, in the order the audit runs the checks of each. Each purpose gets
   * its own packet space, so the audit can drop one before building the next and a large
   * ruleset never holds all three in memory at once.
   */
  public enum Purpose {
    OUTPUT_LEAKS,
    FORWARD_LEAKS,
    REACHABILITY,
    /** No analysis: checks of the rules' text and structure alone. */
    RULES
  }

  /**
   * Computes what the reachability and forward-leak checks need, for every ruleset: the
   * audit runs this on a second thread while the OUTPUT leak checks run (the analyses of
   * different purposes share nothing but the immutable rulesets). A forward analysis the
   * first thread has taken meanwhile (see {@link #prepareForward()}) is left to it.
   */
  void prepareReachabilityAndForward() {
    for (Ruleset rs : rulesets) analysis(rs, Purpose.REACHABILITY).reachability();
    prepareForward();
  }

  /** Computes the forward leaks of every ruleset not taken by another thread yet: each is computed once, by whichever thread gets to it first. */
  void prepareForward() {
    for (Ruleset rs : rulesets) {
      if (forwardTaken.add(rs.family())) analysis(rs, Purpose.FORWARD_LEAKS).walk(Path.FORWARD);
    }
  }

  public synchronized RulesetAnalysis analysis(Ruleset rs, Purpose purpose) {
    return analyses.computeIfAbsent(purpose, p -> new EnumMap<>(Family.class))
        .computeIfAbsent(rs.family(), f -> new RulesetAnalysis(rs, tunnels.patterns(), tunnels.excluded(), FAMILIAR));
  }

  /**
   * The scope of the packet sets the checks of a purpose hold for a ruleset: open from the
   * first question until the purpose's analyses are released.
   */
  public synchronized SetScope scope(Ruleset rs, Purpose purpose) {
    return scopes.computeIfAbsent(purpose, p -> new EnumMap<>(Family.class))
        .computeIfAbsent(rs.family(), f -> analysis(rs, purpose).openScope());
  }

  /** Forgets the analyses of a purpose (and what was computed from them). */
  synchronized void release(Purpose purpose) {
    Map<Family, SetScope> open = scopes.remove(purpose);
    if (open != null) open.values().forEach(SetScope::close);
    Map<Family, RulesetAnalysis> dropped = analyses.remove(purpose);
    if (dropped != null) for (RulesetAnalysis a : dropped.values()) limits.addAll(a.limits());
    if (purpose == Purpose.OUTPUT_LEAKS) parts.clear();
  }

  /** Where the analyses released so far stopped at a limit of the engine, in file order. */
  synchronized List<AnalysisLimit> limitsReached() {
    return limits.stream().sorted(java.util.Comparator.comparing(AnalysisLimit::at)).toList();
  }

  public List<Endpoint> endpoints(Family family) {
    return options.endpoints().stream().filter(e -> e.family() == family).toList();
  }

  public List<Cidr> allowedLan(Family family) {
    return options.allowLan().stream().filter(c -> c.family() == family).toList();
  }

  /** The OUTPUT leaks of a ruleset, split by category (see {@link LeakPartition}). */
  public List<LeakPart> leakParts(Ruleset rs, Category category) {
    Map<Category, List<LeakPart>> m = parts.computeIfAbsent(rs.family(),
        f -> LeakPartition.compute(this, analysis(rs, Purpose.OUTPUT_LEAKS), scope(rs, Purpose.OUTPUT_LEAKS)));
    return m.getOrDefault(category, List.of());
  }

  /** Every category's parts, in a stable order, for callers that want them all. */
  public Map<Category, List<LeakPart>> allLeakParts(Ruleset rs) {
    leakParts(rs, Category.DIRECT_LEAK);
    return new LinkedHashMap<>(parts.get(rs.family()));
  }
}
