package org.ksaudit.report;

import java.util.List;
import java.util.Optional;
import org.ksaudit.check.Finding;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.lab.ProbeReport;

/**
 * The one line the page opens with, and its kind. Only a run with no finding at all (none
 * suppressed either) and no leak, disagreement or broken baseline in the lab is clean: a
 * suppressed leak still lets its packets out.
 */
enum PageVerdict {
  REFUSED("verdict-refused"),
  LEAKS("verdict-leaks"),
  WARNINGS("verdict-warnings"),
  CLEAN("verdict-clean");

  final String cssClass;

  PageVerdict(String cssClass) {
    this.cssClass = cssClass;
  }

  static PageVerdict of(CheckReport check, Optional<ProbeReport> lab) {
    if (check.refused()) return REFUSED;
    List<Finding> findings = check.findings();
    boolean errors = findings.stream().anyMatch(f -> f.reported() && f.severity() == Severity.ERROR);
    if (errors || lab.map(r -> r.leaks() > 0).orElse(false)) return LEAKS;
    boolean labDoubts = lab.map(r -> r.disagreements() > 0 || (r.baselineRun() && !r.baselineWorks())).orElse(false);
    return findings.isEmpty() && !labDoubts ? CLEAN : WARNINGS;
  }

  /** The line: the text report's summary, then what the lab measured. */
  static String line(CheckReport check, Optional<ProbeReport> lab) {
    if (check.refused()) {
      return "iptables-restore would refuse " + (check.inputs().size() == 1 ? "this file" : "these files") + ": nothing was audited";
    }
    String audit = TextReport.summary(check.findings());
    return lab.map(r -> audit + "; the lab measured " + r.leaks() + (r.leaks() == 1 ? " leak" : " leaks")
        + (r.disagreements() > 0 ? " and " + r.disagreements() + (r.disagreements() == 1 ? " disagreement" : " disagreements")
            + " with the engine" : "")
        + (r.baselineRun() && !r.baselineWorks() ? "; the VPN does not work through the killswitch" : "")).orElse(audit);
  }
}
