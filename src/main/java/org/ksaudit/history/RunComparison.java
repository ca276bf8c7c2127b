package org.ksaudit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.report.ChangeItem;
import org.ksaudit.report.ChangeKind;
import org.ksaudit.report.RunChanges;

/**
 * What changed from the previous run to this one, and whether anything got worse: a new reported
 * finding at or above the fail threshold, a new measured leak, or a lab whose VPN stopped working
 * through the rules. A run whose rules are refused audited nothing, so it fixes nothing: it is
 * compared by its verdict alone, and the run after it compares its findings with the newest run
 * whose rules loaded.
 */
public final class RunComparison {
  private RunComparison() {}

  /** The changes (new findings, fixed findings, new and fixed leaks, rules changed, in that order) and whether it got worse. */
  public record Result(RunChanges changes, boolean worse) {}

  /**
   * The changes since {@code previous}; the findings are compared with {@code audited}, the newest
   * earlier run whose rules loaded (every finding is new when there is none).
   */
  public static Result between(RunRecord previous, Optional<RunRecord> audited, RunRecord now, List<ChangeItem> ruleChanges,
      Optional<Severity> failOn) {
    List<ChangeItem> items = new ArrayList<>();
    boolean worse = false;
    if (now.verdict().status() != VerdictStatus.REFUSED) {
      FindingChanges.Result findings = FindingChanges.between(audited.map(RunRecord::findings).orElse(List.of()), now.findings(), failOn);
      items.addAll(findings.items());
      worse = findings.worse();
    }
    List<ChangeItem> leaks = LeakChanges.between(previous.leaks(), now.leaks());
    items.addAll(leaks);
    worse |= leaks.stream().anyMatch(i -> i.kind() == ChangeKind.NEW_LEAK);
    worse |= vpnBroke(Optional.of(previous), now);
    items.addAll(ruleChanges);
    boolean verdictChanged = !previous.verdict().text().equals(now.verdict().text());
    return new Result(new RunChanges(previous.at(), verdictChanged, items), worse);
  }

  /** The first run: everything it found is new. */
  public static boolean firstWorse(RunRecord now, Optional<Severity> failOn) {
    boolean failing = failOn.isPresent()
        && now.findings().stream().anyMatch(f -> f.reported() && f.severity().atLeast(failOn.get()));
    return failing || now.leaks().map(l -> !l.isEmpty()).orElse(false) || vpnBroke(Optional.empty(), now);
  }

  /** Whether this run's lab found the VPN broken through the rules while the previous one (or no lab before) did not. */
  private static boolean vpnBroke(Optional<RunRecord> previous, RunRecord now) {
    if (now.leaks().isEmpty() || now.labVpnWorks()) return false;
    return previous.isEmpty() || previous.get().leaks().isEmpty() || previous.get().labVpnWorks();
  }
}
