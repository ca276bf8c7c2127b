package org.ksaudit.parse;

import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Rule;
import org.ksaudit.model.SourcePos;

/**
 * One interpreted restore line: the command, its chain and arguments, the rule it carries
 * (for -A/-I/-D/-R/-C) and the checks that can only run once the table is complete.
 */
record RuleCommand(
    CommandKind kind,
    Optional<String> chain,
    SourcePos chainPos,
    int chainLength,
    Optional<Integer> ruleNumber,
    Optional<String> extra,
    Optional<Rule> rule,
    List<DeferredCheck> deferred) {
  RuleCommand {
    deferred = List.copyOf(deferred);
  }
}
