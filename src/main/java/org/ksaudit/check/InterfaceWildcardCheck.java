package org.ksaudit.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.TargetAction;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.InterfaceName;

/**
 * KS112: an output-interface wildcard meant for a local interface ({@code -o lo+},
 * {@code docker+}, {@code veth+}) also matches any interface whose name begins the same way.
 * The leak checks count no packet through such a name (no uplink is called lo0), so this
 * warning is where the rules' reach beyond the local interface is reported.
 */
public final class InterfaceWildcardCheck implements Check {
  static final CheckInfo INFO = new CheckInfo(
      "KS112",
      Category.INTERFACE_WILDCARD,
      Severity.WARNING,
      "an interface wildcard for a local interface matches more than it",
      """
      A rule names a local or container interface with a wildcard: "-o lo+" instead of
      "-o lo", "-o docker+", "-o veth+", "-o virbr+", "-o br-+". The "+" matches every
      interface whose name begins with the stem, so the rule also accepts (or, negated, also
      exempts from its refusal) packets leaving through any such interface, including ones
      created later with such a name. The leak checks do not count packets through a name only
      the wildcard reaches (lo0 is no uplink), so this is reported once here.""",
      """
      An interface name is chosen by whoever creates the interface: a VPN client, a container
      runtime, or a process with CAP_NET_ADMIN can name an uplink, a tunnel to elsewhere or a
      veth pair "lo1" or "docker-uplink", and the rule lets traffic out through it in clear.
      On a normal host the only interface starting with lo is lo itself, which is why
      "-o lo" is all a killswitch needs.""",
      """
      -A OUTPUT -o lo+ -j ACCEPT""",
      """
      -A OUTPUT -o lo -j ACCEPT
      # containers: name the bridge itself
      -A OUTPUT -o docker0 -j ACCEPT""",
      List.of("iptables(8): -o, --out-interface (\"+\" matches any name beginning with the stem)"));

  /** Stems of interfaces that are local to the host or its containers, never an uplink. */
  static final List<String> LOCAL_STEMS = List.of("lo", "docker", "veth", "virbr", "br-", "lxcbr", "cni", "podman");

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  public AuditContext.Purpose purpose() {
    return AuditContext.Purpose.RULES;
  }

  /**
   * The interfaces an analysis reaches only through a local stem's wildcard, one name per
   * class: names that begin with a local stem that no rule names exactly.
   */
  static List<String> localOnly(RulesetAnalysis a) {
    Set<String> exact = new LinkedHashSet<>();
    for (InterfaceName n : a.mentions().interfaces()) if (!n.wildcard()) exact.add(n.name());
    List<String> out = new ArrayList<>();
    for (String rep : a.interfaceClasses()) {
      if (rep.equals("lo") || exact.contains(rep) || a.isTunnel(rep)) continue;
      if (LOCAL_STEMS.stream().anyMatch(rep::startsWith)) out.add(rep);
    }
    return out;
  }

  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Ruleset rs : ctx.rulesets()) {
      Map<String, List<Location>> byPattern = new LinkedHashMap<>();
      for (Table t : rs.tables()) {
        Set<String> names = new LinkedHashSet<>();
        for (Chain c : t.chains()) names.add(c.name());
        RuleDecoder dec = new RuleDecoder(rs.family(), t.name(), names);
        for (Chain c : t.chains()) {
          for (Rule r : c.rules()) {
            RuleDecoder.Decoded d = dec.decode(r);
            boolean refuses = d.action() instanceof TargetAction.Terminal term && term.verdict() != Verdict.ACCEPT;
            for (Condition cond : d.conditions()) {
              if (!(cond instanceof Condition.IfaceIs i) || i.dir() != Dir.DST || !i.name().wildcard()) continue;
              if (!isLocalStem(i.name().stem()) || i.negated() != refuses) continue;
              byPattern.computeIfAbsent(i.name().name(), k -> new ArrayList<>())
                  .add(Locations.ofRule(r, List.of("--out-interface", "-o")));
            }
          }
        }
      }
      byPattern.forEach((pattern, locations) -> {
        String stem = pattern.substring(0, pattern.length() - 1);
        String fix = stem.equals("lo") ? "use -o lo" : "name the interfaces themselves (-o " + stem + "0)";
        String msg = "\"" + pattern + "\" also matches any interface whose name begins with " + stem + ", not only the host's own "
            + (stem.equals("lo") ? "loopback" : stem + " interfaces") + ": packets leave in clear through such an interface "
            + "if one exists; " + fix;
        out.add(new Finding(INFO.id(), INFO.category(), FindingKind.RULESET, Severity.WARNING, Certainty.DEFINITE, rs.file(),
            Optional.of(locations.get(0)), msg, Optional.empty(), List.of(), locations, List.of()));
      });
    }
    return out;
  }

  /** A stem that only local interfaces have: one of {@link #LOCAL_STEMS}, or a longer name starting with one. */
  static boolean isLocalStem(String stem) {
    return LOCAL_STEMS.stream().anyMatch(stem::startsWith);
  }
}
