package org.ksaudit.check;

import java.util.List;
import org.ksaudit.diagnostic.Diagnostic;

/**
 * What the killswitch audit found: the findings (most severe first), the interfaces it took as
 * the tunnel (and refused to), and notes about the audit itself, such as the one place where the analysis reached a limit of the engine (see
 * {@link KillswitchAudit#limitNote}).
 */
public record AuditResult(List<Finding> findings, TunnelChoice tunnels, List<Diagnostic> notes) {
  public AuditResult {
    findings = List.copyOf(findings);
    java.util.Objects.requireNonNull(tunnels, "tunnels");
    notes = List.copyOf(notes);
  }
}
