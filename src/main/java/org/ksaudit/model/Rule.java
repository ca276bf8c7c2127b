package org.ksaudit.model;

import java.util.List;
import java.util.Optional;

/**
 * One rule as the kernel holds it. {@code matches} are in command-line order; the core
 * options (-s -d -p -i -o -f) form the match with module name {@link Match#CORE}.
 * {@code complete} is false when part of the rule could not be interpreted (an error
 * was reported); the analysis then treats the unreadable part as unknown.
 */
public record Rule(
    SourcePos pos, String chain, String text, List<Match> matches, Optional<Target> target, boolean complete) {
  public Rule {
    matches = List.copyOf(matches);
  }

  public Optional<Match> match(String module) {
    return matches.stream().filter(m -> m.module().equals(module)).findFirst();
  }
}
