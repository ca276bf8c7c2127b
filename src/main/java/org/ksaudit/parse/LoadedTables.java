package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Policy;
import org.ksaudit.model.SourcePos;
import org.ksaudit.model.Table;

/**
 * The tables each backend holds after the COMMITs read so far. Both restore tools commit table
 * by table, and a table named a second time replaces the first (its rules and user chains are
 * gone), but the two backends start that second block differently, as committed in scratch
 * namespaces (testdata/syntax/duplicate-tables.v4.cases, {@code LoadedTablesKernelTest}):
 * iptables-nft-restore deletes the table, so a built-in chain the block does not declare or
 * use has no hook at all (the kernel's ACCEPT); iptables-legacy-restore flushes the rules and
 * deletes the user chains but keeps each built-in chain's policy, so a DROP the first block set
 * stays unless the second block sets another.
 */
final class LoadedTables {
  /** One committed block: where it started and its chains as each backend holds them. */
  private record Committed(SourcePos start, Table nft, Table legacy) {}

  private final Map<String, Committed> byName = new LinkedHashMap<>();
  private boolean backendsDiffer;

  /** Where the table was committed before, when this block replaces it. */
  Optional<SourcePos> replacing(String table) {
    return Optional.ofNullable(byName.get(table)).map(Committed::start);
  }

  static String replacedMessage(String table, SourcePos earlier) {
    return "table \"" + table + "\" was already committed (line " + earlier.line() + "): this block replaces it, so none of"
        + " its rules stay loaded; iptables-nft-restore starts this block from an empty table (a built-in chain it does not"
        + " declare has the kernel's ACCEPT), iptables-legacy-restore keeps the policies the earlier block set";
  }

  void commit(TableState s) {
    Committed before = byName.get(s.name);
    List<Chain> nft = new ArrayList<>();
    List<Chain> legacy = new ArrayList<>();
    for (TableState.ChainState c : s.chains.values()) {
      nft.add(new Chain(c.name, c.builtin ? c.policy.or(() -> Optional.of(Policy.ACCEPT)) : Optional.empty(), c.rules, c.pos));
      Optional<Policy> kept = before == null ? Optional.empty() : before.legacy.chain(c.name).flatMap(Chain::policy);
      legacy.add(new Chain(c.name, c.builtin ? c.policy.or(() -> kept).or(() -> Optional.of(Policy.ACCEPT)) : Optional.empty(),
          c.rules, c.pos));
    }
    if (before != null)
      for (Chain old : before.legacy.chains())
        if (old.builtin() && !s.chains.containsKey(old.name()) && Catalog.builtinChains(s.name).contains(old.name()))
          legacy.add(new Chain(old.name(), old.policy(), List.of(), old.pos()));
    byName.put(s.name, new Committed(s.pos, new Table(s.name, nft, s.pos), new Table(s.name, legacy, s.pos)));
    if (!policies(nft).equals(policies(legacy))) backendsDiffer = true;
  }

  private static Map<String, Optional<Policy>> policies(List<Chain> chains) {
    Map<String, Optional<Policy>> out = new LinkedHashMap<>();
    for (Chain c : chains) out.put(c.name(), c.policy());
    return out;
  }

  /** True when a table block left the legacy backend with policies the nf_tables backend does not have. */
  boolean backendsDiffer() {
    return backendsDiffer;
  }

  List<Table> nft() {
    return byName.values().stream().map(Committed::nft).toList();
  }

  List<Table> legacy() {
    return byName.values().stream().map(Committed::legacy).toList();
  }
}
