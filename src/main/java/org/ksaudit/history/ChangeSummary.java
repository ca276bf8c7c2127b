package org.ksaudit.history;

import java.util.List;
import java.util.Optional;
import org.ksaudit.check.Finding;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.report.ChangeItem;
import org.ksaudit.report.CheckReport;
import org.ksaudit.report.RunChanges;

/**
 * A run in a few lines, what {@code ksaudit report} prints and gives {@code --on-change} on its
 * standard input: the verdict, the run folder, what changed since the previous run, and the
 * counts. Every text of the input is shown with its control characters escaped.
 */
public final class ChangeSummary {
  private ChangeSummary() {}

  /** {@code audited}: when the findings were compared with a run older than the previous one (whose rules were refused), its time. */
  public static String text(Verdict verdict, RunFolder run, Optional<RunChanges> changes, Optional<Verdict> previous,
      Optional<java.time.Instant> audited, CheckReport check, Optional<ProbeReport> lab) {
    StringBuilder b = new StringBuilder();
    line(b, "ksaudit report: " + verdict.text());
    line(b, "run: " + run.path() + " (" + RunFiles.HTML + ", " + RunFiles.JSON + ", " + RunFiles.SARIF + ")");
    if (changes.isEmpty()) {
      line(b, "first run in " + run.path().getParent() + ": nothing to compare with");
    } else {
      RunChanges c = changes.get();
      List<ChangeItem> items = c.items();
      line(b, (items.isEmpty() ? "nothing changed" : items.size() + (items.size() == 1 ? " change" : " changes")) + " since the run of "
          + c.previousRun() + (c.verdictChanged() ? "; the verdict was: " + previous.map(Verdict::text).orElse("?") : ""));
      audited.ifPresent(a -> line(b, "findings and rules compared with the run of " + a + ", the newest whose rules loaded"));
      if (audited.isEmpty() && previous.map(v -> v.status() == VerdictStatus.REFUSED).orElse(false))
        line(b, "no earlier run's rules loaded: every finding is new");
      for (ChangeItem i : items) line(b, "  " + i.text());
    }
    line(b, counts(check) + lab.map(ChangeSummary::lab).orElse(""));
    return b.toString();
  }

  private static String counts(CheckReport check) {
    if (check.refused()) return "findings: none, the rules were not audited";
    long reported = check.findings().stream().filter(Finding::reported).count();
    return "findings: " + reported + " reported (" + count(check, Severity.ERROR) + " error, " + count(check, Severity.WARNING)
        + " warning, " + count(check, Severity.INFO) + " info), " + (check.findings().size() - reported) + " suppressed";
  }

  private static long count(CheckReport check, Severity s) {
    return check.findings().stream().filter(f -> f.reported() && f.severity() == s).count();
  }

  private static String lab(ProbeReport r) {
    return String.format(java.util.Locale.ROOT, "; lab: %d %s measured in %d %s, VPN %s, %d analysis %s (%.1f s)", r.leaks(),
        r.leaks() == 1 ? "leak" : "leaks", r.scenarios().size(), r.scenarios().size() == 1 ? "scenario" : "scenarios",
        !r.baselineRun() ? "not tried" : r.baselineWorks() ? "works" : "broken", r.disagreements(),
        r.disagreements() == 1 ? "disagreement" : "disagreements", r.seconds());
  }

  private static void line(StringBuilder b, String text) {
    b.append(TerminalText.line(text)).append('\n');
  }
}
