package org.ksaudit.lab;

import java.util.List;
import java.util.Optional;

/**
 * Everything the prober measured.
 *
 * @param baselineRun whether the baseline scenario ran at all
 * @param baselineWorks the VPN came up and DNS and the web went through it (true when not run)
 * @param baselineProblem why the baseline failed (e.g. the killswitch blocks its own VPN)
 * @param webShows the address the web page showed in the baseline
 * @param predictionsNote why predictions are missing, when they are
 */
public record ProbeReport(
    LabPlan plan,
    List<ScenarioResult> scenarios,
    boolean baselineRun,
    boolean baselineWorks,
    Optional<String> baselineProblem,
    Optional<String> webShows,
    Optional<String> predictionsNote,
    double seconds) {
  public ProbeReport {
    scenarios = List.copyOf(scenarios);
  }

  public long leaks() {
    return scenarios.stream().mapToLong(ScenarioResult::leaks).sum();
  }

  public long disagreements() {
    return scenarios.stream().mapToLong(ScenarioResult::disagreements).sum();
  }
}
