package org.ksaudit.parse;

import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Rule;
import org.ksaudit.model.SourcePos;

/**
 * One interpreted restore line: the command, its chain and arguments, the rule it carries (for
 * -A/-I/-D/-R/-C), whether its target is an extension or standard verdict (otherwise it names
 * a chain), the checks that can only run once the table is complete, and whether the line
 * already had errors (the command then runs for the model's sake only, without new reports).
 */
record RuleCommand(
    CommandKind kind,
    Optional<String> chain,
    SourcePos chainPos,
    int chainLength,
    Optional<Integer> ruleNumber,
    Optional<String> extra,
    Optional<Rule> rule,
    boolean targetIsExtension,
    List<DeferredCheck> deferred,
    boolean hadErrors) {
  RuleCommand {
    deferred = List.copyOf(deferred);
  }
}
