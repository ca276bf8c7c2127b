package org.ksaudit.check;

import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;

/** The input of every check: the rulesets (at most one per family) and the user's options. */
public final class AuditContext {
  private final List<Ruleset> rulesets;
  private final AuditOptions options;

  AuditContext(List<Ruleset> rulesets, AuditOptions options) {
    this.rulesets = List.copyOf(rulesets);
    this.options = options;
  }

  public List<Ruleset> rulesets() {
    return rulesets;
  }

  public AuditOptions options() {
    return options;
  }

  public Optional<Ruleset> ruleset(Family family) {
    return rulesets.stream().filter(r -> r.family() == family).findFirst();
  }
}
