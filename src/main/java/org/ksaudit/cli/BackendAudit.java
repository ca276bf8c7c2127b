package org.ksaudit.cli;

import java.util.Comparator;
import java.util.List;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.AuditResult;
import org.ksaudit.check.Finding;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.Backend;

/**
 * The audit of what the kernel loads. When the two iptables backends load the files
 * differently (a table given twice), each backend's rulesets are audited and the worse result
 * is reported, each finding's message naming the backend it holds for: a host may run either,
 * and a killswitch must hold on both.
 */
final class BackendAudit {
  private BackendAudit() {}

  static AuditResult audit(List<RulesetLoader.Loaded> loaded, AuditOptions options) {
    AuditResult byNft = KillswitchAudit.run(rulesets(loaded, Backend.NFT), options);
    if (loaded.stream().allMatch(l -> l.result().legacyRuleset().isEmpty())) return byNft;
    AuditResult byLegacy = KillswitchAudit.run(rulesets(loaded, Backend.LEGACY), options);
    return WORSE.compare(byLegacy.findings(), byNft.findings()) > 0 ? named(byLegacy, Backend.LEGACY) : named(byNft, Backend.NFT);
  }

  /** Every ruleset either backend loads: the rules a finding of {@link #audit} can point at. */
  static List<Ruleset> rulesets(List<RulesetLoader.Loaded> loaded) {
    List<Ruleset> out = new java.util.ArrayList<>(rulesets(loaded, Backend.NFT));
    for (RulesetLoader.Loaded l : loaded) l.result().legacyRuleset().ifPresent(out::add);
    return out;
  }

  private static List<Ruleset> rulesets(List<RulesetLoader.Loaded> loaded, Backend b) {
    return loaded.stream().map(l -> l.result().loadedBy(b)).toList();
  }

  /** More errors is worse; then more warnings; then more infos. */
  private static final Comparator<List<Finding>> WORSE = Comparator
      .comparingLong((List<Finding> f) -> count(f, Severity.ERROR))
      .thenComparingLong(f -> count(f, Severity.WARNING))
      .thenComparingLong(f -> count(f, Severity.INFO));

  private static long count(List<Finding> findings, Severity s) {
    return findings.stream().filter(f -> f.severity() == s).count();
  }

  private static AuditResult named(AuditResult audit, Backend b) {
    List<Finding> findings = audit.findings().stream()
        .map(f -> f.withMessage("as " + b.tool() + " loads the rules: " + f.message()))
        .toList();
    return new AuditResult(findings, audit.tunnels(), audit.notes());
  }
}
