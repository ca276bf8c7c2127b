package org.ksaudit.oracle;

import java.util.List;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.parse.RulesetParser;

/** One ruleset with both verdicts: the kernel's and ksaudit's (its error diagnostics). */
public record Judged(RulesFile file, KernelOracle.Verdict kernel, List<Diagnostic> errors) {
  public static Judged of(RulesFile f, KernelOracle.Verdict kernel) {
    List<Diagnostic> errors = RulesetParser.parse(f.name(), f.text(), f.family(), f.charset()).diagnostics().stream()
        .filter(d -> d.severity() == Severity.ERROR)
        .toList();
    return new Judged(f, kernel, errors);
  }

  public boolean ksauditAccepts() {
    return errors.isEmpty();
  }

  public boolean agrees() {
    return ksauditAccepts() == kernel.valid();
  }

  /** Both sides of a disagreement, for the test's failure message. */
  public String explain() {
    String ks = errors.isEmpty() ? "ksaudit accepts" : "ksaudit: " + errors.get(0).pos() + ": " + errors.get(0).message();
    return file.name() + " (" + file.family().label() + ")\n    kernel: " + kernel.why() + "\n    " + ks;
  }
}
