package org.ksaudit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.ksaudit.check.Finding;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.report.CheckReport;

/**
 * A run's verdict in one line. It names what fails (the IDs of the findings at or above the
 * threshold, the lab's scenarios that leaked), not how many: counts move with unrelated rules
 * and with the lab's timing, and {@code --on-change} is for a change of state. It never says a
 * host is clean: a pass says what was not found.
 */
public record Verdict(VerdictStatus status, String text) {
  public Verdict {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(text, "text");
  }

  public static Verdict of(CheckReport check, Optional<ProbeReport> lab) {
    if (check.refused()) {
      long errors = check.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).count();
      return new Verdict(VerdictStatus.REFUSED, "REFUSED: iptables-restore would refuse the rules (" + errors
          + (errors == 1 ? " error" : " errors") + "): nothing was audited");
    }
    String threshold = check.failOn().map(s -> "at " + s.label() + " or above").orElse("failing the run (--fail-on never)");
    TreeSet<String> failing = new TreeSet<>();
    for (Finding f : check.findings()) if (check.fails(f)) failing.add(f.id() + " " + f.category().jsonName());
    List<String> parts = new ArrayList<>();
    boolean fail = !failing.isEmpty();
    parts.add(failing.isEmpty() ? "no reported finding " + threshold : "findings " + threshold + ": " + String.join(", ", failing));
    if (lab.isPresent()) {
      ProbeReport r = lab.get();
      List<String> leaked = r.scenarios().stream().filter(s -> s.leaks() > 0).map(s -> s.scenario().label()).toList();
      parts.add(leaked.isEmpty() ? "no leak measured in the lab" : "leaks measured in the lab: " + String.join(", ", leaked));
      if (!r.baselineWorks()) parts.add("the VPN does not work through the rules in the lab");
      fail |= !leaked.isEmpty() || !r.baselineWorks();
    }
    VerdictStatus status = fail ? VerdictStatus.FAIL : VerdictStatus.PASS;
    return new Verdict(status, status.name() + ": " + String.join("; ", parts));
  }
}
