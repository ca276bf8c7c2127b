package org.ksaudit.parse;

import java.util.List;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Ruleset;

/** A ruleset and every diagnostic found while reading it, sorted by position. */
public record ParseResult(Ruleset ruleset, List<Diagnostic> diagnostics) {
  public ParseResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }
}
