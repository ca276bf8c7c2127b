package org.ksaudit.lab;

import java.util.List;

/**
 * One scenario's measurements. {@code tunnelUp} tells whether the VPN was up when the probes
 * ran; {@code notes} explain the state (e.g. why the tunnel did not come up).
 */
public record ScenarioResult(Scenario scenario, boolean tunnelUp, List<String> notes, List<ProbeOutcome> outcomes) {
  public ScenarioResult {
    notes = List.copyOf(notes);
    outcomes = List.copyOf(outcomes);
  }

  public long leaks() {
    return outcomes.stream().filter(ProbeOutcome::leaked).count();
  }

  public long disagreements() {
    return outcomes.stream().filter(ProbeOutcome::disagreement).count();
  }
}
