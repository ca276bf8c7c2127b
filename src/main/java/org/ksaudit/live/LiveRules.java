package org.ksaudit.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.model.Family;

/**
 * Which dump of each family the audit reads. A packet leaves only if every backend holding
 * rules lets it out (the kernel runs the hooks of both), so the findings of either backend
 * cover every real leak: when both hold rules, the one with fewer error findings is audited, and
 * {@link HostChecks} says that the other also applies.
 */
public final class LiveRules {
  private LiveRules() {}

  /** The dumps audited, and per family the other backend's dump that also holds rules. */
  public record Chosen(List<RulesetLoader.Loaded> loaded, List<RulesDump> alsoApplied) {
    public Chosen {
      loaded = List.copyOf(loaded);
      alsoApplied = List.copyOf(alsoApplied);
    }
  }

  public static Chosen choose(HostState host, AuditOptions options) {
    List<RulesetLoader.Loaded> loaded = new ArrayList<>();
    List<RulesDump> also = new ArrayList<>();
    for (Family f : Family.values()) {
      List<RulesDump> dumps = host.dumps().stream().filter(d -> d.family() == f).toList();
      List<RulesDump> holding = dumps.stream().filter(RulesDump::holdsRules).toList();
      Optional<RulesDump> pick = holding.isEmpty() ? dumps.stream().findFirst() : Optional.of(holding.get(0));
      if (holding.size() > 1) {
        RulesetLoader.Loaded a = load(holding.get(0));
        RulesetLoader.Loaded b = load(holding.get(1));
        boolean bLetsOutLess = errors(b, options) < errors(a, options);
        pick = Optional.of(bLetsOutLess ? holding.get(1) : holding.get(0));
        also.add(bLetsOutLess ? holding.get(0) : holding.get(1));
      }
      pick.ifPresent(d -> loaded.add(load(d)));
    }
    return new Chosen(loaded, also);
  }

  private static RulesetLoader.Loaded load(RulesDump d) {
    return RulesetLoader.parse(new InputFile(d.name(), d.text()), d.family());
  }

  /** The error findings of one dump audited alone; a dump the parser refuses counts as letting everything out. */
  private static long errors(RulesetLoader.Loaded l, AuditOptions options) {
    if (l.result().diagnostics().stream().anyMatch(d -> d.severity() == Severity.ERROR)) return Long.MAX_VALUE;
    return KillswitchAudit.run(List.of(l.result().ruleset()), options).findings().stream()
        .filter(x -> x.severity() == Severity.ERROR && x.file().equals(l.input().name())).count();
  }
}
