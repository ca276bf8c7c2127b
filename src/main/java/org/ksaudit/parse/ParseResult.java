package org.ksaudit.parse;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Ruleset;

/**
 * A ruleset and every diagnostic found while reading it, sorted by position. {@code ruleset}
 * is what iptables-nft-restore loads; {@code legacyRuleset} is present only when
 * iptables-legacy-restore loads something else (a table given twice, see {@link LoadedTables}).
 */
public record ParseResult(Ruleset ruleset, List<Diagnostic> diagnostics, Optional<Ruleset> legacyRuleset) {
  public ParseResult {
    Objects.requireNonNull(ruleset, "ruleset");
    diagnostics = List.copyOf(diagnostics);
    Objects.requireNonNull(legacyRuleset, "legacyRuleset");
  }

  public ParseResult(Ruleset ruleset, List<Diagnostic> diagnostics) {
    this(ruleset, diagnostics, Optional.empty());
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }

  /** What the given backend loads. */
  public Ruleset loadedBy(Backend backend) {
    return backend == Backend.LEGACY ? legacyRuleset.orElse(ruleset) : ruleset;
  }
}
