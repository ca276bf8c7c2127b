package org.ksaudit.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.check.Finding;
import org.ksaudit.check.TunnelChoice;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;

/**
 * Everything one {@code ksaudit check} run reports, whatever the format: the input files, what
 * loading them said, and, when the rules load, the audit. Every {@link ReportWriter} writes
 * one of these.
 *
 * @param diagnostics the syntax and load diagnostics of the files
 * @param notes notes of the audit about itself (a limit of the engine reached), with their source lines
 * @param tunnels the audit's choice of tunnel interfaces (empty when the rules are refused)
 * @param checks every check the audit applies, in ID order: the rules of SARIF, the test cases of JUnit
 * @param findings the audit's findings, most severe first, suppressed ones among them (empty when the rules are refused)
 * @param failOn the least severity at which a reported finding fails the run; empty: none does ({@code --fail-on never})
 */
public record CheckReport(
    String version,
    List<Input> inputs,
    List<Diagnostic> diagnostics,
    List<Diagnostic> notes,
    List<Finding> findings,
    Optional<TunnelChoice> tunnels,
    Sources sources,
    List<CheckInfo> checks,
    Optional<Severity> failOn) {
  public CheckReport {
    Objects.requireNonNull(version, "version");
    inputs = List.copyOf(inputs);
    diagnostics = List.copyOf(diagnostics);
    notes = List.copyOf(notes);
    findings = List.copyOf(findings);
    Objects.requireNonNull(tunnels, "tunnels");
    Objects.requireNonNull(sources, "sources");
    checks = List.copyOf(checks);
    Objects.requireNonNull(failOn, "failOn");
  }

  /** Whether this finding fails the run: reported (not suppressed) and at least as severe as the threshold. */
  public boolean fails(Finding f) {
    return f.reported() && failOn.isPresent() && f.severity().atLeast(failOn.get());
  }

  /** One ruleset file as the run read it. */
  public record Input(String name, Family family) {}

  /** Whether iptables-restore would refuse the files: then nothing was audited. */
  public boolean refused() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }

  /** The files' names, in the order given. */
  public List<String> names() {
    return inputs.stream().map(Input::name).toList();
  }

  /**
   * The input a finding belongs to: its file, or for a finding about a ruleset that was not
   * given (a missing IPv6 dump) the first file, the one the pair is audited from.
   */
  public Optional<Input> inputOf(Finding f) {
    return inputs.stream().filter(i -> i.name().equals(f.file())).findFirst().or(() -> inputs.stream().findFirst());
  }
}
