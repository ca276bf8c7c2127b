package org.ksaudit.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * The match modules and targets ksaudit knows, with their options and load-time rules. The
 * meaning of each option (what packets it selects) lives in the analysis; this catalogue only
 * knows what iptables-restore and the kernel accept.
 */
public final class Catalog {
  public static final Catalog DEFAULT = new Catalog();

  /** Standard verdicts handled by the core, not by an extension. */
  public static final Set<String> STANDARD_TARGETS = Set.of("ACCEPT", "DROP", "RETURN", "QUEUE");

  public static final Set<String> TABLES = Set.of("filter", "nat", "mangle", "raw", "security");

  // Keyed by name; a name can have one spec per family (REJECT differs between IPv4 and IPv6).
  private final Map<String, List<ExtensionSpec>> matches = new LinkedHashMap<>();
  private final Map<String, List<ExtensionSpec>> targets = new LinkedHashMap<>();

  private Catalog() {
    MatchDefinitions.register(this);
    TargetDefinitions.register(this);
  }

  void addMatch(ExtensionBuilder b) {
    ExtensionSpec s = b.build();
    matches.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
  }

  void addTarget(ExtensionBuilder b) {
    ExtensionSpec s = b.build();
    targets.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
  }

  public Optional<ExtensionSpec> match(String name, Family family) {
    return find(matches, name, family);
  }

  /** True when the module exists but only for the other family (icmp6 in an IPv4 file). */
  public boolean matchInOtherFamily(String name, Family family) {
    return matches.containsKey(name) && match(name, family).isEmpty();
  }

  public Optional<ExtensionSpec> target(String name, Family family) {
    return find(targets, name, family);
  }

  public boolean targetInOtherFamily(String name, Family family) {
    return targets.containsKey(name) && target(name, family).isEmpty();
  }

  private static Optional<ExtensionSpec> find(Map<String, List<ExtensionSpec>> m, String name, Family family) {
    List<ExtensionSpec> specs = m.get(name);
    if (specs == null) return Optional.empty();
    for (ExtensionSpec s : specs) if (s.families().contains(family)) return Optional.of(s);
    return Optional.empty();
  }

  public Collection<String> matchNames() {
    return matches.keySet();
  }

  public Collection<String> targetNames() {
    return targets.keySet();
  }

  /** Built-in chains of each table, per the kernel's hook masks. */
  public static Set<String> builtinChains(String table) {
    return switch (table) {
      case "filter" -> Set.of("INPUT", "FORWARD", "OUTPUT");
      case "nat" -> Set.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");
      case "mangle" -> Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");
      case "raw" -> Set.of("PREROUTING", "OUTPUT");
      case "security" -> Set.of("INPUT", "FORWARD", "OUTPUT");
      default -> Set.of();
    };
  }

  /** Every chain name that is built-in in some table: not a valid user chain name elsewhere. */
  public static final Set<String> ALL_BUILTIN = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");
}
