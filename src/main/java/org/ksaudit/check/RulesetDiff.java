package org.ksaudit.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.analysis.LeakChange;
import org.ksaudit.analysis.RulesetComparison;
import org.ksaudit.analysis.WitnessDefaults;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.Backend;
import org.ksaudit.parse.ParseResult;

/**
 * {@code ksaudit diff}: what a new version of a killswitch lets out that the old one stopped,
 * and what it stops that the old one let out, per family and scenario. The tunnel interfaces
 * are the ones {@code ksaudit check} takes for the new version (names the rules of either
 * version send the VPN's own traffic through are never the tunnel). A family only one version
 * has a ruleset for is compared with the kernel's empty tables, which let every packet out.
 */
public final class RulesetDiff {
  private RulesetDiff() {}

  /** The differences, packets newly let out first; and the tunnel interfaces they were computed for. */
  public record Result(List<Difference> differences, TunnelChoice tunnels) {
    public Result {
      differences = List.copyOf(differences);
    }

    /** Whether the new version lets out anything the old one stopped. */
    public boolean letsOutMore() {
      return differences.stream().anyMatch(Difference::letOut);
    }
  }

  /** The name a missing ruleset is shown by. */
  public static String missing(Family f) {
    return "(no " + (f == Family.IPV4 ? "IPv4" : "IPv6") + " ruleset)";
  }

  public static Result compare(List<Ruleset> before, List<Ruleset> after, AuditOptions options) {
    TunnelChoice chosen = TunnelDetector.choose(options.tunnels(), options.endpoints(), after);
    TunnelChoice old = TunnelDetector.choose(options.tunnels(), options.endpoints(), before);
    Set<org.ksaudit.model.value.InterfaceName> notTunnels = new LinkedHashSet<>(chosen.excluded());
    notTunnels.addAll(old.excluded());
    List<Difference> out = new ArrayList<>();
    for (Family f : Family.values()) {
      Optional<Ruleset> b = of(before, f);
      Optional<Ruleset> a = of(after, f);
      if (b.isEmpty() && a.isEmpty()) continue;
      Ruleset earlier = b.orElseGet(() -> new Ruleset(missing(f), f, List.of()));
      Ruleset later = a.orElseGet(() -> new Ruleset(missing(f), f, List.of()));
      WitnessDefaults defaults = new WitnessDefaults(Witnesses.source(f), Witnesses.defaultSource(f,
          org.ksaudit.analysis.Path.FORWARD), Witnesses.SOURCE_PORT, AuditContext.FAMILIAR, Witnesses.documentation(f, 10));
      RulesetComparison c = new RulesetComparison(earlier, later, chosen.patterns(), List.copyOf(notTunnels), defaults);
      for (LeakChange ch : c.changes()) out.add(difference(f, ch, ch.letOut() ? later : earlier));
    }
    return new Result(out, chosen);
  }

  private static Optional<Ruleset> of(List<Ruleset> rulesets, Family f) {
    return rulesets.stream().filter(r -> r.family() == f).findFirst();
  }

  private static Difference difference(Family f, LeakChange c, Ruleset lettingOut) {
    return new Difference(f, c.scenario(), c.letOut(), c.definite() ? Certainty.DEFINITE : Certainty.POSSIBLE,
        lettingOut.file(), Locations.of(c.by(), List.of()), Witnesses.asWitness(c.witness(), c.finalPacket(), c.scenario().path()),
        c.letOutTrace(), c.stoppedTrace(), "");
  }

  /**
   * The differences of the files as both backends load them: as iptables-nft-restore does, and
   * when iptables-legacy-restore reads them otherwise (a table given twice), the differences only
   * its reading has, named so.
   */
  public static Result compareLoaded(List<ParseResult> before, List<ParseResult> after, AuditOptions options) {
    Result nft = compare(loadedBy(before, Backend.NFT), loadedBy(after, Backend.NFT), options);
    if (before.stream().allMatch(r -> r.legacyRuleset().isEmpty()) && after.stream().allMatch(r -> r.legacyRuleset().isEmpty()))
      return nft;
    Result legacy = compare(loadedBy(before, Backend.LEGACY), loadedBy(after, Backend.LEGACY), options);
    return new Result(merged(nft.differences(), legacy.differences(), Backend.LEGACY.tool()), nft.tunnels());
  }

  private static List<Ruleset> loadedBy(List<ParseResult> results, Backend b) {
    return results.stream().map(r -> r.loadedBy(b)).toList();
  }

  /**
   * The differences of each backend's reading of the files, when the backends read them
   * differently (a table given twice): those of the nf_tables backend, then those only the
   * legacy backend's reading has, named so.
   */
  public static List<Difference> merged(List<Difference> nft, List<Difference> legacy, String legacyTool) {
    Set<String> seen = new LinkedHashSet<>();
    for (Difference d : nft) seen.add(d.key());
    List<Difference> out = new ArrayList<>(nft);
    for (Difference d : legacy) if (!seen.contains(d.key())) out.add(d.loadedBy(legacyTool));
    return out;
  }
}
