package org.ksaudit.catalog;

import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Family;

/**
 * What a module's or target's cross-option check can see of the rule it sits in: enough to
 * enforce "-p tcp needed", "-o not allowed in INPUT" and similar load-time rules.
 */
public interface RuleView {
  Family family();

  String table();

  String chain();

  /** The lower-cased protocol name given with -p, if any. */
  Optional<String> protocol();

  boolean protocolNegated();

  /** Canonical names of the options given for this module or target. */
  Set<String> optionsGiven();

  Optional<String> optionValue(String name);

  /** Every built-in chain this user chain can be reached from, or the chain itself when built-in. */
  Set<String> hookChains();

  /** Canonical names of the match modules on the rule. */
  Set<String> modules();
}
